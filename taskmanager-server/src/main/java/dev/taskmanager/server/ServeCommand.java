package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * {@code serve}: runs the API server until the JVM is asked to stop (SIGTERM, SIGINT), then shuts down
 * gracefully: stops accepting, stops every module within the task manager's bound, and exits.
 *
 * <pre>
 * serve [--api-address ADDR] [--api-port PORT] [--shards N]
 *       [--task-ttl-in-seconds S] [--user-task-ttl-in-seconds S] [--shutdown-timeout S]
 *       [--unregister-finished-on-read] [--enable-test-api] [--no-metrics]
 *       [--allowed-hosts H,...] [--auth-token-file FILE]
 *       [--tls-keystore FILE [--tls-keystore-password-file FILE] | --tls-cert FILE --tls-key FILE]
 *       [--max-connections N] [--max-connections-per-address N] [--request-header-timeout S]
 *       [--max-concurrent-listings N] [--help]
 * </pre>
 *
 * <p><b>Stopping.</b> SIGTERM and SIGINT start a graceful stop while the JVM is still fully up: the
 * server stops accepting, every module stops within {@code --shutdown-timeout} (tasks still running
 * then are reported in the log, which is still working), and {@link #run} returns 0, so the process
 * exits 0. A second signal during the stop ends the process at once. A shutdown hook covers other
 * ways the JVM may be asked to exit.
 *
 * <p>Flags take {@code --flag value} or {@code --flag=value}; switches take no value, or
 * {@code =true}/{@code =false}. A bad flag or value prints one line naming it and exits 2. Like the
 * CLI, the logic is in {@link #run} with the output streams passed in, so tests call it directly and
 * the app's {@code main} only wires {@code System.out}/{@code System.err}.
 */
public final class ServeCommand {
    /** Exit code for a bad command line. */
    public static final int USAGE_ERROR = 2;
    /** Exit code when the server cannot start (address in use, unresolvable, ...). */
    public static final int START_FAILED = 1;

    private ServeCommand() {
    }

    /**
     * Lets a module add to the server that {@code serve} starts, typically extension routes (e.g. the
     * files module's {@code POST /files/manifest}) and modules registered on the task manager.
     */
    @FunctionalInterface
    public interface Customizer {
        /** Adds nothing. */
        Customizer NONE = (taskManager, server) -> {
        };

        /**
         * Called once, after the task manager is built and before the server is.
         *
         * @param taskManager the task manager the server will expose (and own)
         * @param server      the server's builder, to add routes to
         * @throws Exception to abort the start; reported as a start failure
         */
        void customize(TaskManager taskManager, TaskManagerServer.Builder server) throws Exception;
    }

    /**
     * Runs {@code serve}: parses {@code args}, starts the server, prints
     * {@code Task manager API listening on http://ADDR:PORT} on {@code out} and blocks until the JVM
     * shuts down. Returns at once with {@value #USAGE_ERROR} (message on {@code err}) for a bad command
     * line, 0 after printing the usage for {@code --help}, {@value #START_FAILED} if the server
     * cannot start.
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, Customizer.NONE, args);
    }

    /** {@link #run(PrintStream, PrintStream, String...)} with additions to the server. */
    public static int run(PrintStream out, PrintStream err, Customizer customizer, String... args) {
        CompletableFuture<Void> stop = new CompletableFuture<>();
        return run(out, err, customizer, stop, server -> {
        }, true, args);
    }

    /**
     * The whole command, with the stop signal injectable for tests: serves until {@code stop}
     * completes (or, with {@code hook}, SIGTERM/SIGINT arrives or the JVM shuts down), then closes the
     * server.
     */
    static int run(PrintStream out, PrintStream err, Customizer customizer, CompletableFuture<Void> stop,
                   Consumer<TaskManagerServer> onStarted, boolean hook, String... args) {
        ServerOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + " (see serve --help)");
            return USAGE_ERROR;
        }
        if (options.help()) {
            out.print(usage());
            return 0;
        }
        TaskManagerServer server;
        TaskManager taskManager = options.newTaskManager();
        try {
            TaskManagerServer.Builder builder = options.newServer(taskManager);
            customizer.customize(taskManager, builder);
            server = builder.build().start();
        } catch (IllegalArgumentException e) {
            // a secret file too open, a key store that does not load: the command line's to fix
            taskManager.close();
            err.println("error: " + e.getMessage());
            return USAGE_ERROR;
        } catch (IOException e) {
            taskManager.close();
            err.println("error: " + e.getMessage());
            return START_FAILED;
        } catch (Exception e) {
            taskManager.close();
            err.println("error: cannot start the server: " + e);
            return START_FAILED;
        }
        Thread shutdownHook = new Thread(() -> {
            server.close();
            stop.complete(null);
        }, "taskmanager-shutdown");
        if (hook) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            // before the line that tells a supervisor the server is up, so that a signal sent as soon
            // as it reads that line already finds the handler
            StopSignals.install(() -> stop.complete(null));
        }
        out.println("Task manager API listening on " + server.uri());
        server.dashboardUri().ifPresent(ui -> out.println("Dashboard: " + ui));
        out.flush();
        onStarted.accept(server);
        try {
            stop.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // a stop signal that failed is still a stop signal
        }
        server.close();
        if (hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running or has run
            }
        }
        out.println("Task manager API stopped");
        out.flush();
        return 0;
    }

    /** The environment variable that may hold the key store password instead of a file. */
    public static final String KEYSTORE_PASSWORD_ENV = "TASKMANAGER_TLS_KEYSTORE_PASSWORD";

    /**
     * Parses the flags of {@code serve}.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag and value, for an unknown
     *                                  flag, a missing or bad value, a repeated flag, a stray argument,
     *                                  or flags that do not go together
     */
    public static ServerOptions parse(String... args) {
        return parse(System.getenv(), args);
    }

    static ServerOptions parse(Map<String, String> env, String... args) {
        ServerOptions o = new ServerOptions();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.equals("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            if (!seen.add(flag)) {
                throw new IllegalArgumentException("option '" + flag + "' is given more than once");
            }
            switch (flag) {
                case "--help":
                    o.help = inline == null || flagSwitch(flag, inline);
                    continue;
                case "--unregister-finished-on-read":
                    o.unregisterFinishedOnRead = inline == null || flagSwitch(flag, inline);
                    continue;
                case "--enable-test-api":
                    o.enableTestApi = inline == null || flagSwitch(flag, inline);
                    continue;
                case "--no-metrics":
                    o.metrics = !(inline == null || flagSwitch(flag, inline));
                    continue;
                default:
                    break;
            }
            if (!VALUED.contains(flag)) {
                throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
            String value = inline;
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option '" + flag + "' needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--api-address":
                    o.apiAddress = nonBlank(flag, value, "a host name or IP address");
                    break;
                case "--api-port":
                    o.apiPort = (int) number(flag, value, 0, 65535);
                    break;
                case "--shards":
                    o.shards = (int) number(flag, value, 1, 1024);
                    break;
                case "--task-ttl-in-seconds":
                    o.taskTtlSeconds = number(flag, value, 0, Params.MAX_SECONDS);
                    break;
                case "--user-task-ttl-in-seconds":
                    o.userTaskTtlSeconds = number(flag, value, 0, Params.MAX_SECONDS);
                    break;
                case "--shutdown-timeout":
                    o.shutdownTimeoutSeconds = number(flag, value, 0, 86_400);
                    break;
                case "--max-concurrent-listings":
                    o.maxConcurrentListings = (int) number(flag, value, 1, 10_000);
                    break;
                case "--max-connections":
                    o.maxConnections = (int) number(flag, value, 1, 1_000_000);
                    break;
                case "--max-connections-per-address":
                    o.maxConnectionsPerAddress = (int) number(flag, value, 1, 1_000_000);
                    break;
                case "--request-header-timeout":
                    o.requestHeaderTimeoutSeconds = number(flag, value, 1, 3_600);
                    break;
                case "--allowed-hosts":
                    o.allowedHosts = hosts(flag, value);
                    break;
                case "--auth-token-file":
                    o.authTokenFile = path(flag, value);
                    break;
                case "--tls-keystore":
                    o.tlsKeyStore = path(flag, value);
                    break;
                case "--tls-keystore-password-file":
                    o.tlsKeyStorePasswordFile = path(flag, value);
                    break;
                case "--tls-cert":
                    o.tlsCert = path(flag, value);
                    break;
                default: // --tls-key
                    o.tlsKey = path(flag, value);
                    break;
            }
        }
        checkTls(o, env);
        return o;
    }

    private static final Set<String> VALUED = Set.of("--api-address", "--api-port", "--shards",
            "--task-ttl-in-seconds", "--user-task-ttl-in-seconds", "--shutdown-timeout", "--max-concurrent-listings",
            "--max-connections", "--max-connections-per-address", "--request-header-timeout", "--allowed-hosts",
            "--auth-token-file", "--tls-keystore", "--tls-keystore-password-file", "--tls-cert", "--tls-key");

    private static void checkTls(ServerOptions o, Map<String, String> env) {
        if (o.tlsKeyStore != null && (o.tlsCert != null || o.tlsKey != null)) {
            throw new IllegalArgumentException("options '--tls-keystore' and '--tls-cert'/'--tls-key' do not go "
                    + "together: give a key store or PEM files");
        }
        if ((o.tlsCert == null) != (o.tlsKey == null)) {
            throw new IllegalArgumentException("option '" + (o.tlsCert == null ? "--tls-key" : "--tls-cert")
                    + "' needs '" + (o.tlsCert == null ? "--tls-cert" : "--tls-key") + "' too");
        }
        if (o.tlsKeyStorePasswordFile != null && o.tlsKeyStore == null) {
            throw new IllegalArgumentException("option '--tls-keystore-password-file' needs '--tls-keystore'");
        }
        if (o.tlsKeyStore != null && o.tlsKeyStorePasswordFile == null) {
            String password = env.get(KEYSTORE_PASSWORD_ENV);
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("option '--tls-keystore' needs its password: give "
                        + "'--tls-keystore-password-file FILE' or set " + KEYSTORE_PASSWORD_ENV);
            }
            o.tlsKeyStorePassword = password;
        }
    }

    private static String nonBlank(String flag, String value, String expected) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("invalid value '' for option '" + flag + "': expected " + expected);
        }
        return value;
    }

    private static Path path(String flag, String value) {
        nonBlank(flag, value, "a file");
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid value '" + value + "' for option '" + flag + "': " + e.getReason());
        }
    }

    private static List<String> hosts(String flag, String value) {
        List<String> hosts = new ArrayList<>();
        for (String host : value.split(",")) {
            if (!host.isBlank()) {
                hosts.add(host.trim());
            }
        }
        try {
            ApiOptions.builder().allowedHosts(hosts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value '" + value + "' for option '" + flag + "': " + e.getMessage());
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("invalid value '" + value + "' for option '" + flag
                    + "': expected host names separated by commas");
        }
        return List.copyOf(hosts);
    }

    private static long number(String flag, String value, long min, long max) {
        try {
            return Params.parseWholeNumber(flag, value, min, max);
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage().replace("for parameter", "for option"));
        }
    }

    private static boolean flagSwitch(String flag, String value) {
        try {
            return Params.parseBoolean(flag, value);
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage().replace("for parameter", "for option"));
        }
    }

    /** The usage text of {@code --help}. */
    public static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: serve [options]",
                "Serves the task manager's REST API (ScyllaDB-compatible) until stopped with SIGTERM or SIGINT.",
                "",
                "  --api-address ADDR               address to listen on (default 127.0.0.1)",
                "  --api-port PORT                  port to listen on, 0 for any free one (default 10000)",
                "  --shards N                       registry partitions, 1 to 1024 (default 1)",
                "  --task-ttl-in-seconds S          keep finished tasks S seconds (default 0)",
                "  --user-task-ttl-in-seconds S     keep finished user tasks S seconds (default 3600)",
                "  --unregister-finished-on-read    task_status drops a finished task once read (seed mode)",
                "  --enable-test-api                serve /task_manager_test (lets clients create tasks)",
                "  --no-metrics                     do not serve GET /metrics (Prometheus; on by default)",
                "  --shutdown-timeout S             on stop, wait S seconds for running tasks (default "
                        + ServerOptions.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS + ")",
                "",
                "Access (see docs/security.md):",
                "  --allowed-hosts H[,H...]         host names to answer besides localhost and loopback",
                "                                   addresses (always checked on a loopback address)",
                "  --auth-token-file FILE           require 'Authorization: Bearer <token>' with the token in",
                "                                   FILE (mode 600: group/others must have no access)",
                "  --tls-keystore FILE              serve HTTPS with this PKCS#12 or JKS key store; its password",
                "                                   from --tls-keystore-password-file FILE or " + KEYSTORE_PASSWORD_ENV,
                "  --tls-cert FILE --tls-key FILE   serve HTTPS with a PEM certificate chain and PKCS#8 key",
                "",
                "Limits (see docs/operations.md):",
                "  --max-connections N              open connections at most (default "
                        + TaskManagerServer.DEFAULT_MAX_CONNECTIONS + ")",
                "  --max-connections-per-address N  open connections from one client address (default "
                        + TaskManagerServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + ")",
                "  --request-header-timeout S       seconds to receive a request's headers (default "
                        + TaskManagerServer.DEFAULT_REQUEST_HEADER_TIMEOUT.getSeconds() + ")",
                "  --max-concurrent-listings N      large listings written at once; more get 503 (default "
                        + ApiOptions.DEFAULT_MAX_CONCURRENT_LISTINGS + ")",
                "",
                "  --help                           print this help",
                "",
                "Flags take '--flag value' or '--flag=value'. The API is described at /openapi.json.",
                "");
    }
}
