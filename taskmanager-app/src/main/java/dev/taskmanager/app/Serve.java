package dev.taskmanager.app;

import dev.taskmanager.files.FilesWorkload;
import dev.taskmanager.files.PrivateDirectory;
import dev.taskmanager.server.ServeCommand;
import dev.taskmanager.server.ServerOptions;
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
 * <p>The app takes {@code --allow-path} and {@code --data-dir} off the command line and hands the
 * rest to {@link ServeCommand}, so every other flag, message and exit code is the server's.
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
        return ServeCommand.run(out, err, customizer(arguments.allowedRoots, arguments.dataDirectory, out),
                arguments.serverArgs);
    }

    /**
     * What the app adds to the server's {@code serve}: the data directory (created or checked), the
     * files workload confined to {@code roots} with its work directory in {@code files/} there, its
     * routes, and a line on {@code out} saying which directories they may touch and where manifests go.
     * A data directory that is refused fails the start with a message naming its path, owner and mode.
     */
    static ServeCommand.Customizer customizer(List<Path> roots, Path dataDirectory, PrintStream out) {
        return (taskManager, server) -> {
            FilesWorkload files;
            try {
                Path data = PrivateDirectory.ensure(dataDirectory);
                files = FilesWorkload.create(taskManager, roots, FilesWorkload.Options.builder()
                        .workDirectory(data.resolve(FilesWorkload.MODULE)).build());
            } catch (IOException | UncheckedIOException e) {
                throw new IOException("data directory " + dataDirectory + ": " + e.getMessage(), e);
            }
            FilesRoutes.mount(server, files);
            out.println("Files routes: POST " + FilesRoutes.MANIFEST + "?path=&output=&overwrite=, POST "
                    + FilesRoutes.VERIFY + "?path=&manifest=&skip_unreadable=; "
                    + (roots.isEmpty() ? "no directory allowed (add --allow-path DIR)"
                    : "allowed: " + roots.stream().map(Path::toString).collect(Collectors.joining(", ")))
                    + "; manifests go by default to " + files.workDirectory() + "/<task id>.sha256");
        };
    }

    /** The server's usage with {@code --allow-path} and {@code --data-dir} added, and the files routes. */
    static String usage() {
        String nl = System.lineSeparator();
        String lines = String.format("  %-33sallow the files routes under DIR (repeatable; default: none)%n"
                        + "  %-33swhere the server keeps its state, created 0700 and refused if another user%n"
                        + "  %-33scould change it (default: $XDG_STATE_HOME/taskmanager, else%n"
                        + "  %-33s~/.local/state/taskmanager)%n",
                ALLOW_PATH + " DIR", DATA_DIR + " DIR", "", "");
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

    /** The command line split into allowed roots, the data directory and the server's own flags. */
    static final class Arguments {
        final List<Path> allowedRoots;
        final Path dataDirectory;
        final String[] serverArgs;

        private Arguments(List<Path> allowedRoots, Path dataDirectory, String[] serverArgs) {
            this.allowedRoots = List.copyOf(allowedRoots);
            this.dataDirectory = dataDirectory;
            this.serverArgs = serverArgs;
        }

        /**
         * Takes every {@code --allow-path DIR} and {@code --allow-path=DIR}, and the one
         * {@code --data-dir DIR}, out of {@code args}.
         *
         * @throws IllegalArgumentException naming the option and the value if a value is missing, an
         *                                  allowed path is not an existing directory, a data directory
         *                                  is not a valid path, or {@code --data-dir} is repeated
         */
        static Arguments parse(String... args) {
            List<Path> roots = new ArrayList<>();
            Path data = null;
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String option = arg.equals(ALLOW_PATH) || arg.startsWith(ALLOW_PATH + "=") ? ALLOW_PATH
                        : arg.equals(DATA_DIR) || arg.startsWith(DATA_DIR + "=") ? DATA_DIR : null;
                if (option == null) {
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
                } else if (data != null) {
                    throw new IllegalArgumentException("option '" + DATA_DIR + "' is given more than once");
                } else {
                    data = path(DATA_DIR, value);
                }
            }
            return new Arguments(roots, data != null ? data : PrivateDirectory.defaultDataDirectory(),
                    rest.toArray(new String[0]));
        }

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
