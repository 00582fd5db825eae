package dev.taskmanager.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code taskmanager tasks ...} command line: watches and controls the tasks of a task
 * manager over its ScyllaDB-compatible REST API, with the subcommands, output and exit codes of
 * {@code nodetool tasks} (SPEC §14), so that operators and scripts can use either tool; plus
 * {@code --output json} for scripts, {@code tree --compact} for people, HTTPS and a bearer token.
 *
 * <p>Beyond nodetool, on the v2 API: {@code find} (filters and paging), {@code abort --reason},
 * {@code watch} (live progress) and {@code list --wide}.
 *
 * <p>Everything happens in {@link #run}, which tests and the {@code taskmanager} launcher call
 * directly; {@link #main} only connects it to the process. Exit codes: 0 success; 1 missing id or
 * module; 2 bad option (or unusable token or CA file); 4 failed request (401 included); 100
 * unknown command or subcommand; and for {@code wait --quiet} and {@code watch}: 123 task failed
 * (for {@code watch}, or aborted), 124 timed out, 125 other failure.
 */
public final class TasksCli {

    /** The command line: {@code tasks}, its subcommands and the options all of them take. */
    static final Grammar<Subcommand> GRAMMAR = new Grammar<>("tasks", List.of(Subcommand.values()),
            List.of(Option.HOST, Option.PORT, Option.OUTPUT, Option.TOKEN_FILE, Option.TLS,
                    Option.CACERT, Option.HELP, Option.VERSION));

    private TasksCli() {
    }

    /**
     * Runs one command and returns its exit code, without ever calling {@link System#exit}.
     * Expected failures (bad arguments, error answers, an unreachable server) are reported as a
     * message on {@code err}, never as a stack trace.
     *
     * <p>Blocks the calling thread for as long as the command takes: {@code wait} without
     * {@code --timeout} waits as long as the task runs, {@code list --iterations} sleeps between
     * listings. Reads {@code TASKMANAGER_TOKEN} from the process environment. Safe to call from
     * several threads at once (nothing is shared between calls).
     *
     * @param out  where results go
     * @param err  where errors go
     * @param args the command line after the program name, starting with {@code tasks}, e.g.
     *             {@code tasks list repair -p 10001}; a first word other than {@code tasks} is an
     *             unknown operation (exit 100)
     * @return the process exit code
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, Sleeper.SYSTEM, Terminal.of(out), args);
    }

    /**
     * {@link #run(PrintStream, PrintStream, String...)} with the pauses and the terminal given:
     * {@code sleeper} waits between the listings of {@code list --iterations} and between the
     * looks of {@code watch}, {@code terminal} says whether {@code watch} may redraw {@code out}
     * in place. For tests that drive a real server (a sleeper that returns once the task moved
     * instead of sleeping) and for embedders.
     */
    public static int run(PrintStream out, PrintStream err, Sleeper sleeper, Terminal terminal,
            String... args) {
        return run(new Session(out, err, sleeper, terminal, Session.SYSTEM_TIME), System::getenv,
                args);
    }

    /** With the pauses and the environment injected; output is not a terminal. */
    static int run(PrintStream out, PrintStream err, Sleeper sleeper, Function<String, String> env,
            String... args) {
        return run(new Session(out, err, sleeper, Terminal.pipe(), Session.SYSTEM_TIME), env, args);
    }

    /** With everything injected: output, pauses, terminal, clock and environment. */
    static int run(Session session, Function<String, String> env, String... args) {
        PrintStream out = session.out();
        PrintStream err = session.err();
        try {
            Invocation invocation = new Invocation(
                    ArgumentParser.parse(GRAMMAR, args == null ? new String[0] : args));
            if (invocation.help()) {
                out.print(Usage.text(invocation.subcommand()));
                return 0;
            }
            if (invocation.version()) {
                out.print(Version.line());
                return 0;
            }
            RestClient client = new RestClient(Endpoint.of(invocation.line(), env), Duration.ZERO);
            return new Commands(client, session, invocation.format()).run(invocation);
        } catch (CliException e) {
            err.print(e.getMessage() + "\n");
            return e.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Runs {@code args} against the process's stdout and stderr and exits with the command's
     * exit code.
     *
     * @param args the command line, starting with {@code tasks}
     */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }
}
