package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code files manifest|verify}: one bodiless POST to a files route, the task id it answers printed
 * on stdout; the {@code tasks} conventions for options, failures and exit codes.
 */
class FilesCliTest {

    private static final String ID = "0b9e6a7c-3f5d-4e2a-9c1b-7d8e9f0a1b2c";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aManifestIsOnePostWithThePathsAndTheAnsweredIdIsPrinted() {
        server.on("POST", "/files/manifest", 200, "\"" + ID + "\"");

        Cli.Result result = Cli.filesAgainst(server, "files", "manifest", "/srv/my data",
                "--output", "/tmp/data.sha256");

        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo(ID + "\n");
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(
                    "POST /files/manifest?path=%2Fsrv%2Fmy%20data&output=%2Ftmp%2Fdata.sha256");
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void withoutOutputOnlyThePathIsSent() {
        server.on("POST", "/files/manifest", 200, "\"" + ID + "\"");

        Cli.Result result = Cli.filesAgainst(server, "files", "manifest", "/srv");

        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("POST /files/manifest?path=%2Fsrv");
    }

    @Test
    void aVerificationSendsPathAndManifestWithOptionsAnywhereAndAttached() {
        server.on("POST", "/files/verify", 200, "\"" + ID + "\"");

        Cli.Result result = Cli.files("files", "-p" + server.port(), "verify",
                "--manifest=/m.sha256", "--host=127.0.0.1", "/srv");

        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo(ID + "\n");
        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines())
                .containsExactly("POST /files/verify?path=%2Fsrv&manifest=%2Fm.sha256");
    }

    @Test
    void relativePathsAreSentAbsoluteSinceTheServerResolvesThemInItsOwnDirectory() {
        server.on("POST", "/files/verify", 200, "\"" + ID + "\"");

        Cli.Result result = Cli.filesAgainst(server, "files", "verify", "rel dir/é",
                "--manifest", "m.sha256");

        assertThat(result.exitCode()).as(result.err()).isZero();
        String query = server.requests().get(0).query();
        assertThat(query).contains("rel%20dir%2F%C3%A9");
        assertThat(URLDecoder.decode(query, StandardCharsets.UTF_8)).isEqualTo(
                "path=" + Path.of("rel dir/é").toAbsolutePath() + "&manifest="
                        + Path.of("m.sha256").toAbsolutePath());
    }

    @Test
    void doubleDashEndsTheOptionsSoAPathMayStartWithADash() {
        server.on("POST", "/files/manifest", 200, "\"" + ID + "\"");

        Cli.Result result = Cli.files(Cli.concat(server.address(),
                new String[] {"files", "manifest", "--", "-odd"}));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(URLDecoder.decode(server.requests().get(0).query(), StandardCharsets.UTF_8))
                .isEqualTo("path=" + Path.of("-odd").toAbsolutePath());
    }

    @Test
    void theAnsweredStringIsPrintedUnescaped() {
        server.on("POST", "/files/manifest", 200, "  \"a\\u00e9\\\"b\"  \n");

        Cli.Result result = Cli.filesAgainst(server, "files", "manifest", "/srv");

        assertThat(result.out()).isEqualTo("aé\"b\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void theServersRefusalIsPrintedWithMethodPathParametersStatusAndMessage() {
        server.on("POST", "/files/manifest", 400, "{\"message\": \"parameter 'path': /srv is outside "
                + "the allowed directories\", \"code\": 400}");

        Cli.Result result = Cli.filesAgainst(server, "files", "manifest", "/srv", "--output", "/o");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing POST request to /files/manifest with "
                + "parameters {\"path\": \"/srv\", \"output\": \"/o\"}: remote replied with status code "
                + "400:\nparameter 'path': /srv is outside the allowed directories\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void anErrorBodyWithoutMessageIsPrintedAsSent() {
        server.on("POST", "/files/verify", 500, "Internal Server Error");

        Cli.Result result = Cli.filesAgainst(server, "files", "verify", "/srv", "--manifest", "/m");

        assertThat(result.err()).endsWith("status code 500:\nInternal Server Error\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    static Stream<Arguments> notAJsonString() {
        return Stream.of(
                Arguments.of("{\"id\": \"x\"}"),
                Arguments.of("<html>"),
                Arguments.of("\"a\" trailing"),
                Arguments.of(""));
    }

    @ParameterizedTest
    @MethodSource("notAJsonString")
    void anAnswerOtherThanOneJsonStringFailsQuotingTheBodyAsSent(String body) {
        server.on("POST", "/files/manifest", 200, body);

        Cli.Result result = Cli.filesAgainst(server, "files", "manifest", "/srv");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: POST /files/manifest returned " + body
                + " where a JSON string was expected\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void aLongUnexpectedAnswerIsAbbreviated() {
        String body = "[" + "1,".repeat(150) + "1]";
        server.on("POST", "/files/manifest", 200, body);

        Cli.Result result = Cli.filesAgainst(server, "files", "manifest", "/srv");

        assertThat(result.err()).isEqualTo("error: POST /files/manifest returned "
                + body.substring(0, 200) + "... where a JSON string was expected\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void aRefusedConnectionPrintsOneLineNamingHostAndPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Cli.Result result = Cli.files("files", "manifest", "/srv", "-h", "127.0.0.1", "-p",
                Integer.toString(port));

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("error: cannot connect to 127.0.0.1:" + port + ": ")
                .endsWith("\n").hasLineCount(1);
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void anAnswerThatNeverComesFailsAfterTheReadTimeout() throws IOException {
        // The backlog completes the connection; nobody ever answers.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RestClient client = new RestClient("127.0.0.1", silent.getLocalPort(),
                    Duration.ofMillis(200));

            assertThatThrownBy(() -> client.postForString("/files/manifest", Map.of("path", "/srv")))
                    .isInstanceOfSatisfying(CliException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(4);
                        assertThat(e.getMessage()).isEqualTo("error executing POST request to "
                                + "/files/manifest on 127.0.0.1:" + silent.getLocalPort()
                                + ": Read timed out");
                    });
        }
    }

    static Stream<Arguments> helps() {
        return Stream.of(
                Arguments.of((Object) new String[] {"files", "--help"}),
                Arguments.of((Object) new String[] {"files", "manifest", "--help"}),
                Arguments.of((Object) new String[] {"files", "--help", "verify"}),
                Arguments.of((Object) new String[] {"files", "verify", "/a", "/b", "--bogus", "--help"}));
    }

    @ParameterizedTest
    @MethodSource("helps")
    void helpPrintsTheUsageAndSendsNothingWhateverElseIsWrong(String[] args) {
        Cli.Result result = Cli.filesAgainst(server, args);

        assertThat(result.out()).isEqualTo(FilesCli.usage())
                .startsWith("usage: taskmanager files manifest <dir> [--output <file>] [options]\n"
                        + "       taskmanager files verify <dir> --manifest <file> [options]\n")
                .contains("  -h, --host <host>           REST API host (default localhost)\n",
                        "  -p, --port <port>           REST API port (default 10000)\n");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).isEmpty();
    }

    static Stream<Arguments> unknownOperations() {
        return Stream.of(
                Arguments.of(new String[] {"files"}, "expected one of (manifest, verify), got nothing"),
                Arguments.of(new String[] {"files", "-p", "1"},
                        "expected one of (manifest, verify), got nothing"),
                Arguments.of(new String[] {"files", "shred", "/tmp"},
                        "expected one of (manifest, verify), got 'shred'"),
                Arguments.of(new String[] {"files", "shred", "--help"},
                        "expected one of (manifest, verify), got 'shred'"),
                Arguments.of(new String[] {"files", "shred", "--bogus"},
                        "expected one of (manifest, verify), got 'shred'"),
                Arguments.of(new String[] {"tasks", "manifest", "/srv"}, "expected 'files', got 'tasks'"),
                Arguments.of(new String[] {"--help"}, "expected 'files', got nothing"),
                Arguments.of(new String[0], "expected 'files', got nothing"));
    }

    @ParameterizedTest
    @MethodSource("unknownOperations")
    void anUnknownOrMissingSubcommandExitsWith100(String[] args, String message) {
        Cli.Result result = Cli.files(args);

        assertThat(result.err()).isEqualTo("error: unrecognized operation argument: " + message + "\n");
        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(100);
    }

    static Stream<Arguments> missingParameters() {
        return Stream.of(
                Arguments.of(new String[] {"files", "manifest"}, "path"),
                Arguments.of(new String[] {"files", "manifest", "--output", "/o"}, "path"),
                Arguments.of(new String[] {"files", "verify"}, "path"),
                Arguments.of(new String[] {"files", "verify", "--manifest", "/m"}, "path"),
                Arguments.of(new String[] {"files", "verify", "/srv"}, "manifest"));
    }

    @ParameterizedTest
    @MethodSource("missingParameters")
    void aMissingPathOrManifestExitsWith1(String[] args, String parameter) {
        Cli.Result result = Cli.filesAgainst(server, args);

        assertThat(result.err()).isEqualTo(
                "error processing arguments: required parameter is missing: " + parameter + "\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(server.requests()).isEmpty();
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of("manifest /srv --bogus", "unrecognised option '--bogus'"),
                Arguments.of("manifest /srv --bogus=1", "unrecognised option '--bogus'"),
                Arguments.of("manifest /srv -x", "unrecognised option '-x'"),
                Arguments.of("manifest /srv --help=x", "unrecognised option '--help'"),
                Arguments.of("manifest /srv --manifest m", "unrecognised option '--manifest'"),
                Arguments.of("verify /srv --output o --manifest m", "unrecognised option '--output'"),
                Arguments.of("verify /srv --manifest a --manifest=b",
                        "option '--manifest' cannot be specified more than once"),
                Arguments.of("manifest /srv -p 1 --port 2",
                        "option '--port' cannot be specified more than once"),
                Arguments.of("manifest /srv --output", "the required argument for option '--output' is missing"),
                Arguments.of("manifest /srv --output -o",
                        "the required argument for option '--output' is missing"),
                Arguments.of("manifest /srv -h", "the required argument for option '--host' is missing"),
                Arguments.of("manifest /a /b", "too many positional options have been specified on the "
                        + "command line"),
                Arguments.of("manifest /srv -p 0", "the argument ('0') for option '--port' is invalid"),
                Arguments.of("manifest /srv -p 70000", "the argument ('70000') for option '--port' is invalid"),
                Arguments.of("manifest /srv -p 000080", "the argument ('000080') for option '--port' is invalid"),
                Arguments.of("manifest /srv -p=5", "the argument ('=5') for option '--port' is invalid"),
                // the order of the checks: a malformed option, then one the subcommand does not take,
                // then a second path, then the port, then (exit 1) a missing path
                Arguments.of("manifest /srv --manifest m --bogus", "unrecognised option '--bogus'"),
                Arguments.of("manifest /a /b --manifest m", "unrecognised option '--manifest'"),
                Arguments.of("manifest /a /b -p 0", "too many positional options have been specified on the "
                        + "command line"),
                Arguments.of("verify -p 0", "the argument ('0') for option '--port' is invalid"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void aBadOptionExitsWith2(String commandLine, String message) {
        Cli.Result result = Cli.files(("files " + commandLine).split(" "));

        assertThat(result.err()).isEqualTo("error: " + message + "\n");
        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"a b", "[::1", ""})
    void aHostThatCannotBeInAUrlExitsWith2InsteadOfCrashing(String host) {
        Cli.Result result = Cli.files("files", "manifest", "/srv", "-h", host);

        assertThat(result.err()).isEqualTo("error: the argument ('" + host + "') for option '--host' is invalid\n");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void theDefaultsAreLocalhostAndPort10000() {
        FilesCli.Command command = FilesCli.parse("files", "manifest", "/srv");

        assertThat(command.host()).isEqualTo("localhost");
        assertThat(command.port()).isEqualTo(10000);
        assertThat(command.operation().route()).isEqualTo("/files/manifest");
        assertThat(command.params()).containsExactly(Map.entry("path", "/srv"));
    }
}
