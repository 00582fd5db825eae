package dev.taskmanager.files;

import dev.taskmanager.ChildFailures;
import dev.taskmanager.Task;
import dev.taskmanager.TaskBody;
import dev.taskmanager.TaskContext;
import dev.taskmanager.TaskState;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.files.DirectoryNode.FileEntry;
import dev.taskmanager.files.DirectoryNode.Unreadable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
 * always show as one leaf per file; folding then keeps only the paths that lead to them.
 *
 * <p><b>Outcome.</b> A leaf fails for its own file: an I/O error (rendered as the exception), a
 * digest mismatch or a missing file. A directory fails, with a count, when anything below it failed;
 * so does the root, which for a manifest then writes nothing: a manifest with holes would later
 * verify as if the unreadable files did not exist.
 *
 * <p><b>Threads.</b> Every task body runs on the task manager's executor, and a directory's thread
 * waits for its children, so threads grow with the directories in flight. Two semaphores, shared by
 * all operations of a workload, bound the cost. {@code reads} bounds the files open at once: a
 * directory takes a permit before it starts a leaf, and the permit comes back when the leaf ends
 * (even if it never ran), so waiting leaves hold neither a thread nor a file. {@code directorySlots}
 * bounds the subtrees running side by side: when none is free, a directory starts its next
 * subdirectory and waits for it before going on, so a huge tree needs about
 * {@code (slots + 1) x depth} threads rather than one per directory. This relies on an executor that
 * does not cap its threads (the default cached pool, or virtual threads): a parent waiting for a
 * child that cannot get a thread would wait forever.
 *
 * <p><b>Abort.</b> Hashing checks for abort before every buffer; directories check before starting
 * each child, and always wait for the children they started, so the tree ends bottom-up and the
 * cascade reaches every running leaf.
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

    private static final HexFormat HEX = HexFormat.of();

    private final Kind kind;
    private final Path top;
    private final long largeFileThreshold;
    private final int bufferSize;
    private final Semaphore reads;
    private final Semaphore directorySlots;
    private final ReadHook hook;
    private final Throttle throttle;
    private final ConcurrentHashMap<String, String> digests = new ConcurrentHashMap<>();

    /**
     * @param top the real path of the directory to work on
     */
    TreeOperation(Kind kind, Path top, FilesWorkload.Options options, Semaphore reads, Semaphore directorySlots,
                  Throttle throttle) {
        this.kind = kind;
        this.top = top;
        this.largeFileThreshold = options.largeFileThreshold();
        this.bufferSize = options.bufferSize();
        this.reads = reads;
        this.directorySlots = directorySlots;
        this.hook = options.hook();
        this.throttle = throttle;
    }

    // ---------------------------------------------------------------- roots

    /**
     * The body of a manifest root: pre-scan, hash everything, then write the manifest to
     * {@code output} and hand it to {@code result}, only if every file was hashed.
     */
    void manifest(TaskContext context, Path output, AtomicReference<Manifest> result) throws Exception {
        DirectoryNode tree = DirectoryNode.scan(top, context);
        String failures = runDirectory(context, tree);
        if (failures != null) {
            throw new FileCheckException(failures + "; no manifest written");
        }
        context.ensureNotAborted();
        Manifest manifest = Manifest.of(digests);
        manifest.write(output);
        result.set(manifest);
    }

    /** The body of a verify root: read the manifest, then re-hash every file it lists. */
    void verify(TaskContext context, Path manifestFile) throws Exception {
        Manifest manifest = Manifest.read(manifestFile);
        DirectoryNode tree = DirectoryNode.fromManifest(top, manifest, context);
        String failures = runDirectory(context, tree);
        if (failures != null) {
            throw new FileCheckException(failures);
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
                if (file.size() < largeFileThreshold) {
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
                if (file.size() >= largeFileThreshold) {
                    children.add(startReading(context, "file", file.path(), leaf -> fileTask(leaf, node, file)));
                }
            }
        } finally {
            // Even when stopping early, the directory ends after the children it started; it counts
            // its children's failures itself, in its own words, below.
            context.awaitChildren(ChildFailures.IGNORE);
        }
        context.ensureNotAborted();
        int failedFiles = node.failedFiles.get();
        for (DirectoryNode subdirectory : node.subdirectories) {
            failedFiles += subdirectory.failedInSubtree;
        }
        node.failedInSubtree = failedFiles;
        int failedTasks = 0;
        for (Task child : children) {
            if (child.state() == TaskState.FAILED) {
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

    /**
     * Starts a subdirectory's task: alongside this one if a directory slot is free, else in turn,
     * waiting for it before going on (see the design note).
     */
    private Task startSubdirectory(TaskContext context, DirectoryNode subdirectory) throws Exception {
        context.ensureNotAborted();
        boolean alongside = directorySlots.tryAcquire();
        Task child;
        try {
            child = context.child(kind.type).scope("directory").entity(subdirectory.path)
                    .start(c -> directoryTask(c, subdirectory));
        } catch (RuntimeException | Error e) {
            if (alongside) {
                directorySlots.release();
            }
            throw e;
        }
        if (alongside) {
            child.done().whenComplete((status, error) -> directorySlots.release());
        } else {
            child.done().get();
        }
        return child;
    }

    /**
     * Starts a leaf that reads files once a read permit is free; the permit returns when the leaf
     * ends, whether or not its body ran.
     */
    private Task startReading(TaskContext context, String scope, String entity, TaskBody body)
            throws InterruptedException {
        context.ensureNotAborted();
        reads.acquire();
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
        try {
            process(context, file, ByteBuffer.allocate(bufferSize), n -> {
                read[0] += n;
                context.progress().add(n);
            });
        } catch (IOException | FileCheckException e) {
            directory.failedFiles.incrementAndGet();
            throw e;
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
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        long total = 0;
        int failed = 0;
        for (FileEntry file : files) {
            context.ensureNotAborted();
            long[] read = {0};
            try {
                process(context, file, buffer, n -> {
                    read[0] += n;
                    context.progress().add(n);
                });
            } catch (IOException | FileCheckException e) {
                failed++;
                directory.failedFiles.incrementAndGet();
                TrackedTask leaf = context.child(kind.type).scope("file").entity(file.path()).track();
                leaf.progress().set(read[0], file.size());
                leaf.start();
                leaf.fail(e);
            }
            total += read[0];
        }
        if (failed > 0) {
            throw new FileCheckException(failed + " of " + files.size() + " files " + kind.failed);
        }
        context.progress().set(total, total);
    }

    /** Hashes one file, then records its digest (manifest) or checks it (verify). */
    private void process(TaskContext context, FileEntry file, ByteBuffer buffer, LongConsumer bytesRead)
            throws IOException, InterruptedException, FileCheckException {
        String digest = hash(context, file, buffer, bytesRead);
        if (kind == Kind.MANIFEST) {
            digests.put(file.path(), digest);
        } else if (!digest.equals(file.expectedDigest())) {
            throw new FileCheckException("sha256 mismatch: expected " + file.expectedDigest() + ", got " + digest);
        }
    }

    /**
     * Streams one file through SHA-256, checking for abort before each buffer, keeping to the
     * throttle, and reporting each buffer's bytes. The file must still be a regular file (not a link)
     * whose real path lies under the top directory.
     */
    private String hash(TaskContext context, FileEntry file, ByteBuffer buffer, LongConsumer bytesRead)
            throws IOException, InterruptedException, FileCheckException {
        hook.opening(file.path());
        try {
            Path path = top.resolve(file.path());
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new FileCheckException("not a regular file");
            }
            Path real = path.toRealPath();
            if (!real.startsWith(top)) {
                throw new FileCheckException("resolves to " + real + ", outside " + top);
            }
            MessageDigest sha256 = sha256();
            long total = 0;
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                while (true) {
                    context.ensureNotAborted();
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    throttle.acquire(n, context);
                    buffer.flip();
                    sha256.update(buffer);
                    total += n;
                    bytesRead.accept(n);
                    hook.read(file.path(), total);
                }
            }
            return HEX.formatHex(sha256.digest());
        } catch (NoSuchFileException e) {
            // A listed file that is not there is what verification looks for; for a manifest, a file
            // that vanished after the scan is an I/O error like any other.
            if (kind == Kind.VERIFY) {
                throw new FileCheckException("missing");
            }
            throw e;
        } finally {
            hook.closed(file.path());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
