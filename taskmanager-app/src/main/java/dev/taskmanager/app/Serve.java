package dev.taskmanager.app;

import dev.taskmanager.TaskManager;
import dev.taskmanager.files.FilesWorkload;
import dev.taskmanager.files.PrivateDirectory;
import dev.taskmanager.server.ServeCommand;
import dev.taskmanager.server.ServerOptions;
import dev.taskmanager.server.TaskManagerServer;
import dev.taskmanager.micrometer.HistoryHealth;
import dev.taskmanager.micrometer.HistoryMetrics;
import dev.taskmanager.store.HistoryStore;
import dev.taskmanager.store.StoreHealth;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code serve}: the server's own {@code serve} ({@link ServeCommand}) plus the files workload, whose
 * routes ({@link FilesRoutes}) may touch only the directories given with the repeatable
 * {@code --allow-path DIR} (none by default, which refuses every path).
 *
 * <p>{@code --data-dir DIR} is where the server keeps its state (default
 * {@link PrivateDirectory#defaultDataDirectory()}: {@code $XDG_STATE_HOME/taskmanager} or
 * {@code ~/.local/state/taskmanager}); it is created {@code 0700} and refused if another user owns
 * it or could write to it. The files workload uses its {@code files/} subdirectory, where manifests
 * go by default.
 *
 * <p>History ({@link History}, docs/history.md): by default every task is recorded in SQLite under
 * {@code <data dir>/history/}; {@code --store jdbc:postgresql://...} records it in PostgreSQL
 * ({@code --store-user}, {@code --store-password-file}), {@code --store memory} turns history off.
 * {@code --node-name} names this server in the store, {@code --history-retention} and
 * {@code --history-max-tasks} bound it. The store is closed after the server, so that the final
 * states of the tasks the server stops are written too.
 *
 * <p>The app takes its own flags off the command line and hands the rest to {@link ServeCommand}, so
 * every other flag, message and exit code is the server's.
 */
final class Serve {
    static final String ALLOW_PATH = "--allow-path";
    static final String DATA_DIR = "--data-dir";

    private Serve() {
    }

    /** Runs {@code serve}: returns 2 for a bad command line, 0 after {@code --help}, else blocks until shutdown. */
    static int run(PrintStream out, PrintStream err, String... args) {
        Arguments arguments;
        ServerOptions options;
        try {
            arguments = Arguments.parse(args);
            options = ServeCommand.parse(arguments.serverArgs);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + " (see taskmanager serve --help)");
            return ServeCommand.USAGE_ERROR;
        }
        if (options.help()) {
            out.print(usage());
            return 0;
        }
        Wiring wiring = new Wiring(arguments.allowedRoots, arguments.dataDirectory, arguments.history, out,
                defaultAdvertiseAddress(options, arguments.history.nodeName()));
        // A JVM asked to exit some other way than by the stop signals still writes what it can.
        Thread lastWrites = new Thread(wiring::close, "taskmanager-history-close");
        Runtime.getRuntime().addShutdownHook(lastWrites);
        try {
            return ServeCommand.run(out, err, wiring, arguments.serverArgs);
        } finally {
            wiring.close(); // after the server, which closed the task manager: its last states are written
            try {
                Runtime.getRuntime().removeShutdownHook(lastWrites);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
    }

    /**
     * Where a fleet node says it is reached when {@code --advertise-address} is not given: the API
     * address (the node name for a wildcard address) and port; without the port when it is 0, which is
     * known only once bound (give {@code --advertise-address} then).
     */
    static String defaultAdvertiseAddress(ServerOptions options, String nodeName) {
        String host = options.apiAddress();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = nodeName;
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return options.apiPort() == 0 ? host : host + ":" + options.apiPort();
    }

    /** What the app adds to the server, with defaults for the history: SQLite, this host's name. */
    static Wiring customizer(List<Path> roots, Path dataDirectory, PrintStream out) {
        return new Wiring(roots, dataDirectory, new HistoryOptions.Builder().build(HistoryStore.defaultNodeName()), out);
    }

    /**
     * What the app adds to the server's {@code serve}: the data directory (created or checked), the
     * history store, the files workload confined to {@code roots} with its work directory in
     * {@code files/} there, its routes, and lines on {@code out} saying where history goes, which
     * directories the routes may touch and where manifests go. A data directory that is refused, or
     * a store that cannot be opened, fails the start with a message naming it. Close it after the
     * server: that closes the store.
     */
    static final class Wiring implements ServeCommand.Customizer, AutoCloseable {
        private final List<Path> roots;
        private final Path dataDirectory;
        private final HistoryOptions historyOptions;
        private final PrintStream out;
        private final String defaultAddress;
        private volatile HistoryStore history;

        Wiring(List<Path> roots, Path dataDirectory, HistoryOptions history, PrintStream out) {
            this(roots, dataDirectory, history, out, null);
        }

        Wiring(List<Path> roots, Path dataDirectory, HistoryOptions history, PrintStream out, String defaultAddress) {
            this.roots = List.copyOf(roots);
            this.dataDirectory = dataDirectory;
            this.historyOptions = history;
            this.out = out;
            this.defaultAddress = defaultAddress;
        }

        @Override
        public void customize(TaskManager taskManager, TaskManagerServer.Builder server) throws Exception {
            FilesWorkload files;
            Path data;
            try {
                data = PrivateDirectory.ensure(dataDirectory);
                history = History.open(historyOptions, data, taskManager, defaultAddress, out);
                files = FilesWorkload.create(taskManager, roots, FilesWorkload.Options.builder()
                        .workDirectory(data.resolve(FilesWorkload.MODULE)).build());
            } catch (IOException | UncheckedIOException e) {
                throw new IOException("data directory " + dataDirectory + ": " + e.getMessage(), e);
            } catch (dev.taskmanager.store.HistoryStoreException e) {
                throw new IOException("history store: " + e.getMessage(), e);
            }
            if (history != null) {
                server.taskSource(new HistoryTaskSource(history)); // /v2/tasks reads it
                // in a fleet, this server's tasks show where other nodes and clients reach it
                history.fleet().ifPresent(fleet -> server.nodeAddress(fleet.advertiseAddress()));
                HistoryStore store = history;
                server.meterBinder(new HistoryMetrics(() -> historyHealth(store.health()))); // taskmanager.history.*
            }
            FilesRoutes.mount(server, files);
            out.println("Files routes: POST " + FilesRoutes.MANIFEST + "?path=&output=&overwrite=, POST "
                    + FilesRoutes.VERIFY + "?path=&manifest=&skip_unreadable=; "
                    + (roots.isEmpty() ? "no directory allowed (add --allow-path DIR)"
                    : "allowed: " + roots.stream().map(Path::toString).collect(Collectors.joining(", ")))
                    + "; manifests go by default to " + files.workDirectory() + "/<task id>.sha256");
        }

        /** The store's health as its meters read it (docs/metrics.md). */
        static HistoryHealth historyHealth(StoreHealth health) {
            return new HistoryHealth(health.state().name(), health.pending(), health.writtenTotal(),
                    health.failuresTotal(), health.rejectedTotal(), health.droppedTotal(), health.purgedTotal());
        }

        /** The history store once {@link #customize} opened it; {@code null} before, or with {@code --store memory}. */
        HistoryStore history() {
            return history;
        }

        /** Closes the history store, writing what is left; idempotent. */
        @Override
        public void close() {
            HistoryStore store = history;
            if (store != null) {
                store.close();
            }
        }
    }

    /** The server's usage with the app's flags added, and the files routes. */
    static String usage() {
        String nl = System.lineSeparator();
        String lines = String.format("  %-33sallow the files routes under DIR (repeatable; default: none)%n"
                        + "  %-33swhere the server keeps its state, created 0700 and refused if another user%n"
                        + "  %-33scould change it (default: $XDG_STATE_HOME/taskmanager, else%n"
                        + "  %-33s~/.local/state/taskmanager)%n"
                        + "  %-33swhere task history goes: sqlite (default: <data dir>/history/tasks.db),%n"
                        + "  %-33smemory (no history) or jdbc:postgresql://HOST[:PORT]/DB[?user=U]%n"
                        + "  %-33sthe PostgreSQL user (default: from the URL)%n"
                        + "  %-33sa file holding the PostgreSQL password%n"
                        + "  %-33sthis server's name in the history (default: the host name)%n"
                        + "  %-33skeep finished tasks in history this long: 7d, 12h, 30m, PT1H,%n"
                        + "  %-33sor 0 for no time limit (default 7d)%n"
                        + "  %-33skeep at most N tasks in history, 0 for no bound (default 1000000)%n"
                        + "Fleet (servers sharing one --store jdbc:postgresql://...; see docs/scaling.md):%n"
                        + "  %-33show other nodes and clients reach this server (default: the API%n"
                        + "  %-33saddress and port); shown as the node of its tasks%n"
                        + "  %-33srenew this node's lease this often (default 1s)%n"
                        + "  %-33sa node that does not renew for this long is lost: one survivor records%n"
                        + "  %-33sits unfinished tasks as failed (default 10s)%n",
                ALLOW_PATH + " DIR", DATA_DIR + " DIR", "", "",
                HistoryOptions.STORE + " STORE", "", HistoryOptions.STORE_USER + " USER",
                HistoryOptions.STORE_PASSWORD_FILE + " FILE", HistoryOptions.NODE_NAME + " NAME",
                HistoryOptions.HISTORY_RETENTION + " AGE", "", HistoryOptions.HISTORY_MAX_TASKS + " N",
                HistoryOptions.ADVERTISE_ADDRESS + " HOST:PORT", "", HistoryOptions.LEASE_INTERVAL + " DURATION",
                HistoryOptions.LEASE_DURATION + " DURATION", "");
        String text = ServeCommand.usage().replace("Usage: serve", "Usage: taskmanager serve");
        int help = text.indexOf("  --help");
        text = help < 0 ? text + lines : text.substring(0, help) + lines + text.substring(help);
        return text + String.join(nl, "",
                "Files routes (module files; paths must lie under an --allow-path directory):",
                "  POST /files/manifest?path=DIR[&output=FILE][&overwrite=true]",
                "      SHA-256 manifest of DIR in sha256sum format, written to FILE, by default to",
                "      <data dir>/files/<task id>.sha256 (the task's 'output' child names it);",
                "      an existing FILE is refused unless overwrite=true",
                "  POST /files/verify?path=DIR&manifest=FILE[&skip_unreadable=true]",
                "      check DIR against a sha256sum manifest; with skip_unreadable=true a file that",
                "      cannot be read is reported as 'skipped: ...' instead of failing the check",
                "");
    }

    /** The command line split into allowed roots, the data directory, the history and the server's own flags. */
    static final class Arguments {
        final List<Path> allowedRoots;
        final Path dataDirectory;
        final HistoryOptions history;
        final String[] serverArgs;

        private Arguments(List<Path> allowedRoots, Path dataDirectory, HistoryOptions history, String[] serverArgs) {
            this.allowedRoots = List.copyOf(allowedRoots);
            this.dataDirectory = dataDirectory;
            this.history = history;
            this.serverArgs = serverArgs;
        }

        /**
         * Takes every {@code --allow-path DIR}, the one {@code --data-dir DIR} and the history flags
         * ({@link HistoryOptions}) out of {@code args}, in {@code --flag value} or {@code --flag=value} form.
         *
         * @throws IllegalArgumentException naming the option and the value if a value is missing or bad,
         *                                  an allowed path is not an existing directory, a flag other than
         *                                  {@code --allow-path} is repeated, or flags do not go together
         */
        static Arguments parse(String... args) {
            List<Path> roots = new ArrayList<>();
            Path data = null;
            HistoryOptions.Builder history = new HistoryOptions.Builder();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int eq = arg.indexOf('=');
                String option = arg.startsWith("--") && eq > 2 ? arg.substring(0, eq) : arg;
                if (!APP_OPTIONS.contains(option)) {
                    rest.add(arg);
                    continue;
                }
                String value;
                if (arg.equals(option)) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new IllegalArgumentException("option '" + option + "' needs a value");
                    }
                    value = args[++i];
                } else {
                    value = arg.substring(option.length() + 1);
                }
                if (option.equals(ALLOW_PATH)) {
                    roots.add(directory(value));
                } else if (option.equals(DATA_DIR)) {
                    if (data != null) {
                        throw new IllegalArgumentException("option '" + DATA_DIR + "' is given more than once");
                    }
                    data = path(DATA_DIR, value);
                } else {
                    history.accept(option, value);
                }
            }
            return new Arguments(roots, data != null ? data : PrivateDirectory.defaultDataDirectory(),
                    history.build(HistoryStore.defaultNodeName()), rest.toArray(new String[0]));
        }

        private static final List<String> APP_OPTIONS = List.of(ALLOW_PATH, DATA_DIR, HistoryOptions.STORE,
                HistoryOptions.STORE_USER, HistoryOptions.STORE_PASSWORD_FILE, HistoryOptions.NODE_NAME,
                HistoryOptions.HISTORY_RETENTION, HistoryOptions.HISTORY_MAX_TASKS, HistoryOptions.ADVERTISE_ADDRESS,
                HistoryOptions.LEASE_INTERVAL, HistoryOptions.LEASE_DURATION);

        private static Path path(String option, String value) {
            try {
                if (value.isBlank()) {
                    throw new InvalidPathException(value, "empty");
                }
                return Path.of(value).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("invalid value '" + value + "' for option '" + option
                        + "': " + e.getReason());
            }
        }

        private static Path directory(String value) {
            Path path;
            try {
                path = Path.of(value).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("invalid value '" + value + "' for option '" + ALLOW_PATH
                        + "': " + e.getReason());
            }
            if (value.isBlank() || !Files.isDirectory(path)) {
                throw new IllegalArgumentException("invalid value '" + value + "' for option '" + ALLOW_PATH
                        + "': not an existing directory");
            }
            return path;
        }
    }
}
