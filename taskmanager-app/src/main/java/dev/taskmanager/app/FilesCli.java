package dev.taskmanager.app;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code files manifest <dir> [--output FILE]} and {@code files verify <dir> --manifest FILE}: start a
 * files operation on a server through its {@linkplain FilesRoutes files routes} and print the task id,
 * to watch with {@code tasks status|tree|wait <id>}.
 *
 * <p>Options, messages and exit codes follow the {@code tasks} CLI: {@code -h/--host} (default
 * {@code localhost}) and {@code -p/--port} (default 10000) anywhere on the line, values after the
 * option or attached ({@code --output=m.sha256}, {@code -p10001}), {@code --} ends the options. Exit
 * codes: 0 the task was started; 1 a required path is missing; 2 a bad option; 4 the request failed
 * (the server's message on stderr, e.g. a path outside the allowed directories); 100 an unknown
 * subcommand. Relative paths are made absolute against the current directory before they are sent,
 * since the server resolves paths in its own.
 */
final class FilesCli {
    static final int MISSING_PARAMETER = 1;
    static final int BAD_ARGUMENTS = 2;
    static final int REQUEST_FAILED = 4;

    private static final String DEFAULT_HOST = "localhost";
    private static final int DEFAULT_PORT = 10000;

    private FilesCli() {
    }

    /** Runs {@code files ...}; {@code args} come after the word {@code files}. */
    static int run(PrintStream out, PrintStream err, String... args) {
        Parsed parsed = Parsed.parse(args);
        if (parsed.positionals.isEmpty()) {
            if (parsed.help) {
                out.print(usage());
                return 0;
            }
            return unknown(err, null);
        }
        String subcommand = parsed.positionals.get(0);
        String fileOption;
        if (subcommand.equals("manifest")) {
            fileOption = "--output";
        } else if (subcommand.equals("verify")) {
            fileOption = "--manifest";
        } else {
            return unknown(err, subcommand);
        }
        if (parsed.help) {
            out.print(usage());
            return 0;
        }
        if (parsed.error != null) {
            return fail(err, BAD_ARGUMENTS, "error: " + parsed.error);
        }
        for (String option : parsed.options.keySet()) {
            if (!option.equals("--host") && !option.equals("--port") && !option.equals(fileOption)) {
                return fail(err, BAD_ARGUMENTS, "error: unrecognised option '" + parsed.spelling.get(option) + "'");
            }
        }
        if (parsed.positionals.size() > 2) {
            return fail(err, BAD_ARGUMENTS,
                    "error: too many positional options have been specified on the command line");
        }
        String port = parsed.options.get("--port");
        if (port != null && !validPort(port)) {
            return fail(err, BAD_ARGUMENTS, "error: the argument ('" + port + "') for option '--port' is invalid");
        }
        if (parsed.positionals.size() < 2) {
            return fail(err, MISSING_PARAMETER, "error processing arguments: required parameter is missing: path");
        }
        String file = parsed.options.get(fileOption);
        if (fileOption.equals("--manifest") && file == null) {
            return fail(err, MISSING_PARAMETER,
                    "error processing arguments: required parameter is missing: manifest");
        }

        Map<String, String> params = new LinkedHashMap<>();
        params.put("path", absolute(parsed.positionals.get(1)));
        if (file != null) {
            params.put(fileOption.substring(2), absolute(file));
        }
        String host = parsed.options.getOrDefault("--host", DEFAULT_HOST);
        try {
            String id = ApiCall.postForString(host, port == null ? DEFAULT_PORT : Integer.parseInt(port),
                    subcommand.equals("manifest") ? FilesRoutes.MANIFEST : FilesRoutes.VERIFY, params);
            out.println(id);
            return 0;
        } catch (ApiCall.Failure e) {
            return fail(err, REQUEST_FAILED, e.getMessage());
        }
    }

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

    private static int unknown(PrintStream err, String got) {
        return fail(err, Main.UNKNOWN_OPERATION, "error: unrecognized operation argument: expected one of "
                + "(manifest, verify), got " + (got == null ? "nothing" : "'" + got + "'"));
    }

    private static int fail(PrintStream err, int code, String message) {
        err.println(message);
        return code;
    }

    private static boolean validPort(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
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
                } else if (!token.startsWith("--") && token.length() > 2 && NAMES.containsKey(token.substring(0, 2))) {
                    name = token.substring(0, 2);
                    value = token.substring(2);
                }
                String longName = NAMES.get(name);
                if (longName == null) {
                    p.error(token.startsWith("--") && eq > 2 ? name : token, "unrecognised option '%s'");
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

        private static boolean optionLike(String token) {
            return token.length() > 1 && token.charAt(0) == '-';
        }
    }
}
