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

/**
 * The {@code taskmanager files ...} command line: {@code files manifest <dir> [--output FILE]} and
 * {@code files verify <dir> --manifest FILE} start a files operation on a server through its files
 * routes ({@code POST /files/manifest}, {@code POST /files/verify}) and print the id of the task,
 * to follow with {@code tasks status|tree|wait <id>}.
 *
 * <p>It lives beside {@link TasksCli} so that both commands send their requests with the same
 * {@link RestClient} and so report failures alike (a non-2xx answer as method, path, parameters,
 * status and the server's {@code message}; no connection as one line naming {@code host:port}).
 * Options and exit codes follow {@code tasks} too: {@code -h/--host} (default {@code localhost})
 * and {@code -p/--port} (default 10000) anywhere on the line, values after the option or attached
 * ({@code --output=m.sha256}, {@code -p10001}), {@code --} ends the options. Exit codes: 0 the task
 * was started; 1 a required path is missing; 2 a bad option; 4 the request failed (the server's
 * message on stderr, e.g. a path outside the allowed directories); 100 an unknown subcommand.
 *
 * <p>Relative paths are made absolute against the current directory before they are sent, since
 * the server resolves paths in its own. Unlike {@code tasks wait}, nothing here waits for a task:
 * the routes answer as soon as the task is started, so a server that does not answer within 60 s
 * is a failed request.
 */
public final class FilesCli {

    /** The files routes answer at once; they do not wait for the operation. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private FilesCli() {
    }

    /** The subcommands: their word, their route and the option naming their file. */
    enum Operation {
        MANIFEST("manifest", "/files/manifest", "--output"),
        VERIFY("verify", "/files/verify", "--manifest");

        private final String command;
        private final String route;
        private final String fileOption;

        Operation(String command, String route, String fileOption) {
            this.command = command;
            this.route = route;
            this.fileOption = fileOption;
        }

        String route() {
            return route;
        }

        /** The operation typed as {@code word}, or {@code null}. */
        static Operation named(String word) {
            for (Operation o : values()) {
                if (o.command.equals(word)) {
                    return o;
                }
            }
            return null;
        }
    }

    /**
     * One checked command line: print the usage ({@code help}), or send {@code params} to
     * {@code operation}'s route on {@code host:port}.
     */
    record Command(boolean help, Operation operation, String host, int port,
            Map<String, String> params) {

        Command {
            params = params == null
                    ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        static Command help(Operation operation) {
            return new Command(true, operation, Invocation.DEFAULT_HOST,
                    Invocation.DEFAULT_PORT, null);
        }
    }

    /**
     * Runs one {@code files} command and returns its exit code, without ever calling
     * {@link System#exit}. Expected failures (bad arguments, an error answer, an unreachable
     * server) are reported as one message on {@code err}, never as a stack trace.
     *
     * <p>Makes at most one request, and blocks until it is answered (60 s at most once
     * connected). Safe to call from several threads at once (nothing is shared between calls).
     *
     * @param out  where the task id (or the usage, for {@code --help}) goes, on a line of its own
     * @param err  where errors go
     * @param args the command line after the program name, starting with {@code files}, e.g.
     *             {@code files manifest /srv/data --output /tmp/data.sha256 -p 10001}; a first
     *             word other than {@code files} is an unknown operation (exit 100)
     * @return the process exit code
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        try {
            Command command = parse(args == null ? new String[0] : args);
            if (command.help()) {
                out.print(usage());
                return 0;
            }
            RestClient client = new RestClient(command.host(), command.port(), READ_TIMEOUT);
            out.println(client.postForString(command.operation().route(), command.params()));
            return 0;
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Checks {@code args} ({@code files <subcommand> ...}), in this order: an unknown command or
     * subcommand (100), {@code --help} (which wins over everything else), the options (2: the
     * first malformed, unknown, valueless or repeated one, then one the subcommand does not take,
     * then a second path, then the port), then the missing path or manifest (1).
     *
     * @throws CliException with exit code 1, 2 or 100 and the message to print on stderr
     */
    static Command parse(String... args) {
        Parsed parsed = Parsed.parse(args);
        if (parsed.positionals.isEmpty() || !parsed.positionals.get(0).equals("files")) {
            throw new CliException(CliException.UNKNOWN_OPERATION,
                    "error: unrecognized operation argument: expected 'files', got "
                            + (parsed.positionals.isEmpty()
                            ? "nothing" : "'" + parsed.positionals.get(0) + "'"));
        }
        List<String> words = parsed.positionals.subList(1, parsed.positionals.size());
        if (words.isEmpty()) {
            if (parsed.help) {
                return Command.help(null);
            }
            throw unknownSubcommand(null);
        }
        Operation operation = Operation.named(words.get(0));
        if (operation == null) {
            throw unknownSubcommand(words.get(0));
        }
        if (parsed.help) {
            return Command.help(operation);
        }
        if (parsed.error != null) {
            throw badArguments(parsed.error);
        }
        for (String option : parsed.options.keySet()) {
            if (!option.equals("--host") && !option.equals("--port")
                    && !option.equals(operation.fileOption)) {
                throw badArguments("unrecognised option '" + parsed.spelling.get(option) + "'");
            }
        }
        if (words.size() > 2) {
            throw badArguments("too many positional options have been specified on the "
                    + "command line");
        }
        String host = parsed.options.get("--host");
        if (host != null && !ArgumentParser.isUsableHost(host)) {
            throw badArguments("the argument ('" + host + "') for option '--host' is invalid");
        }
        String port = parsed.options.get("--port");
        if (port != null && !validPort(port)) {
            throw badArguments("the argument ('" + port + "') for option '--port' is invalid");
        }
        if (words.size() < 2) {
            throw missing("path");
        }
        String file = parsed.options.get(operation.fileOption);
        if (operation == Operation.VERIFY && file == null) {
            throw missing("manifest");
        }

        Map<String, String> params = new LinkedHashMap<>();
        params.put("path", absolute(words.get(1)));
        if (file != null) {
            params.put(operation.fileOption.substring(2), absolute(file));
        }
        return new Command(false, operation,
                parsed.options.getOrDefault("--host", Invocation.DEFAULT_HOST),
                port == null ? Invocation.DEFAULT_PORT : Integer.parseInt(port), params);
    }

    /** The text of {@code --help}. */
    static String usage() {
        return String.join("\n",
                "usage: taskmanager files manifest <dir> [--output <file>] [options]",
                "       taskmanager files verify <dir> --manifest <file> [options]",
                "",
                "Starts a SHA-256 manifest of a directory tree, or a verification of a tree against a",
                "manifest, on a server (POST /files/manifest, POST /files/verify) and prints the task id.",
                "The server must allow the directory (serve --allow-path DIR). Without --output the",
                "manifest goes to <server work directory>/<task id>.sha256. Relative paths are made",
                "absolute here. Follow the task with: taskmanager tasks wait|tree|status <id>",
                "",
                "Options:",
                "  --output <file>             manifest: where to write the manifest",
                "  --manifest <file>           verify: the manifest to check against (required)",
                "  -h, --host <host>           REST API host (default localhost)",
                "  -p, --port <port>           REST API port (default 10000)",
                "  --help                      print this help and exit",
                "");
    }

    private static CliException unknownSubcommand(String got) {
        return new CliException(CliException.UNKNOWN_OPERATION,
                "error: unrecognized operation argument: expected one of (manifest, verify), got "
                        + (got == null ? "nothing" : "'" + got + "'"));
    }

    private static CliException badArguments(String message) {
        return new CliException(CliException.BAD_ARGUMENTS, "error: " + message);
    }

    private static CliException missing(String parameter) {
        return new CliException(CliException.MISSING_PARAMETER,
                "error processing arguments: required parameter is missing: " + parameter);
    }

    /** 1 to 65535, at most five decimal digits. */
    private static boolean validPort(String value) {
        if (value.isEmpty() || value.length() > 5
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int port = Integer.parseInt(value);
        return port >= 1 && port <= 65535;
    }

    private static String absolute(String path) {
        try {
            return Path.of(path).toAbsolutePath().toString();
        } catch (InvalidPathException e) {
            return path; // the server names the parameter and the problem
        }
    }

    /** The words and options of a command line, before they are checked against the subcommand. */
    private static final class Parsed {
        private static final Map<String, String> NAMES = Map.of(
                "-h", "--host", "--host", "--host", "-p", "--port", "--port", "--port",
                "--output", "--output", "--manifest", "--manifest");

        final List<String> positionals = new ArrayList<>();
        /** Long name to value. */
        final Map<String, String> options = new LinkedHashMap<>();
        /** Long name to the spelling used on the line, for messages. */
        final Map<String, String> spelling = new LinkedHashMap<>();
        boolean help;
        /** The first problem with an option, reported after the subcommand is known to be valid. */
        String error;

        static Parsed parse(String... args) {
            Parsed p = new Parsed();
            boolean endOfOptions = false;
            for (int i = 0; i < args.length; i++) {
                String token = args[i];
                if (endOfOptions || !optionLike(token)) {
                    p.positionals.add(token);
                    continue;
                }
                if (token.equals("--")) {
                    endOfOptions = true;
                    continue;
                }
                if (token.equals("--help")) {
                    p.help = true;
                    continue;
                }
                String name = token;
                String value = null;
                int eq = token.indexOf('=');
                if (token.startsWith("--") && eq > 2) {
                    name = token.substring(0, eq);
                    value = token.substring(eq + 1);
                } else if (!token.startsWith("--") && token.length() > 2
                        && NAMES.containsKey(token.substring(0, 2))) {
                    name = token.substring(0, 2);
                    value = token.substring(2);
                }
                String longName = NAMES.get(name);
                if (longName == null) {
                    p.error(token.startsWith("--") && eq > 2 ? name : token,
                            "unrecognised option '%s'");
                    continue;
                }
                if (value == null) {
                    if (i + 1 < args.length && !optionLike(args[i + 1])) {
                        value = args[++i];
                    } else {
                        p.error(longName, "the required argument for option '%s' is missing");
                        continue;
                    }
                }
                if (p.options.putIfAbsent(longName, value) != null) {
                    p.error(longName, "option '%s' cannot be specified more than once");
                }
                p.spelling.putIfAbsent(longName, name);
            }
            return p;
        }

        private void error(String option, String format) {
            if (error == null) {
                error = String.format(format, option);
            }
        }

        /** An option is a word starting with {@code -}, except {@code -} alone. */
        private static boolean optionLike(String token) {
            return token.length() > 1 && token.charAt(0) == '-';
        }
    }
}
