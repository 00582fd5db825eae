package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §14.2: argument errors print one exact line on stderr, exit 1, 2 or 100, send nothing. */
class ArgumentErrorsTest {

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        assertThat(server.requests()).as("requests sent despite the argument error").isEmpty();
        server.close();
    }

    private void assertError(Cli.Result result, int exitCode, String stderr) {
        assertThat(result.err()).isEqualTo(stderr);
        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(exitCode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "wait", "abort"})
    void aMissingIdExitsOneNamingTheId(String subcommand) {
        assertError(Cli.against(server, "tasks", subcommand), 1,
                "error processing arguments: required parameter is missing: id\n");
    }

    @Test
    void aMissingModuleForListExitsOneNamingTheModule() {
        assertError(Cli.against(server, "tasks", "list", "--internal"), 1,
                "error processing arguments: required parameter is missing: module\n");
    }

    @Test
    void waitQuietStillReportsAMissingIdWithExitOne() {
        assertError(Cli.against(server, "tasks", "wait", "-q"), 1,
                "error processing arguments: required parameter is missing: id\n");
    }

    @Test
    void anUnknownOptionExitsTwoQuotingItAsTyped() {
        assertError(Cli.against(server, "tasks", "status", "x", "--frobnicate"), 2,
                "error: unrecognised option '--frobnicate'\n");
    }

    @Test
    void anOptionOfAnotherSubcommandIsUnknown() {
        assertError(Cli.against(server, "tasks", "status", "x", "--quiet"), 2,
                "error: unrecognised option '--quiet'\n");
    }

    @Test
    void anUnknownOptionBeforeTheSubcommandIsReportedToo() {
        assertError(Cli.against(server, "tasks", "-x", "modules"), 2,
                "error: unrecognised option '-x'\n");
    }

    @Test
    void anUnknownOptionIsReportedBeforeAMissingId() {
        assertError(Cli.against(server, "tasks", "status", "--bogus"), 2,
                "error: unrecognised option '--bogus'\n");
    }

    @Test
    void twoIdsForTreeExitTwoBecauseTheIdCannotBeSpecifiedMoreThanOnce() {
        assertError(Cli.against(server, "tasks", "tree", "a", "b"), 2,
                "error: option '--id' cannot be specified more than once\n");
    }

    @Test
    void twoIdsForStatusAreRefusedTheSameWay() {
        assertError(Cli.against(server, "tasks", "status", "a", "--id", "b"), 2,
                "error: option '--id' cannot be specified more than once\n");
    }

    @Test
    void aRepeatedOptionExitsTwo() {
        assertError(Cli.run("tasks", "ttl", "-p", "1", "--port", "2"), 2,
                "error: option '--port' cannot be specified more than once\n");
    }

    @Test
    void aPositionalWordForASubcommandWithoutParameterExitsTwo() {
        assertError(Cli.against(server, "tasks", "modules", "extra"), 2,
                "error: too many positional options have been specified on the command line\n");
    }

    @Test
    void anOptionWithoutItsValueExitsTwo() {
        assertError(Cli.against(server, "tasks", "wait", "x", "--timeout"), 2,
                "error: the required argument for option '--timeout' is missing\n");
    }

    @Test
    void aValueStartingWithADashIsTakenForTheNextOption() {
        assertError(Cli.against(server, "tasks", "ttl", "--set", "-1"), 2,
                "error: the required argument for option '--set' is missing\n");
    }

    @Test
    void aFlagGivenAValueExitsTwo() {
        assertError(Cli.against(server, "tasks", "wait", "x", "--quiet=yes"), 2,
                "error: option '--quiet' does not take any arguments\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--timeout=abc", "--timeout=1.5", "--timeout=4294967296",
        "--timeout=", "--timeout=+3"})
    void aNumericOptionWithANonNumberExitsTwo(String option) {
        String value = option.substring("--timeout=".length());
        assertError(Cli.against(server, "tasks", "wait", "x", option), 2,
                "error: the argument ('" + value + "') for option '--timeout' is invalid\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "http"})
    void anInvalidPortExitsTwo(String port) {
        assertError(Cli.run("tasks", "modules", "-p", port), 2,
                "error: the argument ('" + port + "') for option '--port' is invalid\n");
    }

    @Test
    void aHostThatCannotBeInAUrlExitsTwo() {
        assertError(Cli.run("tasks", "modules", "-h", "bad host"), 2,
                "error: the argument ('bad host') for option '--host' is invalid\n");
    }

    @Test
    void anUnknownSubcommandExitsOneHundred() {
        Cli.Result result = Cli.against(server, "tasks", "frobnicate", "x");
        assertError(result, 100, "error: unrecognized operation argument: expected one of "
                + "(abort, drain, find, list, modules, status, tree, ttl, user-ttl, wait, watch), "
                + "got 'frobnicate'\n");
    }

    @Test
    void anUnknownSubcommandWinsOverAnUnknownOption() {
        Cli.Result result = Cli.against(server, "tasks", "frobnicate", "--bogus");
        assertThat(result.exitCode()).isEqualTo(100);
        assertThat(result.err()).contains("unrecognized operation argument");
    }

    @Test
    void aMissingSubcommandExitsOneHundred() {
        Cli.Result result = Cli.against(server, "tasks");
        assertThat(result.exitCode()).isEqualTo(100);
        assertThat(result.err()).contains("unrecognized operation argument").endsWith("got nothing\n");
        assertThat(result.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "modules", "Tasks"})
    void aFirstWordOtherThanTasksExitsOneHundred(String word) {
        assertError(Cli.run(word, "list"), 100,
                "error: unrecognized operation argument: expected 'tasks', got '" + word + "'\n");
    }

    @Test
    void anEmptyCommandLineExitsOneHundred() {
        assertError(Cli.run(), 100,
                "error: unrecognized operation argument: expected 'tasks', got nothing\n");
    }

    @Test
    void helpIsOnlyTheLongOptionBecauseShortHIsTheHost() {
        assertError(Cli.run("tasks", "modules", "-h"), 2,
                "error: the required argument for option '--host' is missing\n");
    }
}
