package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code --help} prints usage on stdout and exits 0 without contacting anyone. */
class HelpTest {

    @Test
    void tasksHelpListsEverySubcommandAndTheConnectionOptions() {
        Cli.Result result = Cli.run("tasks", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).startsWith("usage: taskmanager tasks <subcommand> [options]\n")
                .contains("-h, --host <host>", "-p, --port <port>");
        for (Subcommand s : Subcommand.values()) {
            assertThat(result.out()).contains("  " + s.command() + " ");
        }
    }

    @ParameterizedTest
    @EnumSource(Subcommand.class)
    void everySubcommandHasHelpNamingItsOwnOptions(Subcommand subcommand) {
        Cli.Result result = Cli.run("tasks", subcommand.command(), "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).startsWith("usage: taskmanager tasks " + subcommand.command());
        for (Option o : subcommand.options()) {
            assertThat(result.out()).contains(o.longName());
        }
    }

    @Test
    void listHelpShowsTheShortAliases() {
        assertThat(Cli.run("tasks", "list", "--help").out())
                .startsWith("usage: taskmanager tasks list <module> [options]\n")
                .contains("-ks, --keyspace <keyspace>", "-t, --table <table>",
                        "-i, --iterations <n>", "--interval <seconds>", "--internal");
    }

    @Test
    void treeHelpShowsTheIdAsOptional() {
        assertThat(Cli.run("tasks", "tree", "--help").out())
                .startsWith("usage: taskmanager tasks tree [<id>] [options]\n");
    }

    @Test
    void watchHelpGivesTheExitCodesOfTheOutcome() {
        assertThat(Cli.run("tasks", "watch", "--help").out())
                .startsWith("usage: taskmanager tasks watch <id> [options]\n")
                .contains("--interval <seconds>        seconds between two looks at the task "
                        + "(default 1)", "--timeout <seconds>         give up after this many "
                        + "seconds (exit 124)", "0 done, 123 failed or aborted; 124 --timeout",
                        "125 any other error");
    }

    @Test
    void abortHelpSaysWhatReasonChangesInItsExitCodes() {
        assertThat(Cli.run("tasks", "abort", "--help").out()).contains("--reason <text>",
                "already finished", "exits 0; with --reason, an unknown task exits 4");
    }

    @Test
    void anOptionSharedBySubcommandsIsDescribedForEach() {
        assertThat(Cli.run("tasks", "find", "--help").out())
                .contains("--module <module>           only tasks of this module\n",
                        "--state <state>", "(repeatable)", "--all ")
                .doesNotContain("drain only");
        assertThat(Cli.run("tasks", "drain", "--help").out())
                .contains("--module <module>           drain only this module (default: all)\n");
    }

    @Test
    void helpWinsOverOtherArgumentErrors() {
        Cli.Result result = Cli.run("tasks", "--help", "wait", "--bogus");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("usage: taskmanager tasks wait <id> [options]\n")
                .contains("-q, --quiet");
    }

    @Test
    void helpForAnUnknownSubcommandIsStillAnUnknownOperation() {
        Cli.Result result = Cli.run("tasks", "frobnicate", "--help");
        assertThat(result.exitCode()).isEqualTo(100);
        assertThat(result.out()).isEmpty();
    }
}
