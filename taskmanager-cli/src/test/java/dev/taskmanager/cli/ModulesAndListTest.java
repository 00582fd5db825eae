package dev.taskmanager.cli;

import static dev.taskmanager.cli.Cli.lines;
import static dev.taskmanager.cli.Cli.row;
import static dev.taskmanager.cli.Fixtures.ENDED;
import static dev.taskmanager.cli.Fixtures.STARTED;
import static dev.taskmanager.cli.Fixtures.UNSET;
import static dev.taskmanager.cli.Fixtures.array;
import static dev.taskmanager.cli.Fixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tasks modules} and {@code tasks list} (SPEC §14.1, §14.3). */
class ModulesAndListTest {

    private static final String HEADER = "task_id type kind scope state sequence_number keyspace "
            + "table entity shard start_time end_time\n";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void modulesPrintsOneNamePerLine() {
        server.get("/task_manager/list_modules", "[\"repair\", \"compaction\"]");

        Cli.Result result = Cli.against(server, "tasks", "modules");

        assertThat(result.out()).isEqualTo("repair\ncompaction\n");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /task_manager/list_modules");
    }

    @Test
    void modulesPrintsNothingWhenThereAreNone() {
        server.get("/task_manager/list_modules", "[]");
        Cli.Result result = Cli.against(server, "tasks", "modules");
        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void listPrintsATableWithColumnsAsWideAsTheirWidestCellAndUnsetTimesEmpty() {
        server.get("/task_manager/list_module_tasks/repair", array(
                stats("t1", "repair", "keyspace", "running", 4, "ks", "", "", 0, STARTED, UNSET),
                stats("task-2", "compaction", "table", "done", 12, "ks", "tbl", "e", 1, STARTED,
                        ENDED)));

        Cli.Result result = Cli.against(server, "tasks", "list", "repair");

        assertThat(result.out()).isEqualTo(lines(
                row("task_id", 7, "type", 10, "kind", 4, "scope", 8, "state", 7,
                        "sequence_number", 15, "keyspace", 8, "table", 5, "entity", 6, "shard", 5,
                        "start_time", 20, "end_time", 20),
                row("t1", 7, "repair", 10, "node", 4, "keyspace", 8, "running", 7, "4", 15,
                        "ks", 8, "", 5, "", 6, "0", 5, STARTED, 20, "", 20),
                row("task-2", 7, "compaction", 10, "node", 4, "table", 8, "done", 7, "12", 15,
                        "ks", 8, "tbl", 5, "e", 6, "1", 5, STARTED, 20, ENDED, 20)));
        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /task_manager/list_module_tasks/repair");
    }

    @Test
    void listPadsTheLastColumnToo() {
        server.get("/task_manager/list_module_tasks/repair", array(
                stats("t1", "repair", "node", "done", 1, "", "", "", 0, STARTED, ENDED),
                stats("t2", "repair", "node", "running", 2, "", "", "", 0, STARTED, UNSET)));

        String[] lines = Cli.against(server, "tasks", "list", "repair").out().split("\n");

        assertThat(lines[0]).endsWith("end_time            ");
        assertThat(lines[2]).endsWith(STARTED + " " + " ".repeat(20));
        assertThat(lines).allSatisfy(line -> assertThat(line).hasSize(lines[0].length()));
    }

    @Test
    void listOfAnEmptyModulePrintsJustTheHeader() {
        server.get("/task_manager/list_module_tasks/repair", "[]");
        Cli.Result result = Cli.against(server, "tasks", "list", "repair");
        assertThat(result.out()).isEqualTo(HEADER);
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void listSendsNoParametersByDefault() {
        server.get("/task_manager/list_module_tasks/repair", "[]");
        Cli.against(server, "tasks", "list", "repair");
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.query()).isNull();
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void listSendsKeyspaceTableAndInternalOnlyWhenGiven() {
        server.get("/task_manager/list_module_tasks/repair", "[]");

        Cli.against(server, "tasks", "list", "--internal", "repair", "--keyspace", "ks",
                "--table", "tb");
        Cli.against(server, "tasks", "list", "repair", "-ks", "ks2");
        Cli.against(server, "tasks", "list", "repair", "-t", "tb2");
        Cli.against(server, "tasks", "list", "repair", "--internal");

        assertThat(server.requestLines()).containsExactly(
                "GET /task_manager/list_module_tasks/repair?keyspace=ks&table=tb&internal=true",
                "GET /task_manager/list_module_tasks/repair?keyspace=ks2",
                "GET /task_manager/list_module_tasks/repair?table=tb2",
                "GET /task_manager/list_module_tasks/repair?internal=true");
    }

    @Test
    void listSendsAnEmptyFilterWhenGivenAnEmptyValue() {
        server.get("/task_manager/list_module_tasks/repair", "[]");
        Cli.against(server, "tasks", "list", "repair", "--keyspace=");
        assertThat(server.requestLines())
                .containsExactly("GET /task_manager/list_module_tasks/repair?keyspace=");
    }

    @Test
    void listPercentEncodesTheModuleAndTheFilterValues() {
        server.get("/task_manager/list_module_tasks/my%20module", "[]");

        Cli.Result result = Cli.against(server, "tasks", "list", "my module", "-ks", "a b&c=d",
                "-t", "é/?");

        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /task_manager/list_module_tasks/"
                + "my%20module?keyspace=a%20b%26c%3Dd&table=%C3%A9%2F%3F");
    }

    @Test
    void listAcceptsTheModuleAsANamedOption() {
        server.get("/task_manager/list_module_tasks/repair", "[]");
        assertThat(Cli.against(server, "tasks", "list", "--module", "repair").exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /task_manager/list_module_tasks/repair");
    }

    @Test
    void listWithIterationsListsAgainAfterEachPauseSeparatedByTwoBlankLines() {
        String one = array(stats("t1", "repair", "node", "running", 1, "", "", "", 0, STARTED,
                UNSET));
        server.get("/task_manager/list_module_tasks/repair", "[]")
                .get("/task_manager/list_module_tasks/repair", one)
                .get("/task_manager/list_module_tasks/repair", "[]");
        Cli.RecordingSleeper sleeper = new Cli.RecordingSleeper();

        Cli.Result result = Cli.against(server, sleeper, "tasks", "list", "repair",
                "--iterations", "2", "--interval", "3");

        String table = lines(
                row("task_id", 7, "type", 6, "kind", 4, "scope", 5, "state", 7,
                        "sequence_number", 15, "keyspace", 8, "table", 5, "entity", 6, "shard", 5,
                        "start_time", 20, "end_time", 8),
                row("t1", 7, "repair", 6, "node", 4, "node", 5, "running", 7, "1", 15, "", 8,
                        "", 5, "", 6, "0", 5, STARTED, 20, "", 8));
        assertThat(result.out()).isEqualTo(HEADER + "\n\n" + table + "\n\n" + HEADER);
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).hasSize(3);
        assertThat(sleeper.pauses).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    @Test
    void listIterationsPauseTenSecondsByDefaultAndRepeatTheFilters() {
        server.get("/task_manager/list_module_tasks/repair", "[]");
        Cli.RecordingSleeper sleeper = new Cli.RecordingSleeper();

        Cli.Result result = Cli.against(server, sleeper, "tasks", "list", "repair", "-i", "1",
                "-ks", "ks");

        assertThat(result.out()).isEqualTo(HEADER + "\n\n" + HEADER);
        assertThat(sleeper.pauses).containsExactly(Duration.ofSeconds(10));
        assertThat(server.requestLines()).containsExactly(
                "GET /task_manager/list_module_tasks/repair?keyspace=ks",
                "GET /task_manager/list_module_tasks/repair?keyspace=ks");
    }

    @Test
    void listWithAnIntervalButNoIterationsListsOnceWithoutPausing() {
        server.get("/task_manager/list_module_tasks/repair", "[]");
        Cli.Result result = Cli.against(server, "tasks", "list", "repair", "--interval", "1");
        assertThat(result.out()).isEqualTo(HEADER);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void listStopsAtTheFirstFailedIterationKeepingWhatItPrinted() {
        server.get("/task_manager/list_module_tasks/repair", "[]")
                .on("GET", "/task_manager/list_module_tasks/repair", 400,
                        "{\"message\": \"module repair not found\", \"code\": 400}");

        Cli.Result result = Cli.against(server, new Cli.RecordingSleeper(), "tasks", "list",
                "repair", "-i", "5");

        assertThat(result.out()).isEqualTo(HEADER + "\n\n");
        assertThat(result.err()).endsWith("module repair not found\n");
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(server.requests()).hasSize(2);
    }
}
