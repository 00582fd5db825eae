package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one parser both command lines share: which of several problems on a line is reported (by
 * class, then in line order), and how new options behave. Nothing is ever sent.
 */
class GrammarTest {

    static Stream<Arguments> badLines() {
        return Stream.of(
                // an unknown option anywhere beats an option of another subcommand before it
                Arguments.of("tasks status x --quiet --bogus", "unrecognised option '--bogus'"),
                // the name is reported without its attached value, as nodetool splits at '='
                Arguments.of("tasks list --bogus=1 repair", "unrecognised option '--bogus'"),
                Arguments.of("tasks modules --help=x", "unrecognised option '--help'"),
                // a malformed option beats a bad value before it
                Arguments.of("tasks wait x --timeout=abc --bogus", "unrecognised option '--bogus'"),
                // an option of another subcommand beats a positional too many
                Arguments.of("tasks modules extra --compact", "unrecognised option '--compact'"),
                // a positional too many beats a bad value
                Arguments.of("tasks modules extra -p 0", "too many positional options have been "
                        + "specified on the command line"),
                Arguments.of("tasks modules -p 010000", "the argument ('010000') for option "
                        + "'--port' is invalid"),
                Arguments.of("tasks modules --output", "the required argument for option "
                        + "'--output' is missing"),
                Arguments.of("tasks modules --output json --output text", "option '--output' "
                        + "cannot be specified more than once"),
                Arguments.of("tasks tree --compact=yes", "option '--compact' does not take any "
                        + "arguments"),
                Arguments.of("tasks status x --format json", "unrecognised option '--format'"),
                Arguments.of("files manifest /srv --format yaml", "the argument ('yaml') for "
                        + "option '--format' is invalid (expected text or json)"),
                Arguments.of("files manifest /srv --compact", "unrecognised option '--compact'"));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void theFirstProblemOfTheHighestClassIsReportedWithExitTwo(String line, String message) {
        String[] args = line.split(" ");
        Cli.Result result = args[0].equals("files") ? Cli.files(args) : Cli.run(args);

        assertThat(result.err()).isEqualTo("error: " + message + "\n");
        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void aBadOptionIsReportedBeforeAMissingPositional() {
        Cli.Result result = Cli.run("tasks", "status", "--output", "xml");
        assertThat(result.err()).isEqualTo("error: the argument ('xml') for option '--output' is "
                + "invalid (expected text or json)\n");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void everyTasksSubcommandTakesTheCommonOptions() {
        for (Subcommand s : Subcommand.values()) {
            for (Option o : TasksCli.GRAMMAR.common()) {
                assertThat(TasksCli.GRAMMAR.accepts(s, o)).as(s + " takes " + o).isTrue();
            }
        }
    }

    @Test
    void theCommonOptionsMayComeBeforeTheCommandWord() {
        ParsedLine<Subcommand> line = ArgumentParser.parse(TasksCli.GRAMMAR, "--output", "json",
                "--tls", "tasks", "tree", "--compact", "t1");
        assertThat(line.verb()).isEqualTo(Subcommand.TREE);
        assertThat(line.values()).containsOnlyKeys(Option.OUTPUT, Option.TLS, Option.COMPACT,
                Option.ID);
        assertThat(line.positional()).isEqualTo("t1");
    }

    @Test
    void aRepeatableOptionKeepsEveryValueInTheOrderTyped() {
        ParsedLine<Subcommand> line = ArgumentParser.parse(TasksCli.GRAMMAR, "tasks", "find",
                "--state=running", "--label", "a:1", "--state", "failed", "--label=b:2");
        assertThat(line.all(Option.STATE)).containsExactly("running", "failed");
        assertThat(line.all(Option.LABEL)).containsExactly("a:1", "b:2");
        assertThat(line.value(Option.STATE)).isEqualTo("running");
        assertThat(line.all(Option.TYPE)).isEmpty();
    }

    @Test
    void aRepeatableOptionStillNeedsItsValue() {
        Cli.Result result = Cli.run("tasks", "find", "--state", "running", "--state");
        assertThat(result.err()).isEqualTo("error: the required argument for option '--state' "
                + "is missing\n");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void theNewOptionsBelongToTheirSubcommandsOnly() {
        assertThat(Cli.run("tasks", "list", "m", "--reason", "x").err())
                .isEqualTo("error: unrecognised option '--reason'\n");
        assertThat(Cli.run("tasks", "status", "x", "--wide").err())
                .isEqualTo("error: unrecognised option '--wide'\n");
        assertThat(Cli.run("tasks", "watch", "x", "--all").err())
                .isEqualTo("error: unrecognised option '--all'\n");
        assertThat(Cli.run("tasks", "watch").err())
                .isEqualTo("error processing arguments: required parameter is missing: id\n");
    }

    @Test
    void filesOutputIsTheManifestFileNotTheFormat() {
        FilesCli.Command command = FilesCli.parse("files", "manifest", "/srv", "--output", "json",
                "--format", "json");
        assertThat(command.params()).containsEntry("output", Path.of("json")
                .toAbsolutePath().toString());
        assertThat(command.format()).isEqualTo(OutputFormat.JSON);
    }
}
