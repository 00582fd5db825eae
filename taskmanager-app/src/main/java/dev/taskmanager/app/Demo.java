package dev.taskmanager.app;

import dev.taskmanager.Task;
import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.cli.FilesCli;
import dev.taskmanager.cli.TasksCli;
import dev.taskmanager.files.FilesWorkload;
import dev.taskmanager.files.Manifest;
import dev.taskmanager.files.PrivateDirectory;
import dev.taskmanager.server.ServeCommand;
import dev.taskmanager.server.ServerOptions;
import dev.taskmanager.server.TaskManagerServer;
import dev.taskmanager.store.HistoryStore;
import dev.taskmanager.store.StoredTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code demo [--keep-serving] [--api-port N] [--path DIR] [--data-dir DIR]}: the task manager doing
 * real work in one command.
 *
 * <ol>
 *   <li>Starts the server in this process on port 10000 (or {@code --api-port}; if that port is taken,
 *       on a free one, and says so), with the files routes on, the test API off, and the directory as
 *       the only allowed root.</li>
 *   <li>Records every task in the history under the data directory ({@code history/}, node
 *       {@code demo@HOST}), and shows the previous run's manifest task read back from it: that task left
 *       memory when its run ended.</li>
 *   <li>Starts a SHA-256 manifest of the directory (default: the running JDK's {@code java.home},
 *       which exists wherever this runs) <em>through HTTP</em>, {@code POST /files/manifest}, so the
 *       demo exercises the real API; the manifest goes to a new temporary directory. Reads are capped
 *       so that the run lasts about {@value #TARGET_SECONDS} seconds and the progress can be watched.</li>
 *   <li>Shows the tree and progress live ({@link ProgressView}) until the task ends, then prints the
 *       final tree with the {@code tasks tree} CLI against the in-process server, and real byte counts.</li>
 *   <li>Verifies the directory against the manifest, again through HTTP ({@code POST /files/verify}),
 *       at full speed.</li>
 *   <li>Prints the {@code curl} and CLI commands to try next, with the actual port and ids, and the
 *       dashboard's URL (printed at start too, {@code /ui/}); with {@code --keep-serving} keeps serving
 *       until Ctrl-C, so the dashboard stays open.</li>
 * </ol>
 * Exit code: 0 if both operations ended {@code done}, 1 if one failed or the server could not start,
 * 2 for a bad command line.
 */
final class Demo {
    static final int TARGET_SECONDS = 7;
    /** The demo's node name in the history is this, then the host name. */
    static final String DEMO_NODE_PREFIX = "demo@";
    /** Below this, no read cap: there is nothing to watch anyway. */
    static final long SMALL_TREE_BYTES = 8L << 20;

    private static final int FAILED = 1;
    private static final int USAGE_ERROR = 2;

    private Demo() {
    }

    /** How the progress is shown. */
    enum Display {
        LIVE, PLAIN;

        /** Live on a terminal that understands cursor movement, plain otherwise (piped, {@code TERM=dumb}). */
        static Display detect(PrintStream out) {
            String term = System.getenv("TERM");
            boolean terminal = out == System.out && System.console() != null && term != null && !term.isBlank()
                    && !term.equals("dumb");
            return terminal ? LIVE : PLAIN;
        }
    }

    /** The demo's command line. */
    record Options(boolean keepServing, int port, Path path, Path dataDirectory, boolean help) {
        static Options parse(String... args) {
            boolean keepServing = false;
            boolean help = false;
            Integer port = null;
            Path path = null;
            Path dataDirectory = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int eq = arg.indexOf('=');
                String name = arg.startsWith("--") && eq > 2 ? arg.substring(0, eq) : arg;
                String inline = name.equals(arg) ? null : arg.substring(eq + 1);
                switch (name) {
                    case "--help":
                        help = true;
                        break;
                    case "--keep-serving":
                        if (inline != null) {
                            throw new IllegalArgumentException("option '--keep-serving' does not take a value");
                        }
                        keepServing = true;
                        break;
                    case "--api-port":
                    case "--data-dir":
                    case "--path": {
                        String value = inline;
                        if (value == null) {
                            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                                throw new IllegalArgumentException("option '" + name + "' needs a value");
                            }
                            value = args[++i];
                        }
                        if (name.equals("--data-dir")) {
                            if (dataDirectory != null) {
                                throw new IllegalArgumentException("option '--data-dir' is given more than once");
                            }
                            if (value.isBlank()) {
                                throw new IllegalArgumentException("invalid value '' for option '--data-dir'");
                            }
                            dataDirectory = Path.of(value).toAbsolutePath().normalize();
                        } else if (name.equals("--api-port")) {
                            if (port != null) {
                                throw new IllegalArgumentException("option '--api-port' is given more than once");
                            }
                            port = port(value);
                        } else {
                            if (path != null) {
                                throw new IllegalArgumentException("option '--path' is given more than once");
                            }
                            path = directory(value);
                        }
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unrecognised option '" + arg + "'");
                }
            }
            return new Options(keepServing, port == null ? TaskManagerServer.DEFAULT_PORT : port,
                    path == null ? Path.of(System.getProperty("java.home")) : path,
                    dataDirectory == null ? PrivateDirectory.defaultDataDirectory() : dataDirectory, help);
        }

        private static int port(String value) {
            if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) > 65535) {
                throw new IllegalArgumentException("invalid value '" + value + "' for option '--api-port': "
                        + "expected a port from 0 to 65535");
            }
            return Integer.parseInt(value);
        }

        private static Path directory(String value) {
            try {
                Path path = Path.of(value);
                if (!value.isBlank() && Files.isDirectory(path)) {
                    return path;
                }
            } catch (InvalidPathException e) {
                // reported below
            }
            throw new IllegalArgumentException("invalid value '" + value + "' for option '--path': "
                    + "not an existing directory");
        }
    }

    static String usage() {
        return String.join("\n",
                "usage: taskmanager demo [--keep-serving] [--api-port N] [--path DIR] [--data-dir DIR]",
                "",
                "Starts the server in this process, computes the SHA-256 manifest of a directory",
                "through the REST API, shows the task tree and its progress live, prints the final",
                "tree, then verifies the directory against the manifest. Every task is recorded in",
                "history; the next run shows this one's manifest, read back from it.",
                "",
                "Options:",
                "  --path DIR         the directory to hash (default: the running JDK, " + System.getProperty("java.home") + ")",
                "  --api-port N       the port to serve on (default 10000; a free one if it is taken; 0 for any)",
                "  --data-dir DIR     where the demo's history goes, in history/ (default: serve's data directory)",
                "  --keep-serving     keep the server up afterwards, until Ctrl-C",
                "  --help             print this help and exit",
                "");
    }

    static int run(PrintStream out, PrintStream err, Display display, String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + " (see taskmanager demo --help)");
            return USAGE_ERROR;
        }
        if (options.help()) {
            out.print(usage());
            return 0;
        }
        try {
            return new Session(out, err, display == Display.LIVE, options).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return FAILED;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
    }

    /** One run of the demo. */
    private static final class Session {
        private final PrintStream out;
        private final PrintStream err;
        private final boolean live;
        private final Options options;
        private TaskManagerServer server;
        private String host;
        private HistoryStore history;

        Session(PrintStream out, PrintStream err, boolean live, Options options) {
            this.out = out;
            this.err = err;
            this.live = live;
            this.options = options;
        }

        int run() throws IOException, InterruptedException {
            Path directory = options.path().toRealPath();
            Size size = Size.of(directory);
            long cap = readCap(size.bytes);
            Path work = Files.createTempDirectory("taskmanager-demo-");
            Path manifestFile = work.resolve(name(directory) + ".sha256");

            ServerOptions defaults = ServeCommand.parse();
            TaskManager tm = defaults.newTaskManager();
            history = openHistory(tm);
            try {
                // Manifests are read-capped so that there is something to watch; verification is not.
                FilesWorkload manifests = FilesWorkload.create(tm, List.of(directory), FilesWorkload.Options.builder()
                        .maxBytesPerSecond(cap).workDirectory(work).build());
                FilesWorkload verifications = FilesWorkload.create(tm, List.of(directory),
                        FilesWorkload.Options.builder().workDirectory(work).build());
                server = start(defaults, tm, manifests, verifications);
            } catch (IOException | RuntimeException e) {
                tm.close();
                closeHistory();
                throw e;
            }
            host = server.bindAddress();
            int port = server.port();
            try {
                out.printf("Hashing %s: %d files, %s (%d bytes)%s.%n", directory, size.files,
                        ProgressView.bytes(size.bytes), size.bytes, cap == 0 ? ""
                                : "; reads capped at " + ProgressView.bytes(cap) + "/s so that it lasts about "
                                + TARGET_SECONDS + " s");
                showPreviousRun();
                Map<String, String> params = new LinkedHashMap<>();
                params.put("path", directory.toString());
                params.put("output", manifestFile.toString());
                Phase manifest = phase("manifest", FilesRoutes.MANIFEST, params);
                if (manifest == null) {
                    return FAILED;
                }
                out.println();
                out.println("The final tree of task " + manifest.id + " (in full: ./taskmanager tasks tree "
                        + manifest.id + portOption(port) + "):");
                ProgressView.tree(manifest.task.statusRecursive()).forEach(out::println);
                out.println();
                boolean ok = manifest.status.state() == TaskState.DONE;
                if (ok) {
                    int files = Manifest.read(manifestFile).size();
                    out.printf("Manifest: done in %s: %d files, %d bytes (%s) hashed, %s.%n",
                            ProgressView.seconds(manifest.elapsed), files,
                            (long) manifest.status.progress().completed(),
                            ProgressView.bytes(manifest.status.progress().completed()),
                            ProgressView.rate(manifest.status.progress().completed(), manifest.elapsed));
                    out.println("Written to " + manifestFile);
                    out.println("  (sha256sum format: 'cd " + directory + " && sha256sum -c " + manifestFile
                            + "' agrees)");
                    params = new LinkedHashMap<>();
                    params.put("path", directory.toString());
                    params.put("manifest", manifestFile.toString());
                    Phase verify = phase("verify", FilesRoutes.VERIFY, params);
                    if (verify == null) {
                        return FAILED;
                    }
                    ok = verify.status.state() == TaskState.DONE;
                    out.printf("Verify: %s in %s: %s; %d bytes (%s) re-hashed, %s.%n",
                            verify.status.state().wireName(), ProgressView.seconds(verify.elapsed),
                            ok ? "all " + files + " files match" : verify.status.error(),
                            (long) verify.status.progress().completed(),
                            ProgressView.bytes(verify.status.progress().completed()),
                            ProgressView.rate(verify.status.progress().completed(), verify.elapsed));
                } else {
                    out.println("Manifest: failed: " + manifest.status.error());
                }
                out.println();
                out.println("The files module's tasks, as './taskmanager tasks list files" + portOption(port)
                        + "' prints them:");
                TasksCli.run(out, err, "tasks", "list", FilesWorkload.MODULE, "-h", host, "-p", String.valueOf(port));
                out.println();
                tryNext(port, manifest.id, directory, manifestFile);
                if (options.keepServing()) {
                    serveUntilStopped();
                }
                return ok ? 0 : FAILED;
            } finally {
                server.close(); // closes the task manager: the last states reach the history, which closes next
                closeHistory();
            }
        }

        /**
         * The demo's history, under the data directory's {@code history/} like {@code serve}'s, as node
         * {@code demo@HOST} so that it never takes a running server's tasks for its own; {@code null}
         * (and a line saying why) if it cannot be opened: the demo runs without.
         */
        private HistoryStore openHistory(TaskManager tm) {
            try {
                Path directory = PrivateDirectory.ensure(PrivateDirectory.ensure(options.dataDirectory())
                        .resolve(History.DIRECTORY));
                return HistoryStore.builder().sqlite(directory).nodeName(DEMO_NODE_PREFIX + HistoryStore.defaultNodeName())
                        .taskManager(tm).open();
            } catch (IOException | RuntimeException e) {
                out.println("History: not recorded this time (" + e.getMessage() + ")");
                return null;
            }
        }

        private void closeHistory() {
            if (history != null) {
                history.close();
            }
        }

        /**
         * The previous run's operations (its manifest and verification), read back from the history:
         * they left memory when that run ended.
         */
        private void showPreviousRun() {
            if (history == null) {
                return;
            }
            List<StoredTask> recent;
            try {
                recent = history.recent(FilesWorkload.MODULE, 2); // a run's manifest and verification
            } catch (RuntimeException e) {
                out.println("History: cannot read it (" + e.getMessage() + ")");
                return;
            }
            if (recent.isEmpty()) {
                out.println("History: " + history.description() + " holds no earlier run yet; run the demo again "
                        + "to see this one read back from it.");
                return;
            }
            out.println("From the previous run, read back from history (" + history.description() + "):");
            for (int i = recent.size() - 1; i >= 0; i--) {
                TaskStatus last = recent.get(i).status();
                out.println("  task " + last.id() + ": " + last.type() + " of " + last.entity() + ", "
                        + last.state().wireName() + (last.endTime() == null ? ""
                        : " at " + last.endTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        + ", " + ProgressView.bytes(last.progress().completed())
                        + (last.error().isEmpty() ? "" : ", error: " + last.error()));
            }
        }

        /** Starts the server on the asked port, or on a free one if that fails. */
        private TaskManagerServer start(ServerOptions defaults, TaskManager tm, FilesWorkload manifests,
                                        FilesWorkload verifications) throws IOException {
            int port = options.port();
            try {
                TaskManagerServer started = build(defaults, tm, manifests, verifications, port).start();
                out.println("Task manager API listening on " + started.uri() + " (in this process)");
                printDashboard(started);
                return started;
            } catch (IOException e) {
                if (port == 0) {
                    throw e;
                }
                TaskManagerServer started = build(defaults, tm, manifests, verifications, 0).start();
                out.println("Task manager API listening on " + started.uri() + " (in this process; port " + port
                        + " is taken: " + e.getMessage() + ")");
                printDashboard(started);
                return started;
            }
        }

        private void printDashboard(TaskManagerServer started) {
            started.dashboardUri().ifPresent(ui -> out.println("Dashboard: " + ui + " (open it in a browser to watch "
                    + "the tasks live)"));
        }

        private static TaskManagerServer build(ServerOptions defaults, TaskManager tm, FilesWorkload manifests,
                                               FilesWorkload verifications, int port) {
            return FilesRoutes.mount(defaults.newServer(tm).port(port).enableTestApi(false), manifests, verifications)
                    .build();
        }

        /** An operation that ended: its id, task, final status and how long it took. */
        private record Phase(UUID id, Task task, TaskStatus status, Duration elapsed) {
        }

        /** {@code " -p PORT"}: said even for the default port, so that the commands can be copied as they are. */
        private static String portOption(int port) {
            return " -p " + port;
        }

        /**
         * Starts an operation through HTTP, with {@code taskmanager files <subcommand>} as a user would,
         * and shows it until it ends; {@code null} if it could not start (the CLI's message is on stderr).
         */
        private Phase phase(String subcommand, String route, Map<String, String> params)
                throws InterruptedException {
            out.println();
            StringBuilder request = new StringBuilder("POST ").append(route);
            char separator = '?';
            for (Map.Entry<String, String> p : params.entrySet()) {
                request.append(separator).append(p.getKey()).append('=').append(p.getValue());
                separator = '&';
            }
            Counter counter = new Counter();
            TaskManager tm = server.taskManager();
            tm.addListener(counter);
            try {
                long start = System.nanoTime();
                UUID id = start(subcommand, params);
                if (id == null) {
                    return null;
                }
                out.println(request);
                out.println("  -> task " + id);
                Task task = tm.find(id).orElseThrow(() -> new IllegalStateException("task " + id + " vanished"));
                TaskStatus last = watch(task, counter, start);
                return new Phase(id, task, last, Duration.ofNanos(System.nanoTime() - start));
            } finally {
                tm.removeListener(counter);
            }
        }

        /**
         * Runs {@code files <subcommand> --host=H --port=P --<name>=<value>... -- <path>} and returns the id
         * it prints, or {@code null} if it failed, having said why on {@code err}. Values are attached and
         * the path comes after {@code --}, so that none can be taken for an option.
         */
        private UUID start(String subcommand, Map<String, String> params) {
            List<String> args = new ArrayList<>(List.of("files", subcommand, "--host=" + host,
                    "--port=" + server.port()));
            params.forEach((name, value) -> {
                if (!name.equals("path")) {
                    args.add("--" + name + "=" + value);
                }
            });
            args.add("--");
            args.add(params.get("path"));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int code = FilesCli.run(new PrintStream(printed, true, StandardCharsets.UTF_8), err,
                    args.toArray(new String[0]));
            return code == 0 ? UUID.fromString(printed.toString(StandardCharsets.UTF_8).trim()) : null;
        }

        private TaskStatus watch(Task task, Counter counter, long start) throws InterruptedException {
            ProgressView view = new ProgressView(out, live);
            try {
                while (true) {
                    try {
                        TaskStatus last = task.done().get(view.interval().toNanos(), TimeUnit.NANOSECONDS);
                        view.show(new ProgressView.Snapshot(last, List.of(), counter.finished.get(),
                                counter.failed.get(), Duration.ofNanos(System.nanoTime() - start)));
                        return last;
                    } catch (TimeoutException e) {
                        List<TaskStatus> tree = task.statusRecursive();
                        List<TaskStatus> running = new ArrayList<>();
                        for (TaskStatus status : tree.subList(1, tree.size())) {
                            if (ProgressView.isRunning(status)) {
                                running.add(status);
                            }
                        }
                        view.show(new ProgressView.Snapshot(tree.get(0), running, counter.finished.get(),
                                counter.failed.get(), Duration.ofNanos(System.nanoTime() - start)));
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("a task's done() never fails", e);
                    }
                }
            } finally {
                view.close();
            }
        }

        private void tryNext(int port, UUID manifestId, Path directory, Path manifestFile) {
            String api = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            String p = portOption(port);
            if (options.keepServing()) {
                out.println("Try next, while this keeps serving:");
            } else {
                out.println("Try next. The server stops with this demo: run './taskmanager demo --keep-serving' to keep it,");
                out.println("or start your own with './taskmanager serve --allow-path DIR' and 'files manifest DIR':");
            }
            server.dashboardUri().ifPresent(ui -> out.println("  open " + ui + "tasks/" + manifestId
                    + "   (the dashboard: the tree, live progress, abort)"));
            List<String> commands = List.of(
                    "curl -s " + api + "/task_manager/task_status/" + manifestId,
                    "curl -s " + api + "/task_manager/task_status_recursive/" + manifestId,
                    "curl -s " + api + "/task_manager/list_module_tasks/files",
                    "./taskmanager tasks list files" + p,
                    "./taskmanager tasks tree " + manifestId + p,
                    "./taskmanager files verify " + directory + " --manifest " + manifestFile + p,
                    "./taskmanager tasks wait <the id it prints>" + p);
            for (String command : commands) {
                out.println("  " + command);
            }
        }

        private void serveUntilStopped() throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "taskmanager-demo-shutdown"));
            out.println();
            out.println("Serving on " + server.uri() + " until Ctrl-C; finished operations stay listed for "
                    + server.taskManager().userTaskTtl().toMinutes() + " minutes.");
            server.dashboardUri().ifPresent(ui -> out.println("Dashboard: " + ui));
            out.flush();
            stopped.await();
        }

        private static String name(Path directory) {
            Path name = directory.getFileName();
            return name == null ? "root" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }

    /** The read cap that makes hashing {@code bytes} last about {@value #TARGET_SECONDS} seconds; 0 for none. */
    static long readCap(long bytes) {
        if (bytes < SMALL_TREE_BYTES) {
            return 0;
        }
        return Math.max(1L << 20, bytes / TARGET_SECONDS);
    }

    /** Counts the tasks that finish below one root (all of the demo's tasks, one operation at a time). */
    private static final class Counter implements TaskListener {
        final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void onFinished(TaskStatus status) {
            if (status.parentId() == null) {
                return;
            }
            finished.incrementAndGet();
            if (status.state() == TaskState.FAILED) {
                failed.incrementAndGet();
            }
        }
    }

    /** Files and bytes the operations will read: regular files, links not followed, as the workload scans. */
    record Size(long files, long bytes) {
        static Size of(Path directory) throws IOException {
            long[] counts = new long[2];
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        counts[0]++;
                        counts[1] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
            return new Size(counts[0], counts[1]);
        }
    }
}
