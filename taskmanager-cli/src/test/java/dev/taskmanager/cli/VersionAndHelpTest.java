package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --version} (from the build's version resource, exit 0, nothing sent) and what every
 * {@code --help} must say: the exit codes, the new options, where a manifest goes.
 */
class VersionAndHelpTest {

    private static final String VERSION_LINE = "taskmanager \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        assertThat(server.requests()).as("nothing is sent for help or version").isEmpty();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tasks --version", "tasks status --version", "--version tasks wait x",
        "tasks list --version --bogus", "files --version", "files verify --version"})
    void versionPrintsTheBuildsVersionAndExitsZero(String commandLine) {
        String[] args = commandLine.split(" ");
        Cli.Result result = args[0].equals("files") || args[1].equals("files")
                ? Cli.filesAgainst(server, args) : Cli.against(server, args);

        assertThat(result.out()).matches(VERSION_LINE).isEqualTo(Version.line());
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void theVersionComesFromTheFilteredResourceNotAPlaceholder() {
        assertThat(Version.number()).isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void versionWithAnUnknownSubcommandIsStillAnUnknownOperation() {
        assertThat(Cli.run("tasks", "frobnicate", "--version").exitCode()).isEqualTo(100);
    }

    @Test
    void helpWinsOverVersion() {
        assertThat(Cli.run("tasks", "--version", "--help").out()).startsWith("usage: ");
    }

    @Test
    void versionIsOnlyTheWholeWord() {
        Cli.Result result = Cli.run("tasks", "modules", "--version=1");
        assertThat(result.err()).isEqualTo("error: unrecognised option '--version'\n");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void tasksHelpListsTheCommonOptionsAndTheExitCodes() {
        assertThat(Cli.run("tasks", "--help").out()).contains(
                "  --output <format>           text (default), or json: one JSON document on stdout\n",
                "  --token-file <file>         ",
                "  --tls                       ",
                "  --cacert <file>             ",
                "  --version                   print the version and exit\n",
                "Exit codes:\n  0    success\n  1    a required parameter is missing\n",
                "\n  2    a bad option or option value, or an unusable --token-file or --cacert\n",
                "\n  4    a request failed: an error answer (401: the server wants a token),\n",
                "\n  100  an unknown command or subcommand\n");
    }

    @ParameterizedTest
    @EnumSource(Subcommand.class)
    void everySubcommandsHelpListsTheExitCodesAndTheCommonOptions(Subcommand subcommand) {
        String help = Cli.run("tasks", subcommand.command(), "--help").out();
        assertThat(help).contains(Usage.EXIT_CODES, "--output <format>", "--token-file <file>",
                "--tls", "--cacert <file>", "-h, --host <host>", "--help", "--version");
    }

    @Test
    void waitsHelpAddsTheQuietExitCodes() {
        assertThat(Cli.run("tasks", "wait", "--help").out())
                .contains("123 it failed, 124 the wait timed out, 125 any other error");
    }

    @Test
    void treesHelpOffersTheCompactView() {
        assertThat(Cli.run("tasks", "tree", "--help").out())
                .contains("  --compact                   one short row per task");
    }

    @Test
    void filesHelpSaysWhereTheManifestGoesAndListsTheExitCodes() {
        assertThat(FilesCli.usage()).contains(
                "The manifest is written\nunder the server's data directory unless --output is given.",
                "  --format <format>           text (default), or json: one JSON document on stdout\n",
                "--token-file <file>", "--tls", "--cacert <file>", "--version",
                Usage.EXIT_CODES);
    }
}
