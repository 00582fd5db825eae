package dev.taskmanager.cli;

import static dev.taskmanager.cli.Cli.lines;
import static dev.taskmanager.cli.Fixtures.STARTED;
import static dev.taskmanager.cli.Fixtures.UNSET;
import static dev.taskmanager.cli.Fixtures.array;
import static dev.taskmanager.cli.Fixtures.child;
import static dev.taskmanager.cli.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tasks tree}: the compat table stays as nodetool prints it (every cell padded, the last
 * included), and {@code --compact} shows one short row per task, indented by depth, with no
 * padding at the end of a line.
 */
class CompactTreeTest {

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    /** A status with the fields the compact view reads; the rest as {@link Fixtures#status}. */
    private static String task(String id, String parent, String state, String units, String total,
            String completed, String entity, String error) {
        return "{\"id\": \"" + id + "\", \"state\": \"" + state + "\", \"error\": \"" + error
                + "\", \"parent_id\": \"" + parent + "\", \"entity\": \"" + entity
                + "\", \"progress_units\": \"" + units + "\", \"progress_total\": " + total
                + ", \"progress_completed\": " + completed + "}";
    }

    @Test
    void theCompatTablePadsEveryRowToTheWidestChildrenCellAsNodetoolDoes() {
        List<String> children = IntStream.range(0, 21).mapToObj(i -> child("c" + i)).toList();
        List<String> statuses = new ArrayList<>();
        statuses.add(status("p1", "running", true, STARTED, UNSET, "", "none", "21", "0",
                array(children.toArray(String[]::new))));
        for (int i = 0; i < 21; i++) {
            statuses.add(status("c" + i, "running", true, STARTED, UNSET, "", "p1", "1", "0", "[]"));
        }
        server.get("/task_manager/task_status_recursive/p1", array(statuses.toArray(String[]::new)));

        String[] rows = Cli.against(server, "tasks", "tree", "p1").out().split("\n");

        assertThat(rows).hasSize(23);
        int widest = rows[1].length();
        assertThat(rows).allSatisfy(row -> assertThat(row).hasSize(widest));
        assertThat(rows[2]).endsWith(" []" + " ".repeat(widest - rows[2].indexOf(" []") - 3));
    }

    @Test
    void compactShowsIdStateProgressEntityAndErrorWithChildrenIndentedUnderTheirParent() {
        // breadth first, as the server sends it: the root, its children, then grandchildren
        server.get("/task_manager/task_status_recursive/r", array(
                task("r", "none", "running", "bytes", "268435456", "85000000", "/srv/data", ""),
                task("d1", "r", "running", "bytes", "1000000", "500000", "a", ""),
                task("d2", "r", "failed", "bytes", "2048", "2048", "b", "1 file failed"),
                task("f1", "d1", "done", "bytes", "1000", "1000", "a/x", ""),
                task("f2", "d2", "failed", "bytes", "2048", "2048", "b/y", "sha256 mismatch")));

        Cli.Result result = Cli.against(server, "tasks", "tree", "r", "--compact");

        assertThat(result.out()).isEqualTo(lines(
                "id     state   progress            entity    error",
                "r      running 81.1/256.0 MiB 31%  /srv/data",
                "  d1   running 488.3/976.6 KiB 50% a",
                "    f1 done    1000/1000 B 100%    a/x",
                "  d2   failed  2.0/2.0 KiB 100%    b         1 file failed",
                "    f2 failed  2.0/2.0 KiB 100%    b/y       sha256 mismatch"));
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void compactProgressKeepsTheServersNumbersForUnitsOtherThanBytes() {
        server.get("/task_manager/task_status_recursive/r", array(
                task("r", "none", "running", "ranges", "10", "2.5", "", ""),
                task("a", "r", "running", "", "0", "7", "", ""),
                task("b", "r", "created", "ranges", "0", "0", "", "")));

        assertThat(Cli.against(server, "tasks", "tree", "r", "--compact").out()).isEqualTo(lines(
                "id  state   progress          entity error",
                "r   running 2.5/10 ranges 25%",
                "  a running 7",
                "  b created"));
    }

    @Test
    void compactWithoutIdShowsEveryTreeOneAfterTheOther() {
        server.get("/task_manager/list_modules", "[\"m\"]")
                .get("/task_manager/list_module_tasks/m",
                        "[{\"task_id\": \"r1\"}, {\"task_id\": \"r2\"}]")
                .get("/task_manager/task_status_recursive/r1",
                        array(task("r1", "none", "done", "", "0", "0", "", ""),
                                task("c1", "r1", "done", "", "0", "0", "", "")))
                .get("/task_manager/task_status_recursive/r2",
                        array(task("r2", "none", "running", "", "0", "0", "", "")));

        assertThat(Cli.against(server, "tasks", "tree", "--compact").out()).isEqualTo(lines(
                "id   state   progress entity error",
                "r1   done",
                "  c1 done",
                "r2   running"));
    }

    @Test
    void compactToleratesMissingKeysOrphansAndCycles() {
        server.get("/task_manager/task_status_recursive/r", "[{\"id\": \"r\"}, "
                + "{\"id\": \"o\", \"parent_id\": \"elsewhere\", \"state\": \"done\"}, "
                + "{\"id\": \"x\", \"parent_id\": \"y\"}, {\"id\": \"y\", \"parent_id\": \"x\"}, "
                + "42]");

        assertThat(Cli.against(server, "tasks", "tree", "r", "--compact").out()).isEqualTo(lines(
                "id  state progress entity error",
                "r",
                "o   done",
                "",
                "x",
                "  y"));
    }

    @Test
    void compactEscapesControlCharacters() {
        server.get("/task_manager/task_status_recursive/r", array(
                task("r", "none", "failed", "", "0", "0", "a\\nb", "\\u001b[2J")));
        assertThat(Cli.against(server, "tasks", "tree", "r", "--compact").out()).isEqualTo(lines(
                "id state  progress entity error",
                "r  failed          a\\nb   \\x1b[2J"));
    }

    @Test
    void compactIsOnlyAnOptionOfTree() {
        Cli.Result result = Cli.against(server, "tasks", "status", "t1", "--compact");
        assertThat(result.err()).isEqualTo("error: unrecognised option '--compact'\n");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void aCompactTableEndsEachRowAfterItsLastNonEmptyCell() {
        Table table = new Table(List.of("a", "bb", "c"));
        table.add(List.of("xxx", "", ""));
        table.add(List.of("y", "z", "last"));
        assertThat(table.renderCompact()).isEqualTo("a   bb c\nxxx\ny   z  last\n");
    }
}
