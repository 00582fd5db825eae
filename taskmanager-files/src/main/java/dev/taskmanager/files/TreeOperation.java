package dev.taskmanager.files;

import dev.taskmanager.Task;
import dev.taskmanager.TaskBody;
import dev.taskmanager.TaskContext;
import dev.taskmanager.TaskState;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.files.DirectoryNode.FileEntry;
import dev.taskmanager.files.DirectoryNode.Unreadable;
import dev.taskmanager.files.PathPolicy.Location;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * One manifest or verify operation: the bodies of its root, directory and file tasks.
 *
 * <h2>Design note</h2>
 * <p><b>Tree.</b> The root task stands for the top directory. A directory task starts one child task
 * per subdirectory, one {@code file} leaf per large file and one {@code files} leaf for all its
 * small files, then waits for them. Only leaves report bytes; a directory declares the expected
 * total of its subtree (from the pre-scan) and otherwise reports nothing, so the core sums its
 * children's bytes, live and folded, and the root ends with exactly the bytes hashed. A small file
 * that fails gets a failed {@code file} leaf of its own under the {@code files} leaf, so failures
 * always show as one leaf per file; folding then keeps only the paths that lead to them. A manifest
 * root also has an {@code output} child, created first, whose entity is the file the manifest goes
 * to: it ends {@code done} once the file is in place, or failed with why nothing was written.
 *
 * <p><b>Confinement.</b> No path is opened as a path. Every file-system call starts from the real
 * path of an allowed root (or the work directory) and walks down name by name, relative to the
 * directory opened before and without following links ({@link OpenDirectory}); a file is checked to
 * be a regular file before it is opened and again on the open descriptor, so a directory swapped for
 * a link, or a file for a FIFO, cannot lead a read outside the root. Errors never quote file content.
 *
 * <p><b>Outcome.</b> A leaf fails for its own file: an I/O error (rendered as the exception), a
 * digest mismatch, a missing file, a file that changed while it was read (size, modification time
 * or identity differ before and after, as {@code tar} checks), or one that made no progress for the
 * stall timeout. A directory fails, with a count, when anything below it failed; so does the root,
 * which for a manifest then writes nothing: a manifest with holes would later verify as if the
 * unreadable files did not exist. A verification asked to skip unreadable files reports each as a
 * failed leaf whose error starts with {@code skipped:} and does not count it against its directory.
 *
 * <p><b>Threads.</b> Task bodies run on the task manager's executor, and a directory's thread waits
 * for its children, so threads grow with the directories in flight. The file-system calls themselves
 * run on the {@link IoGuard}'s threads, so that a task can give up on one that hangs. Two semaphores,
 * shared by all operations of a workload, bound the cost. {@code reads} bounds the leaves reading at
 * once: a directory takes a permit before it starts a leaf, and the permit comes back when the leaf
 * ends (even if it never ran), so waiting leaves hold neither a thread nor a file. {@code
 * directorySlots} bounds the subtrees running side by side: when none is free, a directory starts
 * its next subdirectory and waits for it before going on, so a huge tree needs about
 * {@code (slots + 1) x depth} threads rather than one per directory. This relies on an executor that
 * does not cap its threads (the default cached pool, or virtual threads).
 *
 * <p><b>Abort.</b> Every wait is abortable: for a read permit (checked every
 * {@value #PERMIT_SLICE_MILLIS} ms), for a file-system call (woken by the abort), for children (who
 * are aborted too and end promptly). Hashing stops within one buffer.
 */
final class TreeOperation {

    /** Which operation, with the words its tasks and errors use. */
    enum Kind {
        MANIFEST("manifest", "could not be hashed"),
        VERIFY("verify", "failed verification");

        final String type;
        final String failed;

        Kind(String type, String failed) {
            this.type = type;
            this.failed = failed;
        }
    }

    /** The settings and shared bounds of the workload an operation belongs to. */
    record Resources(FilesWorkload.Options options, Semaphore reads, Semaphore directorySlots, Throttle throttle,
                     IoGuard guard) {
    }

    private static final long PERMIT_SLICE_MILLIS = 50;
    private static final HexFormat HEX = HexFormat.of();

    private final Kind kind;
    private final Location top;
    private final Resources resources;
    private final FilesWorkload.Options options;
    private final IoHook hook;
    private final boolean skipUnreadable;
    private final ConcurrentHashMap<String, String> digests = new ConcurrentHashMap<>();
    /** Leaves that only report skipped files: they do not fail their directory. */
    private final Set<UUID> skippedLeaves = ConcurrentHashMap.newKeySet();

    /**
     * @param top            the directory to work on
     * @param skipUnreadable for a verification: report unreadable files as skipped instead of failing
     */
    TreeOperation(Kind kind, Location top, Resources resources, boolean skipUnreadable) {
        this.kind = kind;
        this.top = top;
        this.resources = resources;
        this.options = resources.options();
        this.hook = options.hook();
        this.skipUnreadable = skipUnreadable;
    }

    // ---------------------------------------------------------------- roots

    /**
     * The body of a manifest root: pre-scan, hash everything, then write the manifest to
     * {@code output} and hand it to {@code result}, only if every file was hashed. The {@code output}
     * child says where the manifest goes from the start, and whether it got there.
     */
    void manifest(TaskContext context, Location output, boolean overwrite, AtomicReference<Manifest> result)
            throws Exception {
        TrackedTask outputTask = context.child(kind.type).scope("output").entity(output.toString()).track();
        outputTask.start();
        try {
            IoGuard.Waiter waiter = resources.guard().waiter(context);
            String excluded = relativeToTop(output);
            DirectoryNode tree = waiter.call("scanning " + top, new IoGuard.Pulse(), pulse -> {
                try (OpenDirectory directory = walk(top.names(), pulse)) {
                    return DirectoryNode.scan(directory, excluded, pulse);
                }
            });
            String failures = runDirectory(context, tree);
            if (failures != null) {
                throw new FileCheckException(failures + "; no manifest written");
            }
            context.ensureNotAborted();
            Manifest manifest = Manifest.of(digests);
            waiter.call("writing " + output, new IoGuard.Pulse(), pulse -> {
                write(manifest, output, overwrite, pulse);
                return null;
            });
            result.set(manifest);
            outputTask.complete();
        } catch (Throwable e) {
            outputTask.fail("not written: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            throw e;
        }
    }

    /** The body of a verify root: read the manifest, then re-hash every file it lists. */
    void verify(TaskContext context, Location manifestFile) throws Exception {
        IoGuard.Waiter waiter = resources.guard().waiter(context);
        Manifest manifest = waiter.call("reading the manifest " + manifestFile, new IoGuard.Pulse(),
                pulse -> readManifest(manifestFile, pulse));
        DirectoryNode tree = DirectoryNode.fromManifest(manifest, context);
        waiter.call("looking up the files of " + top, new IoGuard.Pulse(), pulse -> {
            try (OpenDirectory directory = walk(top.names(), pulse)) {
                tree.measure(directory, pulse);
            }
            return null;
        });
        tree.seal();
        String failures = runDirectory(context, tree);
        if (failures != null) {
            throw new FileCheckException(failures);
        }
    }

    /** The path of {@code output} relative to the top directory if it lies inside, else null. */
    private String relativeToTop(Location output) {
        if (!output.path().startsWith(top.path()) || output.path().equals(top.path())) {
            return null;
        }
        return join(top.path().relativize(output.path()));
    }

    private Manifest readManifest(Location file, IoGuard.Pulse pulse) throws IOException {
        try (OpenDirectory directory = OpenDirectory.walk(file.root(), file.directoryNames(),
                options.forcePathFallback(), pulse)) {
            BasicFileAttributes attributes = directory.stat(file.name());
            if (!attributes.isRegularFile()) {
                throw new FileCheckException("manifest " + file + " is " + OpenDirectory.describe(attributes)
                        + ", not a regular file");
            }
            pulse.opening(file.toString(), () -> directory.unblockFifo(file.name()));
            SeekableByteChannel channel = directory.read(file.name());
            pulse.opened();
            try (channel) {
                requireSeekable(channel, "manifest " + file);
                InputStreamReader reader = new InputStreamReader(Channels.newInputStream(channel),
                        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT));
                return Manifest.parse(reader, pulse);
            }
        } catch (CharacterCodingException e) {
            throw new FileCheckException("manifest " + file + " is not valid UTF-8");
        } catch (NoSuchFileException e) {
            throw new FileCheckException("manifest " + file + " does not exist any more");
        } catch (NotDirectoryException e) {
            throw new FileCheckException("manifest " + file + " cannot be reached: " + e.getFile());
        } catch (IllegalArgumentException e) {
            throw new FileCheckException("manifest " + file + ": " + e.getMessage());
        }
    }

    private void write(Manifest manifest, Location output, boolean overwrite, IoGuard.Pulse pulse)
            throws IOException {
        try (OpenDirectory directory = OpenDirectory.walk(output.root(), output.directoryNames(),
                options.forcePathFallback(), pulse)) {
            AtomicFile.write(directory, output.name(), overwrite, manifest::writeTo, hook, pulse);
        } catch (FileAlreadyExistsException e) {
            throw new FileCheckException(output + " was created while the manifest was computed; "
                    + "not replaced (pass overwrite=true to replace it)");
        } catch (NotDirectoryException e) {
            throw new FileCheckException("the directory of " + output + " cannot be reached: " + e.getFile());
        }
    }

    // ---------------------------------------------------------------- directories

    private void directoryTask(TaskContext context, DirectoryNode node) throws Exception {
        String failures = runDirectory(context, node);
        if (failures != null) {
            throw new FileCheckException(failures);
        }
    }

    /**
     * Does a directory's share of the work under {@code context}: starts its children, waits for
     * them, and counts what failed.
     *
     * @return a summary of the failures in the subtree, or null if there were none
     */
    private String runDirectory(TaskContext context, DirectoryNode node) throws Exception {
        context.progress().expectTotal(node.totalBytes);
        List<Task> children = new ArrayList<>();
        try {
            for (Unreadable entry : node.unreadable) {
                TrackedTask leaf = context.child(kind.type).scope(entry.directory() ? "directory" : "file")
                        .entity(entry.path()).track();
                leaf.start();
                leaf.fail(entry.error());
                node.failedFiles.incrementAndGet();
                children.add(leaf);
            }
            for (DirectoryNode subdirectory : node.subdirectories) {
                children.add(startSubdirectory(context, subdirectory));
            }
            List<FileEntry> small = new ArrayList<>();
            long smallBytes = 0;
            for (FileEntry file : node.files) {
                if (file.size() < options.largeFileThreshold()) {
                    small.add(file);
                    smallBytes += file.size();
                }
            }
            if (!small.isEmpty()) {
                long bytes = smallBytes;
                children.add(startReading(context, "files", node.entity(),
                        leaf -> smallFilesTask(leaf, node, small, bytes)));
            }
            for (FileEntry file : node.files) {
                if (file.size() >= options.largeFileThreshold()) {
                    children.add(startReading(context, "file", file.path(), leaf -> fileTask(leaf, node, file)));
                }
            }
        } finally {
            // Even when stopping early, the directory ends after the children it started (and only
            // those: a manifest root's output child ends after the manifest is written).
            awaitAll(children);
        }
        context.ensureNotAborted();
        int failedFiles = node.failedFiles.get();
        for (DirectoryNode subdirectory : node.subdirectories) {
            failedFiles += subdirectory.failedInSubtree;
        }
        node.failedInSubtree = failedFiles;
        int failedTasks = 0;
        for (Task child : children) {
            if (child.state() == TaskState.FAILED && !skippedLeaves.contains(child.id())) {
                failedTasks++;
            }
        }
        if (failedFiles > 0) {
            return failedFiles + " of " + node.totalFiles + " files " + kind.failed;
        }
        if (failedTasks > 0) {
            return failedTasks + " of " + children.size() + " tasks below failed";
        }
        return null;
    }

    private static void awaitAll(List<Task> children) throws InterruptedException {
        for (Task child : children) {
            try {
                child.done().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a child's completion future failed", e.getCause());
            }
        }
    }

    /**
     * Starts a subdirectory's task: alongside this one if a directory slot is free, else in turn,
     * waiting for it before going on (see the design note).
     */
    private Task startSubdirectory(TaskContext context, DirectoryNode subdirectory) throws Exception {
        context.ensureNotAborted();
        Semaphore slots = resources.directorySlots();
        boolean alongside = slots.tryAcquire();
        Task child;
        try {
            child = context.child(kind.type).scope("directory").entity(subdirectory.path)
                    .start(c -> directoryTask(c, subdirectory));
        } catch (RuntimeException | Error e) {
            if (alongside) {
                slots.release();
            }
            throw e;
        }
        if (alongside) {
            child.done().whenComplete((status, error) -> slots.release());
        } else {
            child.done().get();
        }
        return child;
    }

    /**
     * Starts a leaf that reads files once a read permit is free; the permit returns when the leaf
     * ends, whether or not its body ran. Waiting for the permit stops on abort.
     */
    private Task startReading(TaskContext context, String scope, String entity, TaskBody body)
            throws InterruptedException {
        Semaphore reads = resources.reads();
        do {
            context.ensureNotAborted();
        } while (!reads.tryAcquire(PERMIT_SLICE_MILLIS, TimeUnit.MILLISECONDS));
        Task leaf;
        try {
            context.ensureNotAborted();
            leaf = context.child(kind.type).scope(scope).entity(entity).start(body);
        } catch (RuntimeException | Error e) {
            reads.release();
            throw e;
        }
        leaf.done().whenComplete((status, error) -> reads.release());
        return leaf;
    }

    // ---------------------------------------------------------------- leaves

    /** The body of a {@code file} leaf: one large file. */
    private void fileTask(TaskContext context, DirectoryNode directory, FileEntry file) throws Exception {
        context.progress().set(0, file.size());
        long[] read = {0};
        Object outcome = hashFiles(context, directory, List.of(file), (index, n) -> {
            read[0] += n;
            context.progress().add(n);
        })[0];
        if (outcome instanceof Exception) {
            if (isSkipped((Exception) outcome)) {
                directory.skippedFiles.incrementAndGet();
                skippedLeaves.add(context.id());
                throw new FileCheckException(skippedMessage((Exception) outcome));
            }
            directory.failedFiles.incrementAndGet();
            throw (Exception) outcome;
        }
        context.progress().set(read[0], read[0]);
    }

    /**
     * The body of a {@code files} leaf: the small files of one directory, one after the other. A file
     * that fails gets a failed {@code file} leaf of its own, so it is named in the tree.
     */
    private void smallFilesTask(TaskContext context, DirectoryNode directory, List<FileEntry> files, long bytes)
            throws Exception {
        context.progress().set(0, bytes);
        long[] read = new long[files.size()];
        Object[] outcomes = hashFiles(context, directory, files, (index, n) -> {
            read[index] += n;
            context.progress().add(n);
        });
        long total = 0;
        int failed = 0;
        for (int i = 0; i < files.size(); i++) {
            total += read[i];
            if (!(outcomes[i] instanceof Exception)) {
                continue;
            }
            Exception error = (Exception) outcomes[i];
            FileEntry file = files.get(i);
            TrackedTask leaf = context.child(kind.type).scope("file").entity(file.path()).track();
            leaf.progress().set(read[i], file.size());
            leaf.start();
            if (isSkipped(error)) {
                directory.skippedFiles.incrementAndGet();
                leaf.fail(skippedMessage(error));
            } else {
                failed++;
                directory.failedFiles.incrementAndGet();
                leaf.fail(error);
            }
        }
        if (failed > 0) {
            throw new FileCheckException(failed + " of " + files.size() + " files " + kind.failed);
        }
        context.progress().set(total, total);
    }

    private boolean isSkipped(Exception error) {
        return skipUnreadable && kind == Kind.VERIFY && error instanceof IOException
                && !(error instanceof NoSuchFileException);
    }

    private static String skippedMessage(Exception error) {
        return "skipped: unreadable (skip_unreadable=true): " + error;
    }

    /**
     * Hashes {@code files}, all in {@code directory}, on guard threads: one call for as many of them
     * as go well, and after a call that stalls, a new call from the file after the one it was stuck
     * on. Each file's outcome is its digest (a manifest), {@code null} (a verified file), or the
     * exception that failed it. What a call finds out after it was given up on is ignored
     * ({@link IoGuard.Pulse#deliver}), bytes read included.
     */
    private Object[] hashFiles(TaskContext context, DirectoryNode directory, List<FileEntry> files,
                               BytesRead bytesRead) throws Exception {
        Object[] outcomes = new Object[files.size()];
        IoGuard.Waiter waiter = resources.guard().waiter(context);
        int next = 0;
        while (next < files.size()) {
            int from = next;
            IoGuard.Pulse pulse = new IoGuard.Pulse();
            pulse.at(from);
            try {
                waiter.call("hashing files in " + directory.entity(), pulse, p -> {
                    hashBatch(directory, files, from, outcomes, bytesRead, p);
                    return null;
                });
                next = files.size();
            } catch (FileCheckException stalled) {
                int at = pulse.position();
                outcomes[at] = stalled;
                next = at + 1;
            }
        }
        return outcomes;
    }

    /** On a guard thread: walks to the directory once, then hashes files from {@code from} on. */
    private void hashBatch(DirectoryNode directory, List<FileEntry> files, int from, Object[] outcomes,
                           BytesRead bytesRead, IoGuard.Pulse pulse) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>(top.names());
        names.addAll(directory.names());
        OpenDirectory opened;
        try {
            opened = walk(names, pulse);
        } catch (IOException e) {
            Exception failure = walkFailure(e);
            for (int i = from; i < files.size(); i++) {
                int index = i;
                pulse.deliver(() -> outcomes[index] = failure);
            }
            return;
        }
        try (opened) {
            ByteBuffer buffer = ByteBuffer.allocate(options.bufferSize());
            for (int i = from; i < files.size(); i++) {
                int index = i;
                pulse.at(index);
                pulse.check();
                Object outcome;
                try {
                    outcome = process(opened, files.get(index), buffer, pulse,
                            n -> pulse.deliver(() -> bytesRead.add(index, n)));
                } catch (IOException | FileCheckException e) {
                    outcome = e;
                }
                Object result = outcome;
                pulse.deliver(() -> outcomes[index] = result);
            }
        }
    }

    /** What a failed walk to a file's directory means for the file. */
    private Exception walkFailure(IOException e) {
        if (e instanceof NoSuchFileException && kind == Kind.VERIFY) {
            return new FileCheckException("missing");
        }
        if (e instanceof NotDirectoryException) {
            return new FileCheckException("cannot be reached: " + e.getMessage());
        }
        return e;
    }

    /** Hashes one file, then records its digest (manifest) or checks it (verify). */
    private Object process(OpenDirectory directory, FileEntry file, ByteBuffer buffer, IoGuard.Pulse pulse,
                           LongConsumer bytesRead)
            throws IOException, InterruptedException {
        String digest = hash(directory, file, buffer, pulse, bytesRead);
        if (kind == Kind.MANIFEST) {
            pulse.deliver(() -> digests.put(file.path(), digest));
            return digest;
        }
        if (!digest.equals(file.expectedDigest())) {
            throw new FileCheckException("sha256 mismatch: expected " + file.expectedDigest() + ", got " + digest);
        }
        return null;
    }

    /**
     * Streams one file through SHA-256, checking for cancellation before each buffer, keeping to the
     * throttle, and reporting each buffer's bytes. The entry must be a regular file when looked at,
     * and still be one on the open descriptor; it must be the same file, of the same size and
     * modification time, after the last byte is read.
     */
    private String hash(OpenDirectory directory, FileEntry file, ByteBuffer buffer, IoGuard.Pulse pulse,
                        LongConsumer bytesRead)
            throws IOException, InterruptedException {
        String name = file.name();
        hook.opening(file.path());
        try {
            BasicFileAttributes before;
            try {
                before = directory.stat(name);
            } catch (NoSuchFileException e) {
                // A listed file that is not there is what verification looks for; for a manifest, a file
                // that vanished after the scan is an I/O error like any other.
                if (kind == Kind.VERIFY) {
                    throw new FileCheckException("missing");
                }
                throw e;
            }
            if (!before.isRegularFile()) {
                throw new FileCheckException("not a regular file: it is " + OpenDirectory.describe(before)
                        + (before.isSymbolicLink() ? " (links are not followed)" : ""));
            }
            hook.checked(file.path());
            SeekableByteChannel channel;
            pulse.opening(file.path(), () -> directory.unblockFifo(name));
            try {
                channel = directory.read(name);
            } catch (IOException e) {
                throw changedOr(directory, name, before, e);
            } finally {
                pulse.opened();
            }
            MessageDigest sha256 = sha256();
            long total = 0;
            long sizeAtOpen;
            long sizeAtEnd;
            try (channel) {
                requireSeekable(channel, "the file");
                sizeAtOpen = channel.size();
                while (true) {
                    pulse.check();
                    buffer.clear();
                    int n;
                    try {
                        n = channel.read(buffer);
                    } catch (IOException e) {
                        throw changedOr(directory, name, before, e);
                    }
                    if (n < 0) {
                        break;
                    }
                    resources.throttle().acquire(n, pulse);
                    buffer.flip();
                    sha256.update(buffer);
                    total += n;
                    bytesRead.accept(n);
                    hook.read(file.path(), total);
                }
                sizeAtEnd = channel.size();
            }
            BasicFileAttributes after;
            try {
                after = directory.stat(name);
            } catch (NoSuchFileException e) {
                throw changed();
            }
            if (!same(before, after) || total != before.size() || sizeAtOpen != before.size()
                    || sizeAtEnd != before.size()) {
                throw changed();
            }
            return HEX.formatHex(sha256.digest());
        } finally {
            hook.closed(file.path());
        }
    }

    private static FileCheckException changed() {
        return new FileCheckException("file changed as we read it");
    }

    /**
     * After an open or read failed: if the entry is no longer the file that was checked, the file
     * changed (and whatever was opened instead is not reported on); else the failure as it is.
     */
    private static IOException changedOr(OpenDirectory directory, String name, BasicFileAttributes before,
                                         IOException failure) {
        try {
            BasicFileAttributes now = directory.stat(name);
            if (!same(before, now)) {
                throw changed();
            }
        } catch (IOException e) {
            throw changed();
        }
        return failure;
    }

    /** Same file (identity where the platform has one), same type, size and modification time. */
    private static boolean same(BasicFileAttributes before, BasicFileAttributes after) {
        return after.isRegularFile() && Objects.equals(before.fileKey(), after.fileKey())
                && before.size() == after.size() && before.lastModifiedTime().equals(after.lastModifiedTime());
    }

    /**
     * Refuses a descriptor that is not a regular file: a FIFO or socket cannot seek. (A descriptor of
     * a directory can, but reading it fails.)
     */
    private static void requireSeekable(SeekableByteChannel channel, String what) {
        try {
            channel.position();
        } catch (IOException e) {
            throw new FileCheckException(what + " is not a regular file: what was opened is a FIFO or "
                    + "socket, swapped in after it was checked");
        }
    }

    /** Opens the top's root and walks {@code names} below it, marking each open on {@code pulse}. */
    private OpenDirectory walk(List<String> names, IoGuard.Pulse pulse) throws IOException {
        return OpenDirectory.walk(top.root(), names, options.forcePathFallback(), pulse);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** A relative path as the workload writes it: {@code /}-separated whatever the platform. */
    private static String join(Path relative) {
        StringBuilder joined = new StringBuilder();
        for (Path name : relative) {
            if (joined.length() > 0) {
                joined.append('/');
            }
            joined.append(name);
        }
        return joined.toString();
    }

    /** Where a batch of files reports the bytes it reads, by the index of the file in the batch. */
    @FunctionalInterface
    private interface BytesRead {
        void add(int file, long bytes);
    }
}
