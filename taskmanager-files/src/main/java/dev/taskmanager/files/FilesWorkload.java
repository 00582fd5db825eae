package dev.taskmanager.files;

import dev.taskmanager.Task;
import dev.taskmanager.TaskBuilder;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The built-in real workload: computes SHA-256 manifests of directory trees and verifies trees
 * against manifests, each operation a tree of tasks in the {@value #MODULE} module that operators can
 * watch (progress in bytes), wait for and abort. It exists so that a task manager has real,
 * long-running work to show out of the box.
 *
 * <pre>{@code
 * FilesWorkload files = FilesWorkload.create(tm, List.of(Path.of("/srv/data")));
 * ManifestRun run = files.startManifest(Path.of("/srv/data/photos"), null);  // default output
 * Manifest manifest = run.manifest().get();                                   // after the task is done
 * Task check = files.startVerify(Path.of("/srv/data/photos"), run.output());
 * }</pre>
 *
 * <p><b>Where manifests go.</b> To the output asked for, which must not exist unless replacing it is
 * asked for ({@code overwrite}); by default to {@code <work directory>/<task id>.sha256}
 * ({@link #defaultOutput}). The work directory defaults to {@code files/} in the server's data
 * directory ({@link PrivateDirectory#defaultDataDirectory()}); it is created {@code 0700} and
 * refused if another user owns it or could write to it ({@link PrivateDirectory}). Temporary files
 * that a killed run left there are removed when the workload is created. The manifest root's
 * {@code output} child task names the file from the start.</p>
 *
 * <p><b>Task tree.</b> Root: type {@code manifest} or {@code verify}, scope {@code directory}, entity
 * the real path of the directory, progress units {@code bytes}, a user task, abortable. Below it, per
 * subdirectory a {@code directory} task (entity: its path relative to the root, {@code /}-separated),
 * per file of at least {@link Options#largeFileThreshold()} bytes a {@code file} leaf, and per
 * directory with smaller files one {@code files} leaf (entity: the directory, {@code .} for the top)
 * that hashes them in turn; a small file that fails gets a failed {@code file} leaf under it. The
 * children are internal. Leaves fail for their own file; a directory, and the root, fail when
 * anything below failed, with a count ({@code 2 of 40 files failed verification}). Folding keeps
 * the root's direct children and the paths to failed leaves.
 *
 * <p><b>Paths.</b> Every requested path is confined to the allowed roots given at creation (none by
 * default, which refuses everything): the directory to scan or verify must lie under one; a manifest
 * to read or an output to write may also lie under the {@linkplain Options#workDirectory() work
 * directory}. When a request arrives, paths are normalised and their symbolic links resolved before
 * the check, so neither {@code ..} nor a link leads outside; refusals, missing paths and wrong file
 * types are reported as {@link IllegalArgumentException}s naming the parameter and the path, which a
 * server turns into a 400. The work itself never trusts a path: it opens the allowed root and walks
 * down name by name, relative to the directories it opened and without following links, so a
 * directory swapped for a link mid-run cannot lead it outside. It keeps regular files only, checked
 * before the open and again on the open descriptor (a FIFO swapped in fails its file; it cannot
 * wedge the workload), and fails a file that changed while it was read ({@code file changed as we
 * read it}). Error messages never quote file content.
 *
 * <p><b>Verification</b> checks the files the manifest lists, like {@code sha256sum -c} (and reads
 * what it reads, {@code ./} prefixes and repeated lines included; see {@link Manifest}): a file that
 * differs fails with {@code sha256 mismatch: expected X, got Y}, a listed file that is gone fails with
 * {@code missing} (a missing file has no size to go by, so it is checked, and reported, with the
 * small files of its directory). Files present but not listed are ignored. With
 * {@code skipUnreadable}, a file that exists but cannot be read (permission denied, an I/O error) is
 * reported as a failed leaf whose error starts with {@code skipped:}, and does not fail the
 * verification.
 *
 * <p><b>Resources.</b> All operations of one workload share two bounds: files open at once
 * ({@link Options#maxConcurrentReads()}) and directory subtrees running side by side
 * ({@link Options#parallelDirectories()}); an optional cap on the read rate
 * ({@link Options#maxBytesPerSecond()}) keeps them from starving other I/O, and makes a demo on a
 * small tree last long enough to watch. Every wait is abortable, and a file-system call that makes
 * no progress for {@link Options#stallTimeout()} is given up on (its file fails), so a FIFO or a
 * hung mount cannot wedge the workload ({@link IoGuard}). Task bodies run on the task manager's
 * executor and a directory's thread waits for its children, so the executor must not cap its
 * threads (the default cached pool, or virtual threads, are fine).
 *
 * <p><b>Servers</b> call {@link #requestManifest(String, String, boolean)} and
 * {@link #requestVerify(String, String, boolean)}: they take request parameters as strings, validate
 * them, and return the id of the started task.
 *
 * <p>Thread-safe. Closing the task manager aborts running operations.
 */
public final class FilesWorkload {
    /** The name of the module the workload's tasks belong to. */
    public static final String MODULE = "files";
    /** The label of a manifest operation's root naming the file it writes (absolute path). */
    public static final String OUTPUT_LABEL = "output";
    /** The label of a verify operation's root naming the manifest it checks against (absolute path). */
    public static final String MANIFEST_LABEL = "manifest";

    private final TaskModule module;
    private final PathPolicy paths;
    private final Options options;
    private final TreeOperation.Resources resources;

    private FilesWorkload(TaskModule module, PathPolicy paths, Options options) {
        this.module = module;
        this.paths = paths;
        this.options = options;
        this.resources = new TreeOperation.Resources(options, new Semaphore(options.maxConcurrentReads(), true),
                new Semaphore(options.parallelDirectories()), new Throttle(options.maxBytesPerSecond()),
                new IoGuard(options.stallTimeout()));
    }

    /**
     * A workload with {@linkplain Options#defaults() default options}; see
     * {@link #create(TaskManager, Collection, Options)}.
     */
    public static FilesWorkload create(TaskManager taskManager, Collection<Path> allowedRoots) {
        return create(taskManager, allowedRoots, Options.defaults());
    }

    /**
     * A workload whose tasks live in the {@value #MODULE} module of {@code taskManager} (registered if
     * needed; shared with any other workload on the same manager). Creates the work directory, mode
     * {@code 0700}, if it does not exist yet, checks that nobody else can change it
     * ({@link PrivateDirectory}), and removes the temporary files that killed runs left in it.
     *
     * @param allowedRoots the directories under which paths may be scanned, read and written; each
     *                     must exist. Empty refuses every scan.
     * @throws IllegalArgumentException if an allowed root does not exist or is not a directory
     * @throws UncheckedIOException     if the work directory cannot be created, or is refused because
     *                                  another user owns it or could write to it (the message names
     *                                  the path, its owner and mode)
     */
    public static FilesWorkload create(TaskManager taskManager, Collection<Path> allowedRoots, Options options) {
        Objects.requireNonNull(taskManager, "taskManager");
        Objects.requireNonNull(allowedRoots, "allowedRoots");
        Objects.requireNonNull(options, "options");
        try {
            Path work = PrivateDirectory.ensure(options.workDirectory());
            try (OpenDirectory directory = OpenDirectory.open(work, options.forcePathFallback())) {
                AtomicFile.removeStale(directory, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("work directory " + options.workDirectory() + ": " + e.getMessage(), e);
        }
        PathPolicy paths = new PathPolicy(allowedRoots, options.workDirectory());
        return new FilesWorkload(taskManager.module(MODULE), paths, options);
    }

    /**
     * Starts computing the SHA-256 manifest of every regular file under {@code directory}; an
     * existing output is refused. See {@link #startManifest(Path, Path, boolean)}.
     */
    public ManifestRun startManifest(Path directory, Path output) {
        return startManifest(directory, output, false);
    }

    /**
     * Starts computing the SHA-256 manifest of every regular file under {@code directory}. The output
     * is written only if every file was hashed, atomically (temporary file, {@code fsync}, rename),
     * with mode {@code 0666} less the umask. If the output lies inside the directory, it is left out
     * of the manifest.
     *
     * @param directory an existing directory under an allowed root
     * @param output    where to write the manifest, in an existing directory under an allowed root or
     *                  the work directory; {@code null} for {@link #defaultOutput(UUID)}
     * @param overwrite whether an existing output may be replaced; if false, an output that exists when
     *                  the request is made is refused, and one that appears while the manifest is
     *                  computed fails the task
     * @return the running operation; its task is registered before this returns
     * @throws IllegalArgumentException naming the parameter ({@code path} or {@code output}) if a path
     *                                  is refused, missing, of the wrong type, or exists without
     *                                  {@code overwrite}
     * @throws IllegalStateException    if the task manager is closed or the module stopped
     */
    public ManifestRun startManifest(Path directory, Path output, boolean overwrite) {
        PathPolicy.Location top = paths.directory("path", directory);
        PathPolicy.Location target = output == null ? null : paths.newFile("output", output, overwrite);
        TreeOperation operation = new TreeOperation(TreeOperation.Kind.MANIFEST, top, resources, false);
        AtomicReference<Manifest> produced = new AtomicReference<>();
        // The id is drawn here, not by the builder, so that the default output (named after the task)
        // can be a label of the task from its creation: whoever holds the id sees where it writes.
        UUID id = UUID.randomUUID();
        PathPolicy.Location destination = target != null ? target : paths.inWorkDirectory(defaultName(id));
        Task task = root(TreeOperation.Kind.MANIFEST, top).id(id).label(OUTPUT_LABEL, destination.path().toString())
                .start(context -> operation.manifest(context, destination, overwrite, produced));
        CompletableFuture<Manifest> manifest = task.done().thenApply(status -> {
            if (status.state() != TaskState.DONE) {
                throw new IllegalStateException("manifest task " + status.id() + " failed: " + status.error());
            }
            return produced.get();
        });
        return new ManifestRun(task, destination.path(), manifest);
    }

    /**
     * Starts verifying {@code directory} against {@code manifest}, failing on unreadable files. See
     * {@link #startVerify(Path, Path, boolean)}.
     */
    public Task startVerify(Path directory, Path manifest) {
        return startVerify(directory, manifest, false);
    }

    /**
     * Starts verifying {@code directory} against {@code manifest}: every file the manifest lists is
     * re-hashed; the task ends {@code done} if all match, else {@code failed} with the failed files as
     * failed leaves. A malformed manifest, or one naming paths outside the directory, fails the root.
     *
     * @param directory      an existing directory under an allowed root
     * @param manifest       an existing manifest file under an allowed root or the work directory
     * @param skipUnreadable whether files that exist but cannot be read are reported (failed leaves
     *                       whose error starts with {@code skipped:}) instead of failing the verification
     * @return the root task, registered before this returns
     * @throws IllegalArgumentException naming the parameter ({@code path} or {@code manifest}) if a
     *                                  path is refused, missing or of the wrong type
     * @throws IllegalStateException    if the task manager is closed or the module stopped
     */
    public Task startVerify(Path directory, Path manifest, boolean skipUnreadable) {
        PathPolicy.Location top = paths.directory("path", directory);
        PathPolicy.Location manifestFile = paths.existingFile("manifest", manifest);
        TreeOperation operation = new TreeOperation(TreeOperation.Kind.VERIFY, top, resources, skipUnreadable);
        return root(TreeOperation.Kind.VERIFY, top).label(MANIFEST_LABEL, manifestFile.path().toString())
                .start(context -> operation.verify(context, manifestFile));
    }

    /**
     * {@link #startManifest(Path, Path, boolean)} for request parameters, e.g. an HTTP route
     * {@code POST /files/manifest?path=...&output=...&overwrite=...}: strings as they arrive,
     * validated here, and the task id back, which is all a route needs to answer. Relative paths
     * resolve against the process's working directory.
     *
     * @param path      the directory; required
     * @param output    the manifest file; {@code null} or blank for the default
     * @param overwrite whether an existing output may be replaced
     * @return the id of the root task
     * @throws IllegalArgumentException {@code Missing mandatory parameter 'path'}, a malformed path, or
     *                                  any refusal of {@link #startManifest(Path, Path, boolean)}
     */
    public UUID requestManifest(String path, String output, boolean overwrite) {
        return startManifest(parse("path", path, true), parse("output", output, false), overwrite).task().id();
    }

    /**
     * {@link #startVerify(Path, Path, boolean)} for request parameters, e.g. an HTTP route
     * {@code POST /files/verify?path=...&manifest=...&skip_unreadable=...}.
     *
     * @param path           the directory; required
     * @param manifest       the manifest file; required
     * @param skipUnreadable whether unreadable files are reported and skipped rather than failing
     * @return the id of the root task
     * @throws IllegalArgumentException {@code Missing mandatory parameter '<name>'}, a malformed path,
     *                                  or any refusal of {@link #startVerify(Path, Path, boolean)}
     */
    public UUID requestVerify(String path, String manifest, boolean skipUnreadable) {
        return startVerify(parse("path", path, true), parse("manifest", manifest, true), skipUnreadable).id();
    }

    /**
     * Where a manifest task writes when no output is given: {@code <work directory>/<task id>.sha256},
     * so that whoever holds the task id can find the file.
     */
    public Path defaultOutput(UUID taskId) {
        return paths.workDirectory().resolve(defaultName(taskId));
    }

    private static String defaultName(UUID taskId) {
        return taskId + ".sha256";
    }

    /** The allowed roots, as real paths. */
    public List<Path> allowedRoots() {
        return paths.roots();
    }

    /** The work directory, as a real path. */
    public Path workDirectory() {
        return paths.workDirectory();
    }

    /** File-system calls given up on that have not ended yet (see {@link IoGuard}); for tests. */
    int stuckCalls() {
        return resources.guard().stuckCalls();
    }

    /** The options this workload was created with. */
    public Options options() {
        return options;
    }

    private TaskBuilder root(TreeOperation.Kind kind, PathPolicy.Location top) {
        return module.task(kind.type).scope("directory").entity(top.path().toString()).userTask().abortable()
                .progressUnits("bytes");
    }

    private static Path parse(String parameter, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new IllegalArgumentException("Missing mandatory parameter '" + parameter + "'");
            }
            return null;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "': '" + value + "' is not a valid path: "
                    + e.getReason());
        }
    }

    @Override
    public String toString() {
        return "FilesWorkload[allowed " + paths.roots() + ", work directory " + paths.workDirectory() + "]";
    }

    /**
     * Tuning of a {@link FilesWorkload}. Immutable; build with {@link #builder()}.
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>default</th><th>limits</th></tr>
     *   <tr><td>{@link #largeFileThreshold()}</td><td>1 MiB</td><td>at least 1 byte</td></tr>
     *   <tr><td>{@link #bufferSize()}</td><td>256 KiB</td><td>4 KiB to 16 MiB</td></tr>
     *   <tr><td>{@link #maxConcurrentReads()}</td><td>processors, from 2 to 4</td><td>1 to 256</td></tr>
     *   <tr><td>{@link #parallelDirectories()}</td><td>8</td><td>1 to 1024</td></tr>
     *   <tr><td>{@link #maxBytesPerSecond()}</td><td>0 (no cap)</td><td>0, or at least 1024</td></tr>
     *   <tr><td>{@link #stallTimeout()}</td><td>30 s</td><td>10 ms to 1 hour</td></tr>
     *   <tr><td>{@link #workDirectory()}</td><td>{@code files} in
     *       {@link PrivateDirectory#defaultDataDirectory()}</td><td>a directory only its owner may change</td></tr>
     * </table>
     */
    public static final class Options {
        private static final Options DEFAULTS = builder().build();

        private final long largeFileThreshold;
        private final int bufferSize;
        private final int maxConcurrentReads;
        private final int parallelDirectories;
        private final long maxBytesPerSecond;
        private final Duration stallTimeout;
        private final Path workDirectory;
        private final IoHook hook;
        private final boolean forcePathFallback;

        private Options(Builder builder) {
            this.largeFileThreshold = builder.largeFileThreshold != null ? builder.largeFileThreshold : 1 << 20;
            this.bufferSize = builder.bufferSize != null ? builder.bufferSize : 256 << 10;
            this.maxConcurrentReads = builder.maxConcurrentReads != null ? builder.maxConcurrentReads
                    : Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
            this.parallelDirectories = builder.parallelDirectories != null ? builder.parallelDirectories : 8;
            this.maxBytesPerSecond = builder.maxBytesPerSecond != null ? builder.maxBytesPerSecond : 0;
            this.stallTimeout = builder.stallTimeout != null ? builder.stallTimeout : Duration.ofSeconds(30);
            this.workDirectory = builder.workDirectory != null ? builder.workDirectory
                    : PrivateDirectory.defaultDataDirectory().resolve(MODULE);
            this.hook = builder.hook != null ? builder.hook : IoHook.NONE;
            this.forcePathFallback = builder.forcePathFallback;
        }

        /** Every setting at its default. */
        public static Options defaults() {
            return DEFAULTS;
        }

        /** A builder with every setting at its default. */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * Files of at least this many bytes get a {@code file} leaf of their own; smaller ones are
         * hashed together by their directory's {@code files} leaf, which keeps trees of many tiny files
         * from costing a task each.
         */
        public long largeFileThreshold() {
            return largeFileThreshold;
        }

        /** Bytes read per call: between two reads, hashing checks for abort and reports progress. */
        public int bufferSize() {
            return bufferSize;
        }

        /** How many files the workload reads at once, across all its operations. */
        public int maxConcurrentReads() {
            return maxConcurrentReads;
        }

        /**
         * How many directory subtrees, across all operations, may run alongside their parent; when all
         * are taken, a directory works through its next subdirectory before starting another. This
         * bounds the threads a huge tree takes.
         */
        public int parallelDirectories() {
            return parallelDirectories;
        }

        /**
         * The most bytes per second the workload reads, across all its operations; 0 for no cap.
         * Abort still takes effect promptly while a read waits for its turn.
         */
        public long maxBytesPerSecond() {
            return maxBytesPerSecond;
        }

        /**
         * How long a file-system call may make no progress (no buffer read, no directory entry listed)
         * before the workload gives up on it and fails its file: a FIFO swapped in for a file, or a
         * hung network mount, blocks a call with no way to interrupt it.
         */
        public Duration stallTimeout() {
            return stallTimeout;
        }

        /**
         * Where manifests go by default: created {@code 0700} if missing, and refused if another user
         * owns it or could write to it ({@link PrivateDirectory}).
         */
        public Path workDirectory() {
            return workDirectory;
        }

        IoHook hook() {
            return hook;
        }

        /** Test seam: whether to use the path-based fallback of {@link OpenDirectory} even on Linux. */
        boolean forcePathFallback() {
            return forcePathFallback;
        }

        @Override
        public String toString() {
            return "Options[largeFileThreshold=" + largeFileThreshold + ", bufferSize=" + bufferSize
                    + ", maxConcurrentReads=" + maxConcurrentReads + ", parallelDirectories=" + parallelDirectories
                    + ", maxBytesPerSecond=" + maxBytesPerSecond + ", stallTimeout=" + stallTimeout
                    + ", workDirectory=" + workDirectory + "]";
        }

        /**
         * Configures {@link Options}. Each setting may be given once: a repeated setting is rejected,
         * naming the value already given. Not thread-safe.
         */
        public static final class Builder {
            private Long largeFileThreshold;
            private Integer bufferSize;
            private Integer maxConcurrentReads;
            private Integer parallelDirectories;
            private Long maxBytesPerSecond;
            private Duration stallTimeout;
            private Path workDirectory;
            private IoHook hook;
            private boolean forcePathFallback;

            private Builder() {
            }

            /** See {@link Options#largeFileThreshold()}; at least 1. */
            public Builder largeFileThreshold(long bytes) {
                requireUnset("largeFileThreshold", largeFileThreshold);
                if (bytes < 1) {
                    throw new IllegalArgumentException("largeFileThreshold must be at least 1 byte, got " + bytes);
                }
                this.largeFileThreshold = bytes;
                return this;
            }

            /** See {@link Options#bufferSize()}; from 4096 to 16 MiB. */
            public Builder bufferSize(int bytes) {
                requireUnset("bufferSize", bufferSize);
                this.bufferSize = requireBetween("bufferSize", bytes, 4096, 16 << 20);
                return this;
            }

            /** See {@link Options#maxConcurrentReads()}; from 1 to 256. */
            public Builder maxConcurrentReads(int reads) {
                requireUnset("maxConcurrentReads", maxConcurrentReads);
                this.maxConcurrentReads = requireBetween("maxConcurrentReads", reads, 1, 256);
                return this;
            }

            /** See {@link Options#parallelDirectories()}; from 1 to 1024. */
            public Builder parallelDirectories(int directories) {
                requireUnset("parallelDirectories", parallelDirectories);
                this.parallelDirectories = requireBetween("parallelDirectories", directories, 1, 1024);
                return this;
            }

            /** See {@link Options#maxBytesPerSecond()}; 0 for no cap, else at least 1024. */
            public Builder maxBytesPerSecond(long bytesPerSecond) {
                requireUnset("maxBytesPerSecond", maxBytesPerSecond);
                if (bytesPerSecond != 0 && bytesPerSecond < 1024) {
                    throw new IllegalArgumentException("maxBytesPerSecond must be 0 (no cap) or at least 1024, got "
                            + bytesPerSecond);
                }
                this.maxBytesPerSecond = bytesPerSecond;
                return this;
            }

            /** See {@link Options#stallTimeout()}; from 10 ms to 1 hour. */
            public Builder stallTimeout(Duration timeout) {
                requireUnset("stallTimeout", stallTimeout);
                Objects.requireNonNull(timeout, "stallTimeout");
                if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
                    throw new IllegalArgumentException("stallTimeout must be between 10 ms and 1 hour, got "
                            + timeout);
                }
                this.stallTimeout = timeout;
                return this;
            }

            /** See {@link Options#workDirectory()}. */
            public Builder workDirectory(Path directory) {
                requireUnset("workDirectory", workDirectory);
                this.workDirectory = Objects.requireNonNull(directory, "workDirectory");
                return this;
            }

            /** Test seam: called around every file read and written. */
            Builder hook(IoHook hook) {
                requireUnset("hook", this.hook);
                this.hook = Objects.requireNonNull(hook, "hook");
                return this;
            }

            /** Test seam: see {@link Options#forcePathFallback()}. */
            Builder forcePathFallback() {
                this.forcePathFallback = true;
                return this;
            }

            /** The options. */
            public Options build() {
                return new Options(this);
            }

            private static int requireBetween(String setting, int value, int min, int max) {
                if (value < min || value > max) {
                    throw new IllegalArgumentException(setting + " must be between " + min + " and " + max
                            + ", got " + value);
                }
                return value;
            }

            private static void requireUnset(String setting, Object current) {
                if (current != null) {
                    throw new IllegalStateException(setting + " was already set to " + current);
                }
            }
        }
    }
}
