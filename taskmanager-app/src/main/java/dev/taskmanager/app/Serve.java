package dev.taskmanager.app;

import dev.taskmanager.files.FilesWorkload;
import dev.taskmanager.server.ServeCommand;
import dev.taskmanager.server.ServerOptions;
import java.io.PrintStream;
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
 * <p>The app takes {@code --allow-path} off the command line and hands the rest to
 * {@link ServeCommand}, so every other flag, message and exit code is the server's.
 */
final class Serve {
    static final String ALLOW_PATH = "--allow-path";

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
        return ServeCommand.run(out, err, customizer(arguments.allowedRoots, out), arguments.serverArgs);
    }

    /**
     * What the app adds to the server's {@code serve}: the files workload confined to {@code roots}, its
     * routes, and a line on {@code out} saying which directories they may touch.
     */
    static ServeCommand.Customizer customizer(List<Path> roots, PrintStream out) {
        return (taskManager, server) -> {
            FilesRoutes.mount(server, FilesWorkload.create(taskManager, roots));
            out.println("Files routes: POST " + FilesRoutes.MANIFEST + "?path=&output=, POST " + FilesRoutes.VERIFY
                    + "?path=&manifest=; " + (roots.isEmpty() ? "no directory allowed (add --allow-path DIR)"
                    : "allowed: " + roots.stream().map(Path::toString).collect(Collectors.joining(", "))));
        };
    }

    /** The server's usage with {@code --allow-path} added. */
    static String usage() {
        String line = String.format("  %-33sallow the files routes under DIR (repeatable; default: none)",
                ALLOW_PATH + " DIR");
        String text = ServeCommand.usage().replace("Usage: serve", "Usage: taskmanager serve");
        String nl = System.lineSeparator();
        int help = text.indexOf("  --help");
        return help < 0 ? text + line + nl : text.substring(0, help) + line + nl + text.substring(help);
    }

    /** The command line split into allowed roots and the server's own flags. */
    static final class Arguments {
        final List<Path> allowedRoots;
        final String[] serverArgs;

        private Arguments(List<Path> allowedRoots, String[] serverArgs) {
            this.allowedRoots = List.copyOf(allowedRoots);
            this.serverArgs = serverArgs;
        }

        /**
         * Takes every {@code --allow-path DIR} and {@code --allow-path=DIR} out of {@code args}.
         *
         * @throws IllegalArgumentException naming the option and the value if a value is missing or is
         *                                  not an existing directory
         */
        static Arguments parse(String... args) {
            List<Path> roots = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value;
                if (arg.equals(ALLOW_PATH)) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new IllegalArgumentException("option '" + ALLOW_PATH + "' needs a value");
                    }
                    value = args[++i];
                } else if (arg.startsWith(ALLOW_PATH + "=")) {
                    value = arg.substring(ALLOW_PATH.length() + 1);
                } else {
                    rest.add(arg);
                    continue;
                }
                roots.add(directory(value));
            }
            return new Arguments(roots, rest.toArray(new String[0]));
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
