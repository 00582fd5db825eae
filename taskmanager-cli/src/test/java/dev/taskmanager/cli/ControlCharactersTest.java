package dev.taskmanager.cli;

import static dev.taskmanager.cli.Cli.lines;
import static dev.taskmanager.cli.Cli.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Names and errors from the server can hold control characters; printed, they are escaped
 * ({@code \n}, {@code \r}, {@code \t}, otherwise {@code \xHH}) so that no row breaks and no
 * escape sequence reaches the terminal, while printable text is untouched.
 */
class ControlCharactersTest {

    /** JSON text of {@code "a<LF>b"} and of a string carrying ESC [2J (clear the screen). */
    private static final String NEWLINE_NAME = "a\\nb";
    private static final String CLEAR_SCREEN = "\\u001b[2J";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyControlCharacterIsEscapedAndPrintableTextIsNot() {
        assertThat(TerminalText.escape("a\nb\r\tc")).isEqualTo("a\\nb\\r\\tc");
        assertThat(TerminalText.escape("\u001b[2J")).isEqualTo("\\x1b[2J");
        assertThat(TerminalText.escape("\u0000\u0007\u001f\u007f\u0080\u009b\u009f"))
                .isEqualTo("\\x00\\x07\\x1f\\x7f\\x80\\x9b\\x9f");
        String printable = "plain \\n stays, é, 漢字, \uD83D\uDE00, \u00a0, \u2028";
        assertThat(TerminalText.escape(printable)).isSameAs(printable);
    }

    @Test
    void aNewlineInAListCellDoesNotBreakTheRow() {
        server.get("/task_manager/list_module_tasks/m", "[{\"task_id\": \"t1\", \"entity\": \""
                + NEWLINE_NAME + "\", \"type\": \"" + CLEAR_SCREEN + "\"}]");

        Cli.Result result = Cli.against(server, "tasks", "list", "m");

        assertThat(result.out()).isEqualTo(lines(
                row("task_id", 7, "type", 7, "kind", 4, "scope", 5, "state", 5,
                        "sequence_number", 15, "keyspace", 8, "table", 5, "entity", 6, "shard", 5,
                        "start_time", 10, "end_time", 8),
                row("t1", 7, "\\x1b[2J", 7, "", 4, "", 5, "", 5, "", 15, "", 8, "", 5,
                        "a\\nb", 6, "", 5, "", 10, "", 8)));
        assertThat(result.out()).doesNotContain("\u001b");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void statusLinesEscapeValuesAndKeys() {
        server.get("/task_manager/task_status/t1", "{\"id\": \"t1\", \"error\": \"disk full\\n"
                + CLEAR_SCREEN + "gone\", \"k\\ty\": \"\\u009b31m\", \"children_ids\": "
                + "[{\"task_id\": \"" + NEWLINE_NAME + "\", \"node\": \"n\"}]}");

        assertThat(Cli.against(server, "tasks", "status", "t1").out()).isEqualTo(lines(
                "id: t1",
                "error: disk full\\n\\x1b[2Jgone",
                "k\\ty: \\x9b31m",
                "children_ids: [{task_id: a\\nb, node: n }]"));
    }

    @Test
    void treeCellsAreEscapedIncludingChildren() {
        server.get("/task_manager/task_status_recursive/t1", "[{\"id\": \"t1\", \"error\": \""
                + CLEAR_SCREEN + "\", \"children_ids\": [{\"task_id\": \"" + NEWLINE_NAME
                + "\"}]}]");

        String[] rows = Cli.against(server, "tasks", "tree", "t1").out().split("\n");

        assertThat(rows).hasSize(2);
        assertThat(rows[1]).contains(" \\x1b[2J ").endsWith("[{task_id: a\\nb }]");
    }

    @Test
    void moduleNamesAreEscaped() {
        server.get("/task_manager/list_modules", "[\"" + NEWLINE_NAME + "\", \"" + CLEAR_SCREEN
                + "\"]");
        assertThat(Cli.against(server, "tasks", "modules").out()).isEqualTo("a\\nb\n\\x1b[2J\n");
    }

    @Test
    void aServerErrorMessageIsEscapedOnStderr() {
        server.on("GET", "/task_manager/task_status/t1", 400,
                "{\"message\": \"no task\\n" + CLEAR_SCREEN + "named t1\", \"code\": 400}");

        Cli.Result result = Cli.against(server, "tasks", "status", "t1");

        assertThat(result.err()).isEqualTo("error executing GET request to "
                + "/task_manager/task_status/t1 with parameters {}: remote replied with status "
                + "code 400:\nno task\\n\\x1b[2Jnamed t1\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void anErrorBodyThatIsNotJsonIsEscapedToo() {
        server.on("GET", "/task_manager/task_status/t1", 500, "oops\u001b]0;title\u0007");
        assertThat(Cli.against(server, "tasks", "status", "t1").err())
                .endsWith("status code 500:\noops\\x1b]0;title\\x07\n");
    }

    @Test
    void anUnexpectedBodyQuotedInAnErrorIsEscaped() {
        server.get("/task_manager/task_status/t1", "<html>\u001b[2J");
        assertThat(Cli.against(server, "tasks", "status", "t1").err())
                .endsWith("): <html>\\x1b[2J\n");
    }

    @Test
    void anIdEchoedBackIsEscaped() {
        server.on("POST", "/task_manager/abort_task/a%0Ab", 403,
                "{\"message\": \"no\", \"code\": 403}");
        assertThat(Cli.against(server, "tasks", "abort", "a\nb").out())
                .isEqualTo("Task with id a\\nb is not abortable\n");
    }

    @Test
    void ttlOfAStringWithControlsPrintsNoControl() {
        server.get("/task_manager/ttl", "\"\\u009b2J\\u007f\"");
        assertThat(Cli.against(server, "tasks", "ttl").out())
                .isEqualTo("Current ttl: \"\\u009b2J\\u007f\"\n");
    }

    @Test
    void theTaskIdPrintedByFilesIsEscaped() {
        server.on("POST", "/files/manifest", 200, "\"id\\u001b[2J\"");
        assertThat(Cli.filesAgainst(server, "files", "manifest", "/srv").out())
                .isEqualTo("id\\x1b[2J\n");
    }

    @Test
    void escapingHappensBeforeWidthsAreMeasuredSoColumnsStayAligned() {
        Table table = new Table(List.of("name", "x"));
        table.add(List.of("a\tb", "1"));
        table.add(List.of("ab", "2"));
        assertThat(table.render()).isEqualTo("name x\na\\tb 1\nab   2\n");
    }
}
