package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskmanager.TaskManager;
import dev.taskmanager.server.ServeCommand;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code files manifest|verify} from the command line, through the app's server wiring and the files
 * routes, down to real hashing, then watched with {@code tasks}.
 */
class FilesEndToEndTest {

    @TempDir
    Path temp;

    private Path data;
    private Path outside;
    private AppServer server;

    @BeforeEach
    void startServer() throws Exception {
        data = Files.createDirectories(temp.resolve("data"));
        write(data.resolve("a.txt"), 100);
        write(Files.createDirectories(data.resolve("sub")).resolve("big.bin"), 2 << 20);
        write(data.resolve("sub/c.txt"), 5000);
        outside = Files.createDirectories(temp.resolve("outside"));
        server = AppServer.start(List.of(data));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void serveSaysWhichDirectoriesTheFilesRoutesMayTouchAndWhereManifestsGo() throws Exception {
        assertThat(server.log).contains("POST /files/manifest?path=&output=&overwrite=",
                "POST /files/verify?path=&manifest=&skip_unreadable=", "allowed: " + data,
                "manifests go by default to " + server.dataDirectory.toRealPath().resolve("files") + "/<task id>.sha256");
    }

    @Test
    void withoutAnOutputTheManifestGoesToTheDataDirectoryAndItsOutputTaskSaysSo() throws Exception {
        String id = server.run("files", "manifest", data.toString()).out().trim();
        assertThat(server.run("tasks", "wait", "--quiet", id).code()).isZero();

        Path expected = server.dataDirectory.toRealPath().resolve("files/" + id + ".sha256");
        assertThat(expected).isRegularFile();
        assertThat(Files.getPosixFilePermissions(server.dataDirectory.resolve("files")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Run tree = server.run("tasks", "tree", id);
        assertThat(tree.out().lines().filter(line -> line.contains(" output ")).findFirst()).get().asString()
                .contains("manifest", "done", expected.toString());
    }

    @Test
    void anExistingOutputIsRefusedWith400UnlessOverwriteIsTrue() throws Exception {
        Path existing = Files.writeString(data.resolve("old.sha256"), "keep\n");

        HttpResponse<String> refused = server.post("/files/manifest?path=" + data + "&output=" + existing);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("parameter 'output': " + existing + " exists; pass overwrite=true to "
                + "replace it");
        HttpResponse<String> badFlag = server.post("/files/manifest?path=" + data + "&output=" + existing
                + "&overwrite=yes");
        assertThat(badFlag.statusCode()).isEqualTo(400);
        assertThat(badFlag.body()).contains("invalid value 'yes' for parameter 'overwrite'");
        assertThat(Files.readString(existing)).isEqualTo("keep\n");

        String id = server.postOk("/files/manifest?path=" + data + "&output=" + existing + "&overwrite=true")
                .replace("\"", "");
        assertThat(server.run("tasks", "wait", "--quiet", id).code()).isZero();
        assertThat(Files.readAllLines(existing)).contains(sha256(data.resolve("a.txt")) + "  a.txt");
    }

    @Test
    void skipUnreadableIsARouteParameterAndABadValueIsA400() throws Exception {
        Path manifest = data.resolve("data.sha256");
        String manifestId = server.postOk("/files/manifest?path=" + data + "&output=" + manifest).replace("\"", "");
        assertThat(server.run("tasks", "wait", "--quiet", manifestId).code()).isZero();

        String id = server.postOk("/files/verify?path=" + data + "&manifest=" + manifest + "&skip_unreadable=true")
                .replace("\"", "");
        assertThat(server.run("tasks", "wait", "--quiet", id).code()).isZero();
        HttpResponse<String> bad = server.post("/files/verify?path=" + data + "&manifest=" + manifest
                + "&skip_unreadable=perhaps");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid value 'perhaps' for parameter 'skip_unreadable'");
    }

    @Test
    void aDataDirectoryOthersMayWriteIsRefusedAtStartNamingItsOwnerAndMode() throws Exception {
        Path shared = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        try (TaskManager tm = ServeCommand.parse().newTaskManager()) {
            assertThatThrownBy(() -> Serve.customizer(List.of(data), shared, System.out)
                    .customize(tm, ServeCommand.parse("--api-port", "0").newServer(tm)))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("data directory " + shared + ": " + shared.toRealPath() + " is owned by ")
                    .hasMessageContaining("has mode 0777; refusing it");
        }
    }

    @Test
    void aManifestStartedFromTheCommandLineRunsAsAUserTaskAndShowsInTheTree() throws Exception {
        Path manifest = data.resolve("data.sha256");

        Run started = server.run("files", "manifest", data.toString(), "--output", manifest.toString());

        assertThat(started.code()).as(started.toString()).isZero();
        assertThat(started.out()).matches("[0-9a-f-]{36}\n");
        String id = started.out().trim();
        Run waited = server.run("tasks", "wait", id);
        assertThat(waited.code()).as(waited.toString()).isZero();
        assertThat(waited.out()).contains("state: done", "progress_completed: " + (100 + (2 << 20) + 5000));

        Run tree = server.run("tasks", "tree", id);
        assertThat(tree.code()).as(tree.toString()).isZero();
        assertThat(tree.out().lines().filter(line -> line.startsWith(id)).findFirst()).get().asString()
                .contains("manifest", "directory", "done", data.toRealPath().toString(), "bytes");
        assertThat(server.taskManager().find(UUID.fromString(id)).orElseThrow().status().userTask()).isTrue();

        assertThat(Files.readAllLines(manifest)).containsExactly(
                sha256(data.resolve("a.txt")) + "  a.txt",
                sha256(data.resolve("sub/big.bin")) + "  sub/big.bin",
                sha256(data.resolve("sub/c.txt")) + "  sub/c.txt");
    }

    @Test
    void aVerificationThatFindsAModifiedFileFailsAndTheTreeNamesIt() throws Exception {
        Path manifest = data.resolve("data.sha256");
        String manifestId = server.run("files", "manifest", data.toString(), "--output", manifest.toString())
                .out().trim();
        assertThat(server.run("tasks", "wait", "--quiet", manifestId).code()).isZero();
        String expected = sha256(data.resolve("sub/big.bin"));
        write(data.resolve("sub/big.bin"), 2 << 20, 7);

        Run started = server.run("files", "verify", data.toString(), "--manifest", manifest.toString());

        assertThat(started.code()).as(started.toString()).isZero();
        String id = started.out().trim();
        assertThat(server.run("tasks", "wait", "--quiet", id).code()).isEqualTo(123);
        Run tree = server.run("tasks", "tree", id);
        assertThat(tree.out()).contains("1 of 3 files failed verification",
                "sha256 mismatch: expected " + expected + ", got " + sha256(data.resolve("sub/big.bin")));
    }

    @Test
    void aPathOutsideTheAllowedDirectoriesIsRefusedWithTheServersMessage() {
        Run run = server.run("files", "manifest", outside.toString());

        assertThat(run.code()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error executing POST request to /files/manifest with parameters "
                        + "{\"path\": \"" + outside + "\"}: remote replied with status code 400:\n")
                .contains("parameter 'path': " + outside + " is outside the allowed directories");
        assertThat(server.taskManager().findModule("files").orElseThrow().tasks()).isEmpty();
    }

    @Test
    void aRelativePathIsSentAsAnAbsolutePath() {
        Run run = server.run("files", "verify", "no-such-dir", "--manifest", "m.sha256");

        assertThat(run.code()).isEqualTo(4);
        assertThat(run.err()).contains("\"path\": \"" + Path.of("no-such-dir").toAbsolutePath() + "\"",
                "\"manifest\": \"" + Path.of("m.sha256").toAbsolutePath() + "\"");
    }

    @Test
    void theRoutesAnswerTheTaskIdAsAJsonStringAnd400ForAMissingParameter() throws IOException {
        HttpResponse<String> started = server.post("/files/manifest?path=" + data);
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).matches("\"[0-9a-f-]{36}\"");
        assertThat(server.run("tasks", "wait", "--quiet", started.body().replace("\"", "")).code()).isZero();

        HttpResponse<String> noPath = server.post("/files/manifest");
        assertThat(noPath.statusCode()).isEqualTo(400);
        assertThat(noPath.body()).contains("Missing mandatory parameter 'path'");
        HttpResponse<String> noManifest = server.post("/files/verify?path=" + data);
        assertThat(noManifest.statusCode()).isEqualTo(400);
        assertThat(noManifest.body()).contains("Missing mandatory parameter 'manifest'");
    }

    @Test
    void withNoAllowedDirectoryEveryPathIsRefused() throws Exception {
        try (AppServer closed = AppServer.start(List.of())) {
            assertThat(closed.log).contains("no directory allowed (add --allow-path DIR)");
            Run run = closed.run("files", "manifest", data.toString());
            assertThat(run.code()).isEqualTo(4);
            assertThat(run.err()).contains("status code 400", "no directory is allowed", "--allow-path");
        }
    }

    static void write(Path file, int bytes) throws IOException {
        write(file, bytes, 1);
    }

    static void write(Path file, int bytes, long seed) throws IOException {
        byte[] content = new byte[bytes];
        new Random(seed).nextBytes(content);
        Files.write(file, content);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
