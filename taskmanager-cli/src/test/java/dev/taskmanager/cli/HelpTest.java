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
