package dev.taskmanager.cli;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code taskmanager files ...} command line: {@code files manifest <dir> [--output FILE]} and
 * {@code files verify <dir> --manifest FILE} start a files operation on a server through its files
 * routes ({@code POST /files/manifest}, {@code POST /files/verify}) and print the id of the task,
 * to follow with {@code tasks status|tree|wait <id>}.
 *
 * <p>It lives beside {@link TasksCli} so that both commands parse with the same
 * {@link ArgumentParser}, send their requests with the same {@link RestClient} and so share their
 * options, failures and exit codes: {@code -h/--host} (default {@code localhost}) and
 * {@code -p/--port} (default 10000) anywhere on the line, values after the option or attached
 * ({@code --output=m.sha256}, {@code -p10001}), {@code --} ends the options; {@code --tls},
 * {@code --cacert}, {@code --token-file} or {@code TASKMANAGER_TOKEN}. One difference: here
 * {@code --output} names the manifest file (the server's {@code output} parameter), so the output
 * format is chosen with {@code --format json}. Exit codes: 0 the task was started; 1 a required
 * path is missing; 2 a bad option; 4 the request failed (the server's message on stderr, e.g. a
 * path outside the allowed directories); 100 an unknown subcommand.
 *
 * <p>Relative paths are made absolute against the current directory before they are sent, since
 * the server resolves paths in its own. Unlike {@code tasks wait}, nothing here waits for a task:
 * the routes answer as soon as the task is started, so a server that does not answer within 60 s
 * is a failed request.
 */
public final class FilesCli {

    /** The files routes answer at once; they do not wait for the operation. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** The subcommands: their word, their route and the option naming their file. */
    enum Operation implements Verb {
        MANIFEST("manifest", "/files/manifest", Option.MANIFEST_OUTPUT, false),
        VERIFY("verify", "/files/verify", Option.MANIFEST, true);

        private static final Positional PATH = new Positional("path", null, true);

        private final String command;
        private final String route;
        private final Option fileOption;
        private final boolean fileRequired;

        Operation(String command, String route, Option fileOption, boolean fileRequired) {
            this.command = command;
            this.route = route;
            this.fileOption = fileOption;
            this.fileRequired = fileRequired;
        }

        @Override
        public String command() {
            return command;
        }

        @Override
        public Positional positional() {
            return PATH;
        }

        @Override
        public List<Option> options() {
            return List.of(fileOption);
        }

        @Override
        public List<Option> required() {
            return fileRequired ? List.of(fileOption) : List.of();
        }

        String route() {
            return route;
        }

        /** The route's parameter for the file: {@code output} or {@code manifest}. */
        String fileParameter() {
            return fileOption == Option.MANIFEST ? "manifest" : "output";
        }
    }

    /** The command line: {@code files}, its subcommands and the options both take. */
    static final Grammar<Operation> GRAMMAR = new Grammar<>("files",
            List.of(Operation.values()), List.of(Option.HOST, Option.PORT, Option.FORMAT,
                    Option.TOKEN_FILE, Option.TLS, Option.CACERT, Option.HELP, Option.VERSION));

    private FilesCli() {
    }

    /**
     * One checked command line: print the usage ({@code help}) or the version, or send
     * {@code params} to {@code operation}'s route.
     *
     * @param line   what the parser made of the command line
     * @param params the route's parameters, paths made absolute, in the order they are sent
     */
    record Command(ParsedLine<Operation> line, Map<String, String> params) {

        Command {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        boolean help() {
            return line.help();
        }

        Operation operation() {
            return line.verb();
        }

        String host() {
            return Endpoint.host(line);
        }

        int port() {
            return Endpoint.port(line);
        }

        OutputFormat format() {
            return line.has(Option.FORMAT)
                    ? OutputFormat.named(line.value(Option.FORMAT)) : OutputFormat.TEXT;
        }
    }

    /**
     * Runs one {@code files} command and returns its exit code, without ever calling
     * {@link System#exit}. Expected failures (bad arguments, an error answer, an unreachable
     * server) are reported as one message on {@code err}, never as a stack trace.
     *
     * <p>Makes at most one request, and blocks until it is answered (60 s at most once
     * connected). Reads {@code TASKMANAGER_TOKEN} from the process environment. Safe to call from
     * several threads at once (nothing is shared between calls).
     *
     * @param out  where the task id (or the usage, for {@code --help}) goes, on a line of its own
     * @param err  where errors go
     * @param args the command line after the program name, starting with {@code files}, e.g.
     *             {@code files manifest /srv/data --output /tmp/data.sha256 -p 10001}; a first
     *             word other than {@code files} is an unknown operation (exit 100)
     * @return the process exit code
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, System::getenv, args);
    }

    /** {@link #run(PrintStream, PrintStream, String...)} with the environment injected. */
    static int run(PrintStream out, PrintStream err, Function<String, String> env,
            String... args) {
        try {
            Command command = parse(args == null ? new String[0] : args);
            if (command.help()) {
                out.print(usage());
                return 0;
            }
            if (command.line().version()) {
                out.print(Version.line());
                return 0;
            }
            RestClient client = new RestClient(Endpoint.of(command.line(), env), READ_TIMEOUT);
            String id = client.postForString(command.operation().route(), command.params());
            if (command.format() == OutputFormat.JSON) {
                List<Json.Member> members = new ArrayList<>();
                members.add(new Json.Member("id", new Json.Str(id)));
                members.add(new Json.Member("operation",
                        new Json.Str(command.operation().command())));
                command.params().forEach(
                        (k, v) -> members.add(new Json.Member(k, new Json.Str(v))));
                out.print(new Json.Obj(members).toJsonText() + "\n");
            } else {
                out.print(TerminalText.escape(id) + "\n");
            }
            return 0;
        } catch (CliException e) {
            err.print(e.getMessage() + "\n");
            return e.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Checks {@code args} ({@code files <subcommand> ...}) with the {@link ArgumentParser}'s order
     * of checks: an unknown command or subcommand (100), {@code --help} or {@code --version}
     * (which win over everything else), the options (2), then the missing path or manifest (1).
     *
     * @throws CliException with exit code 1, 2 or 100 and the message to print on stderr
     */
    static Command parse(String... args) {
        ParsedLine<Operation> line = ArgumentParser.parse(GRAMMAR, args);
        Map<String, String> params = new LinkedHashMap<>();
        if (line.verb() != null && line.positional() != null) {
            params.put("path", absolute(line.positional()));
            String file = line.value(line.verb().fileOption);
            if (file != null) {
                params.put(line.verb().fileParameter(), absolute(file));
            }
        }
        return new Command(line, params);
    }

    /** The text of {@code --help}. */
    static String usage() {
        StringBuilder sb = new StringBuilder(String.join("\n",
                "usage: taskmanager files manifest <dir> [--output <file>] [options]",
                "       taskmanager files verify <dir> --manifest <file> [options]",
                "",
                "Starts a SHA-256 manifest of a directory tree, or a verification of a tree against a",
                "manifest, on a server (POST /files/manifest, POST /files/verify) and prints the task id.",
                "The server must allow the directory (serve --allow-path DIR). The manifest is written",
                "under the server's data directory unless --output is given. Relative paths are made",
                "absolute here. Follow the task with: taskmanager tasks wait|tree|status <id>",
                "",
                "Options:",
                ""));
        List<Option> options = new ArrayList<>(List.of(Option.MANIFEST_OUTPUT, Option.MANIFEST));
        options.addAll(GRAMMAR.common());
        Usage.appendOptions(sb, options);
        sb.append("\nWith --format json, stdout is one object, paths as sent:\n");
        sb.append("  {\"id\": \"<task id>\", \"operation\": \"manifest\", \"path\": \"<dir>\",\n");
        sb.append("   \"output\": \"<file>\"} (verify: \"manifest\": \"<file>\").\n");
        sb.append("(--output names the manifest file here, hence --format.)\n");
        sb.append('\n').append(Usage.EXIT_CODES);
        return sb.toString();
    }

    private static String absolute(String path) {
        try {
            return Path.of(path).toAbsolutePath().toString();
        } catch (InvalidPathException e) {
            return path; // the server names the parameter and the problem
        }
    }
}
