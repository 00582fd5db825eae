package dev.taskmanager.app;

import dev.taskmanager.cli.FilesCli;
import dev.taskmanager.cli.TasksCli;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The entry point of {@code taskmanager.jar}, run by the {@code ./taskmanager} launcher: dispatches on
 * the first word to {@code serve}, {@code tasks}, {@code files} or {@code demo}.
 *
 * <p>{@link #main} only wires {@code System.out} and {@code System.err} and exits with what
 * {@link #run} returns; tests call {@code run} directly. Exit codes are those of each command; the
 * dispatcher itself answers an unknown or missing command with 100, like the {@code tasks} CLI.
 */
public final class Main {
    /** Exit code for an unknown or missing command (as {@code tasks} answers an unknown subcommand). */
    static final int UNKNOWN_OPERATION = 100;

    private static final String COMMANDS = "demo, serve, tasks, files";
    private static final String JUL_FORMAT = "java.util.logging.SimpleFormatter.format";

    private Main() {
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command and its arguments, e.g. {@code tasks list files -p 10001}
     */
    public static void main(String[] args) {
        // The core logs through System.Logger, hence java.util.logging: one line per record, like
        // Jetty's through slf4j-simple, instead of JUL's default two.
        if (System.getProperty(JUL_FORMAT) == null) {
            System.setProperty(JUL_FORMAT, "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL%1$tz %4$s %3$s - %5$s%6$s%n");
        }
        int code = run(System.out, System.err, args);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs one command and returns its exit code, without calling {@link System#exit}. {@code serve}
     * blocks until the JVM shuts down, and {@code demo --keep-serving} until Ctrl-C, exactly as on the
     * command line; everything else returns when the command is done.
     *
     * @param out  where results go
     * @param err  where errors go
     * @param args the command line after the program name
     * @return the process exit code
     */
    static int run(PrintStream out, PrintStream err, String... args) {
        try {
            if (args == null || args.length == 0) {
                err.println("error: unrecognized operation argument: expected one of (" + COMMANDS + "), got nothing");
                err.println("Run 'taskmanager --help' for the commands.");
                return UNKNOWN_OPERATION;
            }
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "--help":
                case "help":
                    out.print(usage());
                    return 0;
                case "--version":
                    // one version for the whole jar; the CLI module carries it
                    return TasksCli.run(out, err, "tasks", "--version");
                case "tasks":
                    return TasksCli.run(out, err, args);
                case "serve":
                    return Serve.run(out, err, rest);
                case "files":
                    return FilesCli.run(out, err, args);
                case "demo":
                    return Demo.run(out, err, Demo.Display.detect(out), rest);
                default:
                    err.println("error: unrecognized operation argument: expected one of (" + COMMANDS + "), got '"
                            + args[0] + "'");
                    err.println("Run 'taskmanager --help' for the commands.");
                    return UNKNOWN_OPERATION;
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The text of {@code --help}. */
    static String usage() {
        return String.join("\n",
                "Usage: taskmanager <command> [options]",
                "",
                "Trees of long-running tasks you can list, watch, wait for and abort, over a",
                "ScyllaDB-compatible REST API.",
                "",
                "Commands:",
                "  demo [--keep-serving] [--api-port N] [--path DIR] [--data-dir DIR]",
                "        start a server in this process, compute the SHA-256 manifest of DIR (default:",
                "        the running JDK) through the API, show the task tree live, then verify it",
                "  serve [--allow-path DIR]... [flags]",
                "        serve the REST API and the files routes until stopped; see 'serve --help'",
                "  tasks <subcommand> [options]",
                "        list, watch, wait for and abort tasks, like nodetool tasks; see 'tasks --help'",
                "  files manifest <dir> [--output FILE] [-h HOST] [-p PORT]",
                "  files verify <dir> --manifest FILE [-h HOST] [-p PORT]",
                "        start a files operation on a server; prints the task id; see 'files --help'",
                "  --help",
                "        print this help",
                "  --version",
                "        print the version",
                "",
                "Start with: taskmanager demo",
                "");
    }
}
