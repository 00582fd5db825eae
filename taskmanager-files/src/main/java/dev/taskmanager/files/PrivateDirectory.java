package dev.taskmanager.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A directory for a server's own state (its {@code --data-dir}, the files workload's work directory)
 * that nobody but the user running the server can change, checked the way OpenSSH checks
 * {@code ~/.ssh} ({@code StrictModes}): the directory must be owned by that user and writable by
 * nobody else, and each directory above it must be owned by that user or by root and writable by
 * nobody else, unless it has the sticky bit (as {@code /tmp} does, where others cannot rename or
 * delete what is not theirs). Anything else would let another local user swap a file the server
 * trusts, such as a manifest it wrote, for one of their own.
 *
 * <p>Missing directories are created with mode {@code 0700}, whatever the umask. An existing
 * directory is never changed: one that fails the check is refused with an {@link IOException} whose
 * message names the path, its owner and its mode, and what to do about it.
 *
 * <p>On a file system without POSIX owners and modes (Windows), directories are created and
 * accepted as they are. Stateless and thread-safe.
 */
public final class PrivateDirectory {
    private PrivateDirectory() {
    }

    /**
     * Where a server keeps its state unless told otherwise: {@code $XDG_STATE_HOME/taskmanager}, or
     * {@code ~/.local/state/taskmanager} when that variable is unset or not an absolute path (as the
     * XDG Base Directory specification says).
     */
    public static Path defaultDataDirectory() {
        return defaultDataDirectory(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDataDirectory(Map<String, String> environment, String userHome) {
        String state = environment.get("XDG_STATE_HOME");
        if (state != null && !state.isBlank()) {
            Path path = Path.of(state);
            if (path.isAbsolute()) {
                return path.resolve("taskmanager");
            }
        }
        return Path.of(userHome, ".local", "state", "taskmanager");
    }

    /**
     * Creates {@code directory}, and any missing directory above it, with mode {@code 0700}, then
     * checks it and every directory above it (see the class comment).
     *
     * @return the directory's real path
     * @throws IOException naming the path, its owner and mode if a directory fails the check, or if a
     *                     directory cannot be created
     */
    public static Path ensure(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        return ensure(directory, currentUid());
    }

    /** {@link #ensure(Path)} for a given user id: the seam that lets tests play another user. */
    static Path ensure(Path directory, Integer uid) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        create(absolute);
        Path real = absolute.toRealPath();
        if (uid == null) {
            return real;
        }
        for (Path path = real; path != null; path = path.getParent()) {
            check(path, real, uid);
        }
        return real;
    }

    private static void create(Path directory) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path path = directory; path != null && !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
             path = path.getParent()) {
            missing.add(0, path);
        }
        boolean posix = Files.getFileStore(existingAncestor(directory)).supportsFileAttributeView("posix");
        for (Path path : missing) {
            try {
                Files.createDirectory(path);
            } catch (FileAlreadyExistsException e) {
                continue; // made by someone else in the meantime: the checks decide whether it will do
            } catch (NoSuchFileException e) {
                throw new IOException("cannot create " + path + ": its parent vanished", e);
            }
            if (posix) {
                // createDirectory applies the umask; 0700 is meant whatever the umask is.
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
            }
        }
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " exists and is not a directory");
        }
    }

    private static Path existingAncestor(Path directory) {
        Path path = directory;
        while (path.getParent() != null && !Files.exists(path)) {
            path = path.getParent();
        }
        return path;
    }

    private static void check(Path directory, Path target, int uid) throws IOException {
        boolean itself = directory.equals(target);
        Map<String, Object> attributes = Files.readAttributes(directory, "unix:uid,mode",
                LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) attributes.get("uid");
        int mode = (Integer) attributes.get("mode");
        boolean othersMayWrite = (mode & 0022) != 0;
        boolean sticky = (mode & 01000) != 0;
        boolean ownerOk = owner == uid || (!itself && owner == 0);
        boolean modeOk = !othersMayWrite || (!itself && sticky);
        if (ownerOk && modeOk) {
            return;
        }
        String rule = itself
                ? "it must be owned by uid " + uid + " (who runs this process) and writable by nobody else"
                : "every directory above " + target + " must be owned by uid " + uid + " or root, and writable "
                        + "by nobody else unless it has the sticky bit";
        throw new IOException(directory + " is owned by " + owner(directory, owner) + " and has mode "
                + String.format("%04o", mode & 07777) + "; refusing it, as OpenSSH refuses such directories: "
                + rule + " (change its owner or mode, or choose another directory)");
    }

    private static String owner(Path directory, int uid) {
        try {
            String name = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
            return name.equals(String.valueOf(uid)) ? "uid " + uid : name + " (uid " + uid + ")";
        } catch (IOException e) {
            return "uid " + uid;
        }
    }

    /**
     * The effective user id of this process, or null where the file system has no notion of one. On
     * Linux, {@code /proc/self} belongs to it; elsewhere a file we create does.
     */
    static Integer currentUid() throws IOException {
        Path self = Path.of("/proc/self");
        try {
            if (Files.exists(self)) {
                return (Integer) Files.getAttribute(self, "unix:uid");
            }
            Path probe = Files.createTempFile("taskmanager-uid-", ".probe");
            try {
                return (Integer) Files.getAttribute(probe, "unix:uid");
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null; // no unix attributes: not a POSIX file system
        }
    }
}
