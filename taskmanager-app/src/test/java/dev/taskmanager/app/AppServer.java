package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskManager;
import dev.taskmanager.files.FilesWorkload;
import dev.taskmanager.files.PrivateDirectory;
import dev.taskmanager.server.ServeCommand;
import dev.taskmanager.server.ServerOptions;
import dev.taskmanager.server.TaskManagerServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The app's server wiring ({@code serve}'s flags, {@link Serve.Wiring}) on a free port, for tests:
 * the same task manager, routes, files workload and history store as {@code taskmanager serve}, without
 * blocking.
 */
final class AppServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final TaskManagerServer server;
    final String log;
    /** The server's {@code --data-dir}: a new temporary directory, deleted on close. */
    final Path dataDirectory;
    /** The app's additions, the history store among them (closed after the server); null when throttled. */
    final Serve.Wiring wiring;

    private AppServer(TaskManagerServer server, String log, Path dataDirectory, Serve.Wiring wiring) {
        this.server = server;
        this.log = log;
        this.dataDirectory = dataDirectory;
        this.wiring = wiring;
    }

    /**
     * Starts on port 0 with {@code roots} allowed, a new temporary data directory, and
     * {@code serveFlags} as given to {@code serve} (the server's flags and the app's history flags;
     * {@code --allow-path} and {@code --data-dir} are this method's to set).
     */
    static AppServer start(List<Path> roots, String... serveFlags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--api-port", "0"));
        args.addAll(Arrays.asList(serveFlags));
        // the app's own flags (history: --store, --node-name, ...) first, as serve takes them
        Serve.Arguments app = Serve.Arguments.parse(args.toArray(new String[0]));
        ServerOptions options = ServeCommand.parse(app.serverArgs);
        TaskManager tm = options.newTaskManager();
        TaskManagerServer.Builder builder = options.newServer(tm);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path data = Files.createTempDirectory("taskmanager-app-test-");
        Serve.Wiring wiring;
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            wiring = new Serve.Wiring(roots, data, app.history, out);
            wiring.customize(tm, builder);
        }
        return new AppServer(builder.build().start(), log.toString(StandardCharsets.UTF_8), data, wiring);
    }

    /**
     * Like {@link #start}, but with manifests read at most {@code manifestBytesPerSecond}, 64 KiB at a
     * time, so that their progress moves in small steps a test can watch; verifications run at full
     * speed (the demo's arrangement).
     */
    static AppServer startThrottled(List<Path> roots, long manifestBytesPerSecond, String... serveFlags)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--api-port", "0"));
        args.addAll(Arrays.asList(serveFlags));
        ServerOptions options = ServeCommand.parse(args.toArray(new String[0]));
        TaskManager tm = options.newTaskManager();
        TaskManagerServer.Builder builder = options.newServer(tm);
        Path data = Files.createTempDirectory("taskmanager-app-test-");
        Path work = PrivateDirectory.ensure(data).resolve(FilesWorkload.MODULE);
        FilesWorkload manifests = FilesWorkload.create(tm, roots, FilesWorkload.Options.builder()
                .maxBytesPerSecond(manifestBytesPerSecond).bufferSize(64 << 10).workDirectory(work).build());
        FilesWorkload verifications = FilesWorkload.create(tm, roots, FilesWorkload.Options.builder()
                .workDirectory(work).build());
        FilesRoutes.mount(builder, manifests, verifications);
        return new AppServer(builder.build().start(), "", data, null);
    }

    int port() {
        return server.port();
    }

    TaskManager taskManager() {
        return server.taskManager();
    }

    /** {@link Main#run} with {@code -h 127.0.0.1 -p <port>} appended. */
    Run run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-h", "127.0.0.1", "-p", String.valueOf(port())));
        return Run.main(all.toArray(new String[0]));
    }

    /** A bodiless POST, e.g. to the test API; returns the answer. */
    HttpResponse<String> post(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET; returns the answer. */
    HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST that must answer 200; returns the body. */
    String postOk(String pathAndQuery) {
        HttpResponse<String> answer = post(pathAndQuery);
        assertThat(answer.statusCode()).as("POST %s: %s", pathAndQuery, answer.body()).isEqualTo(200);
        return answer.body();
    }

    @Override
    public void close() {
        server.close();
        if (wiring != null) {
            wiring.close();
        }
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
