package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bearer token (issue 11): sent as {@code Authorization: Bearer <token>} from
 * {@code TASKMANAGER_TOKEN} or {@code --token-file}, never sent otherwise, never printed; a token
 * file open to group or others is refused like ssh refuses such a key; a 401 says what to do.
 */
class TokenTest {

    private static final String TOKEN = "s3cr3t-T0ken_value.42";

    private final FakeServer server = FakeServer.start();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        server.close();
    }

    private Path tokenFile(String content, String permissions) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private static Map<String, String> env(String token) {
        return Map.of(BearerToken.VARIABLE, token);
    }

    @Test
    void withoutTokenNoAuthorizationHeaderIsSent() {
        server.get("/task_manager/list_modules", "[]");
        assertThat(Cli.against(server, "tasks", "modules").exitCode()).isZero();
        assertThat(server.requests()).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void theTokenFromTheEnvironmentIsSentAsABearerTokenOnEveryRequest() {
        server.get("/task_manager/list_modules", "[\"a\", \"b\"]")
                .on("POST", "/task_manager/drain/a", 200, "")
                .on("POST", "/task_manager/drain/b", 200, "");

        Cli.Result result = Cli.against(server, env(TOKEN), "tasks", "drain");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.requests()).hasSize(3)
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void anEmptyVariableSendsNoToken() {
        server.get("/task_manager/list_modules", "[]");
        Cli.against(server, env("  "), "tasks", "modules");
        assertThat(server.requests().get(0).authorization()).isNull();
    }

    @Test
    void theTokenFileGivesItsFirstLineTrimmedAndWinsOverTheVariable() throws IOException {
        server.get("/task_manager/list_modules", "[]");
        Path file = tokenFile("  " + TOKEN + " \r\nsecond line\n", "rw-------");

        Cli.Result result = Cli.against(server, env("from-env"), "tasks", "modules",
                "--token-file", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aTokenFileWithoutNewlineIsReadWhole() throws IOException {
        server.get("/task_manager/list_modules", "[]");
        Path file = tokenFile(TOKEN, "r--------");
        Cli.against(server, "tasks", "modules", "--token-file=" + file);
        assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-r--r--", "rw-----w-", "rw---x---"})
    void aTokenFileOpenToGroupOrOthersIsRefusedBeforeAnyRequest(String permissions)
            throws IOException {
        Path file = tokenFile(TOKEN, permissions);

        Cli.Result result = Cli.against(server, "tasks", "modules", "--token-file", file.toString());

        assertThat(result.err()).isEqualTo("error: permissions " + permissions + " for token file '"
                + file + "' are too open: group and others must have no access to it (chmod 600 '"
                + file + "')\n");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aMissingTokenFileExitsTwo() {
        Path missing = dir.resolve("nope");
        Cli.Result result = Cli.against(server, "tasks", "modules", "--token-file",
                missing.toString());
        assertThat(result.err()).isEqualTo("error: cannot read token file '" + missing
                + "': no such file\n");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aTokenFileThatIsNotARegularFileIsRefused() {
        Cli.Result result = Cli.against(server, "tasks", "modules", "--token-file", dir.toString());
        assertThat(result.err()).isEqualTo("error: token file '" + dir + "' is not a regular file\n");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void anEmptyTokenFileIsRefused() throws IOException {
        Path file = tokenFile("\n" + TOKEN + "\n", "rw-------");
        Cli.Result result = Cli.against(server, "tasks", "modules", "--token-file", file.toString());
        assertThat(result.err()).isEqualTo("error: the token from --token-file " + file
                + " is empty\n");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void aTokenThatCannotTravelInAHeaderIsRefusedWithoutPrintingIt() {
        Cli.Result result = Cli.against(server, env("abc def\u0007" + TOKEN), "tasks", "modules");
        assertThat(result.err()).isEqualTo("error: the token from TASKMANAGER_TOKEN holds a "
                + "character that cannot be sent in an HTTP header (at position 4); a token is "
                + "visible ASCII\n").doesNotContain(TOKEN);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void a401WithoutTokenSaysToSetOne() {
        server.on("GET", "/task_manager/list_modules", 401,
                "{\"message\": \"missing bearer token\", \"code\": 401}");

        Cli.Result result = Cli.against(server, "tasks", "modules");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing GET request to "
                + "/task_manager/list_modules with parameters {}: remote replied with status code "
                + "401:\nmissing bearer token\n"
                + "the server requires a token: set TASKMANAGER_TOKEN or --token-file\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void a401WithATokenSaysWhereTheRefusedTokenCameFromButNeverPrintsIt() throws IOException {
        server.on("GET", "/task_manager/task_status/t1", 401,
                "{\"message\": \"invalid bearer token\", \"code\": 401}");
        Path file = tokenFile(TOKEN, "rw-------");

        Cli.Result result = Cli.against(server, "tasks", "status", "t1", "--token-file",
                file.toString());

        assertThat(result.err()).endsWith("401:\ninvalid bearer token\nthe server refused the "
                + "token from --token-file " + file + ": set TASKMANAGER_TOKEN or --token-file to "
                + "the server's token\n");
        assertThat(result.out() + result.err()).doesNotContain(TOKEN);
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void waitQuietExits125OnA401() {
        server.on("GET", "/task_manager/wait_task/t1", 401, "{\"message\": \"no\", \"code\": 401}");
        Cli.Result result = Cli.against(server, "tasks", "wait", "t1", "-q");
        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.out() + result.err()).isEmpty();
    }

    @Test
    void theTokenNeverShowsInTheRecordOfWhereItCameFrom() {
        BearerToken token = BearerToken.resolve(null, env(TOKEN)::get);
        assertThat(token.toString()).isEqualTo("BearerToken[from TASKMANAGER_TOKEN]");
        assertThat(token.header()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void filesSendsTheTokenToo() throws IOException {
        server.on("POST", "/files/manifest", 200, "\"id-1\"");
        Path file = tokenFile(TOKEN + "\n", "rw-------");

        Cli.Result viaFile = Cli.filesAgainst(server, "files", "manifest", "/srv", "--token-file",
                file.toString());
        Cli.Result viaEnv = Cli.files(env("other"), Cli.concat(
                new String[] {"files", "manifest", "/srv"}, server.address()));

        assertThat(viaFile.exitCode()).as(viaFile.err()).isZero();
        assertThat(viaEnv.exitCode()).as(viaEnv.err()).isZero();
        assertThat(server.requests()).extracting(FakeServer.Request::authorization)
                .containsExactly("Bearer " + TOKEN, "Bearer other");
    }

    @Test
    void filesReportsA401LikeTasksThoughAPostsErrorBodyIsLost() {
        // HttpURLConnection drops the body of a 401 to a POST sent in streaming mode
        server.on("POST", "/files/verify", 401, "{\"message\": \"token required\", \"code\": 401}");
        Cli.Result result = Cli.filesAgainst(server, "files", "verify", "/srv", "--manifest", "/m");
        assertThat(result.err()).endsWith("remote replied with status code 401:\n"
                + "the server requires a token: set TASKMANAGER_TOKEN or --token-file\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }
}
