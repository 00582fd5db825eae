package dev.taskmanager.cli;

import static dev.taskmanager.cli.Cli.lines;
import static dev.taskmanager.cli.Cli.row;
import static dev.taskmanager.cli.Fixtures.ENDED;
import static dev.taskmanager.cli.Fixtures.STARTED;
import static dev.taskmanager.cli.Fixtures.UNSET;
import static dev.taskmanager.cli.Fixtures.array;
import static dev.taskmanager.cli.Fixtures.child;
import static dev.taskmanager.cli.Fixtures.runningStatus;
import static dev.taskmanager.cli.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tasks status} (§14.4) and {@code tasks tree} (§14.1, §14.3). */
class StatusAndTreeTest {

    private static final String TREE_HEADER = "id type kind scope state is_abortable start_time "
            + "end_time error parent_id sequence_number shard keyspace table entity "
            + "progress_units total completed children_ids\n";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void statusPrintsOneLinePerFieldInServerOrderWithUnsetTimesEmpty() {
        server.get("/task_manager/task_status/p1", status("p1", "running", true, STARTED, UNSET,
                "", "none", "10", "2.5", array(child("c1"), child("c2"))));

        Cli.Result result = Cli.against(server, "tasks", "status", "p1");

        assertThat(result.out()).isEqualTo(lines(
                "id: p1",
                "type: repair",
                "kind: node",
                "scope: keyspace",
                "state: running",
                "is_abortable: true",
                "start_time: " + STARTED,
                "end_time: ",
                "error: ",
                "parent_id: none",
                "sequence_number: 7",
                "shard: 0",
                "keyspace: ks",
                "table: ",
                "entity: ",
                "progress_units: ranges",
                "progress_total: 10",
                "progress_completed: 2.5",
                "children_ids: [{task_id: c1, node: 127.0.0.1 }, {task_id: c2, node: 127.0.0.1 }]"));
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo("GET /task_manager/task_status/p1");
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void statusPrintsNoChildrenAsEmptyBrackets() {
        server.get("/task_manager/task_status/p1", runningStatus("p1"));
        assertThat(Cli.against(server, "tasks", "status", "p1").out())
                .endsWith("\nchildren_ids: []\n");
    }

    @Test
    void statusSendsTheIdExactlyAsTypedPercentEncoded() {
        Cli.against(server, "tasks", "status", "not a/uuid?");
        assertThat(server.requestLines())
                .containsExactly("GET /task_manager/task_status/not%20a%2Fuuid%3F");
    }

    @Test
    void statusTakesAnIdStartingWithADashAfterTheEndOfOptions() {
        server.get("/task_manager/task_status/-odd", runningStatus("-odd"));
        Cli.Result result = Cli.run(Cli.concat(server.address(),
                new String[] {"tasks", "status", "--", "-odd"}));
        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /task_manager/task_status/-odd");
    }

    @Test
    void statusAcceptsTheIdAsANamedOption() {
        server.get("/task_manager/task_status/p1", runningStatus("p1"));
        assertThat(Cli.against(server, "tasks", "status", "--id", "p1").exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /task_manager/task_status/p1");
    }

    @Test
    void treeWithAnIdPrintsTheRecursiveStatusAsOneRowPerTask() {
        server.get("/task_manager/task_status_recursive/p1", array(
                status("p1", "running", true, STARTED, UNSET, "", "none", "10", "2.5",
                        array(child("c1"))),
                status("c1", "failed", false, STARTED, ENDED, "boom", "p1", "4", "4", "[]")));

        Cli.Result result = Cli.against(server, "tasks", "tree", "p1");

        assertThat(result.out()).isEqualTo(lines(
                row("id", 2, "type", 6, "kind", 4, "scope", 8, "state", 7, "is_abortable", 12,
                        "start_time", 20, "end_time", 20, "error", 5, "parent_id", 9,
                        "sequence_number", 15, "shard", 5, "keyspace", 8, "table", 5,
                        "entity", 6, "progress_units", 14, "total", 5, "completed", 9,
                        "children_ids", 33),
                row("p1", 2, "repair", 6, "node", 4, "keyspace", 8, "running", 7, "true", 12,
                        STARTED, 20, "", 20, "", 5, "none", 9, "7", 15, "0", 5, "ks", 8, "", 5,
                        "", 6, "ranges", 14, "10", 5, "2.5", 9,
                        "[{task_id: c1, node: 127.0.0.1 }]", 33),
                row("c1", 2, "repair", 6, "node", 4, "keyspace", 8, "failed", 7, "false", 12,
                        STARTED, 20, ENDED, 20, "boom", 5, "p1", 9, "7", 15, "0", 5, "ks", 8,
                        "", 5, "", 6, "ranges", 14, "4", 5, "4", 9, "[]", 33)));
        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines())
                .containsExactly("GET /task_manager/task_status_recursive/p1");
    }

    @Test
    void treeWithAnEmptyAnswerPrintsJustTheHeader() {
        server.get("/task_manager/task_status_recursive/p1", "[]");
        assertThat(Cli.against(server, "tasks", "tree", "p1").out()).isEqualTo(TREE_HEADER);
    }

    @Test
    void treeWithoutIdWalksEveryModuleAndSkipsTasksThatAnswer400() {
        server.get("/task_manager/list_modules", "[\"repair\", \"compaction\"]")
                .get("/task_manager/list_module_tasks/repair",
                        "[{\"task_id\": \"r1\"}, {\"task_id\": \"gone\"}]")
                .get("/task_manager/task_status_recursive/r1",
                        array(runningStatus("r1"), runningStatus("r1c")))
                .on("GET", "/task_manager/task_status_recursive/gone", 400,
                        "{\"message\": \"task with id gone not found\", \"code\": 400}")
                .get("/task_manager/list_module_tasks/compaction", "[{\"task_id\": \"c1\"}]")
                .get("/task_manager/task_status_recursive/c1", array(runningStatus("c1")));

        Cli.Result result = Cli.against(server, "tasks", "tree");

        assertThat(server.requestLines()).containsExactly(
                "GET /task_manager/list_modules",
                "GET /task_manager/list_module_tasks/repair",
                "GET /task_manager/task_status_recursive/r1",
                "GET /task_manager/task_status_recursive/gone",
                "GET /task_manager/list_module_tasks/compaction",
                "GET /task_manager/task_status_recursive/c1");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0] + "\n").startsWith("id  type");
        assertThat(lines).extracting(line -> line.substring(0, 4))
                .containsExactly("id  ", "r1  ", "r1c ", "c1  ");
    }

    @Test
    void treeWithoutIdAndWithoutModulesPrintsJustTheHeader() {
        server.get("/task_manager/list_modules", "[]");
        Cli.Result result = Cli.against(server, "tasks", "tree");
        assertThat(result.out()).isEqualTo(TREE_HEADER);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void treeWithoutIdFailsOnAnErrorOtherThan400AndPrintsNoTable() {
        server.get("/task_manager/list_modules", "[\"repair\"]")
                .get("/task_manager/list_module_tasks/repair", "[{\"task_id\": \"r1\"}]")
                .on("GET", "/task_manager/task_status_recursive/r1", 500,
                        "{\"message\": \"java.lang.IllegalStateException (oops)\", \"code\": 500}");

        Cli.Result result = Cli.against(server, "tasks", "tree");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing GET request to "
                + "/task_manager/task_status_recursive/r1 with parameters {}: remote replied "
                + "with status code 500:\njava.lang.IllegalStateException (oops)\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void treeWithoutIdFailsWhenAModuleCannotBeListed() {
        server.get("/task_manager/list_modules", "[\"repair\"]")
                .on("GET", "/task_manager/list_module_tasks/repair", 400,
                        "{\"message\": \"module repair not found\", \"code\": 400}");
        Cli.Result result = Cli.against(server, "tasks", "tree");
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void treeWithAnUnknownIdFailsWith400() {
        server.on("GET", "/task_manager/task_status_recursive/nope", 400,
                "{\"message\": \"task with id nope not found\", \"code\": 400}");
        Cli.Result result = Cli.against(server, "tasks", "tree", "nope");
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).endsWith("status code 400:\ntask with id nope not found\n");
        assertThat(result.out()).isEmpty();
    }
}
