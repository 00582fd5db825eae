package dev.taskmanager.app;

import dev.taskmanager.TaskManager;
import dev.taskmanager.files.FilesWorkload;
import dev.taskmanager.server.ServeCommand;
import dev.taskmanager.server.ServerOptions;
import dev.taskmanager.server.TaskManagerServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A server on a free port with the files routes over a workload whose options a test tunes (its
 * read cap, buffer size, leaf threshold: what makes an operation last long enough to watch),
 * where {@link AppServer} has {@code serve}'s defaults. Closing it stops the server and deletes its
 * data directory.
 */
final class TunedFilesServer implements AutoCloseable {

    final TaskManagerServer server;
    /** A new temporary directory; manifests go to its {@code files/} by default. */
    final Path dataDirectory;

    private TunedFilesServer(TaskManagerServer server, Path dataDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
    }

    /** Starts with {@code roots} allowed and the workload's options tuned by {@code tune}. */
    static TunedFilesServer start(List<Path> roots, UnaryOperator<FilesWorkload.Options.Builder> tune)
            throws Exception {
        ServerOptions options = ServeCommand.parse("--api-port", "0");
        TaskManager tm = options.newTaskManager();
        TaskManagerServer.Builder builder = options.newServer(tm);
        Path data = Files.createTempDirectory("taskmanager-app-test-");
        FilesWorkload files = FilesWorkload.create(tm, roots, tune.apply(FilesWorkload.Options.builder()
                .workDirectory(data.resolve(FilesWorkload.MODULE))).build());
        FilesRoutes.mount(builder, files);
        return new TunedFilesServer(builder.build().start(), data);
    }

    TaskManager taskManager() {
        return server.taskManager();
    }

    /** {@code -h 127.0.0.1 -p <port>}, to append to a command line. */
    String[] address() {
        return new String[] {"-h", "127.0.0.1", "-p", String.valueOf(server.port())};
    }

    /** {@link Main#run} with {@link #address()} appended. */
    Run run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of(address()));
        return Run.main(all.toArray(new String[0]));
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
