package dev.taskmanager.server;

import dev.taskmanager.TaskManager;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashSet;
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
 *       [--task-ttl-in-seconds S] [--user-task-ttl-in-seconds S]
 *       [--unregister-finished-on-read] [--enable-test-api] [--help]
 * </pre>
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
        CompletableFuture<Void> jvmStopping = new CompletableFuture<>();
        return run(out, err, customizer, jvmStopping, server -> {
        }, true, args);
    }

    /**
     * The whole command, with the stop signal injectable for tests: serves until {@code stop}
     * completes (or, with {@code hook}, the JVM shuts down), then closes the server.
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
        }
        out.println("Task manager API listening on " + server.uri());
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
        return 0;
    }

    /**
     * Parses the flags of {@code serve}.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag and value, for an unknown
     *                                  flag, a missing or bad value, a repeated flag or a stray argument
     */
    public static ServerOptions parse(String... args) {
        String address = TaskManagerServer.DEFAULT_BIND_ADDRESS;
        int port = TaskManagerServer.DEFAULT_PORT;
        int shards = 1;
        long taskTtl = 0;
        long userTaskTtl = 3600;
        boolean seedMode = false;
        boolean testApi = false;
        boolean help = false;
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
                    help = inline == null || flagSwitch(flag, inline);
                    break;
                case "--unregister-finished-on-read":
                    seedMode = inline == null || flagSwitch(flag, inline);
                    break;
                case "--enable-test-api":
                    testApi = inline == null || flagSwitch(flag, inline);
                    break;
                case "--api-address":
                case "--api-port":
                case "--shards":
                case "--task-ttl-in-seconds":
                case "--user-task-ttl-in-seconds": {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option '" + flag + "' needs a value");
                        }
                        value = args[++i];
                    }
                    switch (flag) {
                        case "--api-address":
                            if (value.isBlank()) {
                                throw new IllegalArgumentException("invalid value '' for option '--api-address': "
                                        + "expected a host name or IP address");
                            }
                            address = value;
                            break;
                        case "--api-port":
                            port = (int) number(flag, value, 0, 65535);
                            break;
                        case "--shards":
                            shards = (int) number(flag, value, 1, 1024);
                            break;
                        case "--task-ttl-in-seconds":
                            taskTtl = number(flag, value, 0, Params.MAX_SECONDS);
                            break;
                        default:
                            userTaskTtl = number(flag, value, 0, Params.MAX_SECONDS);
                            break;
                    }
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        return new ServerOptions(address, port, shards, taskTtl, userTaskTtl, seedMode, testApi, help);
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
                "  --help                           print this help",
                "",
                "Flags take '--flag value' or '--flag=value'. The API is described at /openapi.json.",
                "");
    }
}
