package dev.taskmanager.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A directory held open, through which the entries below it are reached by name relative to it,
 * never by a path resolved again from the top, and never through a symbolic link. This is what
 * makes confinement hold while someone swaps directories for links: a check on a path followed by
 * an open of that path can be raced, but an entry opened relative to an open directory, without
 * following links, is in that directory whatever happens to the paths around it.
 *
 * <p>Where the platform has {@link SecureDirectoryStream} (Linux), every operation is a
 * {@code *at} system call on the held descriptor with {@code O_NOFOLLOW} ({@code openat},
 * {@code fstatat}, {@code renameat}, {@code unlinkat}). Elsewhere it falls back to paths: the last
 * component is still never followed, and each operation first checks that the directory's path
 * still leads to the directory that was opened, which narrows the race to that instant but cannot
 * close it.
 *
 * <p>Opening a FIFO for reading blocks until a writer appears, and Java cannot pass
 * {@code O_NONBLOCK}; so {@link #directory} and {@link #read} check the entry's type first, and
 * callers run them where a stuck call can be abandoned ({@link IoGuard}), and may call
 * {@link #unblockFifo} to free one.
 *
 * <p>Known JDK limitation (JDK-8392711, fixed after JDK 25): when a directory is swapped for a
 * regular file between the type check and the open, the JDK's {@code newDirectoryStream} leaks a
 * descriptor while failing.
 *
 * <p>Names are single path components: never empty, {@code .}, {@code ..}, or containing a
 * separator. One instance may be used by several threads; closing it while another thread uses it
 * waits for that use to end.
 */
abstract class OpenDirectory implements Closeable {
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
            LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> READ_WRITE = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    /** The directory's path as it was opened, for messages only. */
    final Path path;

    private OpenDirectory(Path path) {
        this.path = path;
    }

    /**
     * Opens a directory that the operator named (an allowed root, the work directory), by its path:
     * links in that path are followed, since the operator chose it.
     *
     * @param forcePaths use the path-based fallback even where {@link SecureDirectoryStream} exists
     *                   (a test seam)
     */
    static OpenDirectory open(Path trusted, boolean forcePaths) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(trusted);
        if (stream instanceof SecureDirectoryStream && !forcePaths) {
            return new Secure(trusted, (SecureDirectoryStream<Path>) stream);
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(trusted, BasicFileAttributes.class);
            return new ByPath(trusted, attributes.fileKey());
        } finally {
            stream.close();
        }
    }

    /**
     * Opens {@code trusted}, then each of {@code names} below it in turn, relative to the one before,
     * without following links; returns the last, closing the ones on the way. Each open is marked on
     * {@code pulse} ({@link IoGuard.Pulse#opening}), so that a stuck one can be freed.
     *
     * @throws NoSuchFileException   if an entry on the way does not exist
     * @throws NotDirectoryException if an entry on the way is not a directory (a link included); the
     *                               message says what it is
     */
    static OpenDirectory walk(Path trusted, List<String> names, boolean forcePaths, IoGuard.Pulse pulse)
            throws IOException {
        pulse.opening(trusted.toString(), null);
        OpenDirectory current;
        try {
            current = open(trusted, forcePaths);
        } finally {
            pulse.opened();
        }
        try {
            for (String name : names) {
                OpenDirectory parent = current;
                pulse.opening(parent.path.resolve(name).toString(), () -> parent.unblockFifo(name));
                try {
                    current = parent.directory(name);
                } finally {
                    pulse.opened();
                }
                parent.close();
            }
            return current;
        } catch (IOException | RuntimeException | Error e) {
            current.close();
            throw e;
        }
    }

    /** The attributes of entry {@code name}, not following a link. */
    abstract BasicFileAttributes stat(String name) throws IOException;

    /** The attributes of this directory itself (of the open descriptor, where there is one). */
    abstract BasicFileAttributes stat() throws IOException;

    /** The names of the entries, in the order the directory lists them. Call at most once per instance. */
    abstract List<String> names() throws IOException;

    /**
     * Opens subdirectory {@code name}: it must be a directory, not a link to one.
     *
     * @throws NotDirectoryException saying what the entry is instead
     */
    final OpenDirectory directory(String name) throws IOException {
        BasicFileAttributes before = stat(name);
        if (!before.isDirectory()) {
            throw new NotDirectoryException(path.resolve(name) + " is " + describe(before)
                    + ", not a directory" + (before.isSymbolicLink() ? " (links are not followed)" : ""));
        }
        OpenDirectory opened = openDirectory(name);
        try {
            Object key = opened.stat().fileKey();
            if (key != null && !key.equals(before.fileKey())) {
                throw new FileSystemException(path.resolve(name).toString(), null,
                        "replaced by another directory while being opened");
            }
            return opened;
        } catch (IOException | RuntimeException | Error e) {
            opened.close();
            throw e;
        }
    }

    abstract OpenDirectory openDirectory(String name) throws IOException;

    /**
     * Opens {@code name} for reading without following a link. The caller checks the type first: a
     * FIFO swapped in between blocks this call until a writer appears ({@link #unblockFifo}).
     */
    abstract SeekableByteChannel read(String name) throws IOException;

    /**
     * Creates {@code name}, which must not exist, for writing; its mode is {@code 0666} less the
     * umask, as a shell redirection would give it.
     */
    abstract SeekableByteChannel create(String name) throws IOException;

    /** Renames entry {@code from} to {@code to} in this directory, atomically replacing {@code to}. */
    abstract void rename(String from, String to) throws IOException;

    /** Deletes file {@code name}. */
    abstract void delete(String name) throws IOException;

    /** Forces the directory's entries (a rename, a new file) to the storage device. */
    final void sync() throws IOException {
        try (SeekableByteChannel self = openSelf()) {
            if (self instanceof FileChannel) {
                ((FileChannel) self).force(true);
            }
        } catch (IOException e) {
            // Some platforms cannot open or sync a directory; the rename itself is still atomic.
            if (!(e instanceof FileSystemException)) {
                throw e;
            }
        }
    }

    abstract SeekableByteChannel openSelf() throws IOException;

    /**
     * If entry {@code name} is a FIFO, opens it for reading and writing and closes it again: a thread
     * blocked opening it for reading then gets its descriptor (and reads end-of-file), so it is no
     * longer stuck. Opening a FIFO for both never blocks on Linux. Does nothing for anything else.
     */
    final void unblockFifo(String name) {
        try {
            if (!stat(name).isOther()) {
                return;
            }
            openReadWrite(name).close();
        } catch (IOException | RuntimeException e) {
            // best effort: the stuck thread stays abandoned
        }
    }

    abstract SeekableByteChannel openReadWrite(String name) throws IOException;

    /** What kind of entry {@code attributes} describe, for messages: "a FIFO or other special file". */
    static String describe(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isRegularFile()) {
            return "a regular file";
        }
        return "a FIFO, socket or device";
    }

    @Override
    public abstract void close() throws IOException;

    /** Closes quietly, for cleanup paths that already report another failure. */
    final void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // nothing more useful to do
        }
    }

    private static Path name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a single path component: '" + name + "'");
        }
        return Path.of(name);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + path + "]";
    }

    /** On a {@link SecureDirectoryStream}: every operation relative to the held descriptor. */
    private static final class Secure extends OpenDirectory {
        private final SecureDirectoryStream<Path> stream;

        Secure(Path path, SecureDirectoryStream<Path> stream) {
            super(path);
            this.stream = stream;
        }

        @Override
        BasicFileAttributes stat(String name) throws IOException {
            return stream.getFileAttributeView(name(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        }

        @Override
        BasicFileAttributes stat() throws IOException {
            return stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
        }

        @Override
        List<String> names() throws IOException {
            List<String> names = new ArrayList<>();
            try {
                for (Path entry : stream) {
                    names.add(entry.getFileName().toString());
                }
            } catch (java.nio.file.DirectoryIteratorException e) {
                throw e.getCause();
            }
            return names;
        }

        @Override
        OpenDirectory openDirectory(String name) throws IOException {
            return new Secure(path.resolve(name), stream.newDirectoryStream(name(name), LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        SeekableByteChannel read(String name) throws IOException {
            return stream.newByteChannel(name(name), READ);
        }

        @Override
        SeekableByteChannel create(String name) throws IOException {
            return stream.newByteChannel(name(name), CREATE);
        }

        @Override
        SeekableByteChannel openReadWrite(String name) throws IOException {
            return stream.newByteChannel(name(name), READ_WRITE);
        }

        @Override
        SeekableByteChannel openSelf() throws IOException {
            return stream.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ));
        }

        @Override
        void rename(String from, String to) throws IOException {
            stream.move(name(from), stream, name(to));
        }

        @Override
        void delete(String name) throws IOException {
            stream.deleteFile(name(name));
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /**
     * The fallback without {@link SecureDirectoryStream}: operations by path, each after checking that
     * the path still leads to the directory that was opened.
     */
    private static final class ByPath extends OpenDirectory {
        private final Object key;

        ByPath(Path path, Object key) {
            super(path);
            this.key = key;
        }

        /** The directory's path, once it is checked to still lead to the directory that was opened. */
        private Path self() throws IOException {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (key != null && !key.equals(now)) {
                throw new FileSystemException(path.toString(), null, "replaced while in use");
            }
            return path;
        }

        private Path entry(String name) throws IOException {
            return self().resolve(name(name));
        }

        @Override
        BasicFileAttributes stat(String name) throws IOException {
            return Files.readAttributes(entry(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        BasicFileAttributes stat() throws IOException {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        List<String> names() throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(self())) {
                for (Path entry : stream) {
                    names.add(entry.getFileName().toString());
                }
            } catch (java.nio.file.DirectoryIteratorException e) {
                throw e.getCause();
            }
            return names;
        }

        @Override
        OpenDirectory openDirectory(String name) throws IOException {
            Path child = entry(name);
            return new ByPath(child, Files.readAttributes(child, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey());
        }

        @Override
        SeekableByteChannel read(String name) throws IOException {
            return Files.newByteChannel(entry(name), READ);
        }

        @Override
        SeekableByteChannel create(String name) throws IOException {
            return Files.newByteChannel(entry(name), CREATE);
        }

        @Override
        SeekableByteChannel openReadWrite(String name) throws IOException {
            return Files.newByteChannel(entry(name), READ_WRITE);
        }

        @Override
        SeekableByteChannel openSelf() throws IOException {
            return FileChannel.open(self(), StandardOpenOption.READ);
        }

        @Override
        void rename(String from, String to) throws IOException {
            Files.move(entry(from), entry(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        void delete(String name) throws IOException {
            Files.delete(entry(name));
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
