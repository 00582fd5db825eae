package dev.taskmanager.files;

import dev.taskmanager.Task;
import dev.taskmanager.TaskBuilder;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
 * directory}. Paths are normalised and their symbolic links resolved before the check, so neither
 * {@code ..} nor a link leads outside. Refusals, missing paths and wrong file types are reported as
 * {@link IllegalArgumentException}s naming the parameter and the path, which a server turns into a
 * 400. Scanning never follows symbolic links and keeps regular files only.
 *
 * <p><b>Verification</b> checks the files the manifest lists, like {@code sha256sum -c}: a file that
 * differs fails with {@code sha256 mismatch: expected X, got Y}, a listed file that is gone fails with
 * {@code missing} (a missing file has no size to go by, so it is checked, and reported, with the
 * small files of its directory). Files present but not listed are ignored.
 *
 * <p><b>Resources.</b> All operations of one workload share two bounds: files open at once
 * ({@link Options#maxConcurrentReads()}) and directory subtrees running side by side
 * ({@link Options#parallelDirectories()}); an optional cap on the read rate
 * ({@link Options#maxBytesPerSecond()}) keeps them from starving other I/O, and makes a demo on a
 * small tree last long enough to watch. Task bodies run on the task manager's executor and a
 * directory's thread waits for its children, so the executor must not cap its threads (the default
 * cached pool, or virtual threads, are fine).
 *
 * <p><b>Servers</b> call {@link #requestManifest(String, String)} and
 * {@link #requestVerify(String, String)}: they take request parameters as strings, validate them, and
 * return the id of the started task.
 *
 * <p>Thread-safe. Closing the task manager aborts running operations.
 */
public final class FilesWorkload {
    /** The name of the module the workload's tasks belong to. */
    public static final String MODULE = "files";

    private final TaskModule module;
    private final PathPolicy paths;
    private final Options options;
    private final Semaphore reads;
    private final Semaphore directorySlots;
    private final Throttle throttle;

    private FilesWorkload(TaskModule module, PathPolicy paths, Options options) {
        this.module = module;
        this.paths = paths;
        this.options = options;
        this.reads = new Semaphore(options.maxConcurrentReads(), true);
        this.directorySlots = new Semaphore(options.parallelDirectories());
        this.throttle = new Throttle(options.maxBytesPerSecond());
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
     * needed; shared with any other workload on the same manager). Creates the work directory if it
     * does not exist yet.
     *
     * @param allowedRoots the directories under which paths may be scanned, read and written; each
     *                     must exist. Empty refuses every scan.
     * @throws IllegalArgumentException if an allowed root does not exist or is not a directory
     * @throws UncheckedIOException     if the work directory cannot be created
     */
    public static FilesWorkload create(TaskManager taskManager, Collection<Path> allowedRoots, Options options) {
        Objects.requireNonNull(taskManager, "taskManager");
        Objects.requireNonNull(allowedRoots, "allowedRoots");
        Objects.requireNonNull(options, "options");
        try {
            Files.createDirectories(options.workDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory " + options.workDirectory(), e);
        }
        PathPolicy paths = new PathPolicy(allowedRoots, options.workDirectory());
        return new FilesWorkload(taskManager.module(MODULE), paths, options);
    }

    /**
     * Starts computing the SHA-256 manifest of every regular file under {@code directory}.
     *
     * @param directory an existing directory under an allowed root
     * @param output    where to write the manifest (replaced if it exists), under an allowed root or
     *                  the work directory; {@code null} for {@link #defaultOutput(UUID)}
     * @return the running operation; its task is registered before this returns
     * @throws IllegalArgumentException naming the parameter ({@code path} or {@code output}) if a path
     *                                  is refused, missing or of the wrong type
     * @throws IllegalStateException    if the task manager is closed or the module stopped
     */
    public ManifestRun startManifest(Path directory, Path output) {
        Path top = paths.directory("path", directory);
        Path target = output == null ? null : paths.newFile("output", output);
        TreeOperation operation = new TreeOperation(TreeOperation.Kind.MANIFEST, top, options, reads,
                directorySlots, throttle);
        AtomicReference<Manifest> produced = new AtomicReference<>();
        Task task = root(TreeOperation.Kind.MANIFEST, top).start(context ->
                operation.manifest(context, target != null ? target : defaultOutput(context.id()), produced));
        CompletableFuture<Manifest> manifest = task.done().thenApply(status -> {
            if (status.state() != TaskState.DONE) {
                throw new IllegalStateException("manifest task " + status.id() + " failed: " + status.error());
            }
            return produced.get();
        });
        return new ManifestRun(task, target != null ? target : defaultOutput(task.id()), manifest);
    }

    /**
     * Starts verifying {@code directory} against {@code manifest}: every file the manifest lists is
     * re-hashed; the task ends {@code done} if all match, else {@code failed} with the failed files as
     * failed leaves. A malformed manifest, or one naming paths outside the directory, fails the root.
     *
     * @param directory an existing directory under an allowed root
     * @param manifest  an existing manifest file under an allowed root or the work directory
     * @return the root task, registered before this returns
     * @throws IllegalArgumentException naming the parameter ({@code path} or {@code manifest}) if a
     *                                  path is refused, missing or of the wrong type
     * @throws IllegalStateException    if the task manager is closed or the module stopped
     */
    public Task startVerify(Path directory, Path manifest) {
        Path top = paths.directory("path", directory);
        Path manifestFile = paths.existingFile("manifest", manifest);
        TreeOperation operation = new TreeOperation(TreeOperation.Kind.VERIFY, top, options, reads,
                directorySlots, throttle);
        return root(TreeOperation.Kind.VERIFY, top).start(context -> operation.verify(context, manifestFile));
    }

    /**
     * {@link #startManifest(Path, Path)} for request parameters, e.g. an HTTP route
     * {@code POST /files/manifest?path=...&output=...}: strings as they arrive, validated here, and
     * the task id back, which is all a route needs to answer. Relative paths resolve against the
     * process's working directory.
     *
     * @param path   the directory; required
     * @param output the manifest file; {@code null} or blank for the default
     * @return the id of the root task
     * @throws IllegalArgumentException {@code Missing mandatory parameter 'path'}, a malformed path, or
     *                                  any refusal of {@link #startManifest(Path, Path)}
     */
    public UUID requestManifest(String path, String output) {
        return startManifest(parse("path", path, true), parse("output", output, false)).task().id();
    }

    /**
     * {@link #startVerify(Path, Path)} for request parameters, e.g. an HTTP route
     * {@code POST /files/verify?path=...&manifest=...}.
     *
     * @param path     the directory; required
     * @param manifest the manifest file; required
     * @return the id of the root task
     * @throws IllegalArgumentException {@code Missing mandatory parameter '<name>'}, a malformed path,
     *                                  or any refusal of {@link #startVerify(Path, Path)}
     */
    public UUID requestVerify(String path, String manifest) {
        return startVerify(parse("path", path, true), parse("manifest", manifest, true)).id();
    }

    /**
     * Where a manifest task writes when no output is given: {@code <work directory>/<task id>.sha256},
     * so that whoever holds the task id can find the file.
     */
    public Path defaultOutput(UUID taskId) {
        return paths.workDirectory().resolve(taskId + ".sha256");
    }

    /** The allowed roots, as real paths. */
    public List<Path> allowedRoots() {
        return paths.roots();
    }

    /** The work directory, as a real path. */
    public Path workDirectory() {
        return paths.workDirectory();
    }

    /** The options this workload was created with. */
    public Options options() {
        return options;
    }

    private TaskBuilder root(TreeOperation.Kind kind, Path top) {
        return module.task(kind.type).scope("directory").entity(top.toString()).userTask().abortable()
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
     *   <tr><td>{@link #workDirectory()}</td><td>{@code <java.io.tmpdir>/taskmanager-files-<user>}</td>
     *       <td>any directory path</td></tr>
     * </table>
     */
    public static final class Options {
        private static final Options DEFAULTS = builder().build();

        private final long largeFileThreshold;
        private final int bufferSize;
        private final int maxConcurrentReads;
        private final int parallelDirectories;
        private final long maxBytesPerSecond;
        private final Path workDirectory;
        private final ReadHook hook;

        private Options(Builder builder) {
            this.largeFileThreshold = builder.largeFileThreshold != null ? builder.largeFileThreshold : 1 << 20;
            this.bufferSize = builder.bufferSize != null ? builder.bufferSize : 256 << 10;
            this.maxConcurrentReads = builder.maxConcurrentReads != null ? builder.maxConcurrentReads
                    : Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
            this.parallelDirectories = builder.parallelDirectories != null ? builder.parallelDirectories : 8;
            this.maxBytesPerSecond = builder.maxBytesPerSecond != null ? builder.maxBytesPerSecond : 0;
            this.workDirectory = builder.workDirectory != null ? builder.workDirectory : defaultWorkDirectory();
            this.hook = builder.hook != null ? builder.hook : ReadHook.NONE;
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

        /** Where manifests go by default; created if missing. */
        public Path workDirectory() {
            return workDirectory;
        }

        ReadHook hook() {
            return hook;
        }

        @Override
        public String toString() {
            return "Options[largeFileThreshold=" + largeFileThreshold + ", bufferSize=" + bufferSize
                    + ", maxConcurrentReads=" + maxConcurrentReads + ", parallelDirectories=" + parallelDirectories
                    + ", maxBytesPerSecond=" + maxBytesPerSecond + ", workDirectory=" + workDirectory + "]";
        }

        private static Path defaultWorkDirectory() {
            String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
            return Path.of(System.getProperty("java.io.tmpdir"), "taskmanager-files-" + user);
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
            private Path workDirectory;
            private ReadHook hook;

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

            /** See {@link Options#workDirectory()}. */
            public Builder workDirectory(Path directory) {
                requireUnset("workDirectory", workDirectory);
                this.workDirectory = Objects.requireNonNull(directory, "workDirectory");
                return this;
            }

            /** Test seam: called around every file read. */
            Builder hook(ReadHook hook) {
                requireUnset("hook", this.hook);
                this.hook = Objects.requireNonNull(hook, "hook");
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
