package dev.taskmanager.cli;

import static dev.taskmanager.cli.V2Fixtures.ENDED;
import static dev.taskmanager.cli.V2Fixtures.page;
import static dev.taskmanager.cli.V2Fixtures.progress;
import static dev.taskmanager.cli.V2Fixtures.quote;
import static dev.taskmanager.cli.V2Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tasks list MODULE --wide}: the module's tasks by sequence number, every page, with a
 * progress column, through {@code GET /v2/tasks}; the compat {@code list} is untouched
 * ({@link ModulesAndListTest}).
 */
class ListWideTest {

    private static final String FIRST = "GET /v2/tasks?module=repair&order_by=sequence_number"
            + "&page_size=1000";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void wideListsEveryPageBySequenceNumberWithProgress() {
        server.get("/v2/tasks", page("P2", 3,
                task("t1", "module", quote("repair"), "type", quote("repair"), "keyspace",
                        quote("ks"), "sequence_number", "1", "progress",
                        progress("ranges", "5", "10", "null", "null")),
                task("t2", "module", quote("repair"), "type", quote("repair"), "state",
                        quote("aborted"), "sequence_number", "2", "end_time", quote(ENDED))))
                .get("/v2/tasks", page("", 3, task("t3", "module", quote("repair"), "type",
                        quote("repair"), "sequence_number", "3", "shard", "1")));

        Cli.Result result = Cli.against(server, "tasks", "list", "repair", "--wide");

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly(FIRST, FIRST + "&page_token=P2");
        assertThat(result.out()).isEqualTo(Cli.lines(
                "task_id type   kind scope     state   progress        sequence_number keyspace "
                        + "table entity    shard start_time           end_time",
                "t1      repair node directory running 5/10 ranges 50% 1               ks       "
                        + "      /srv/data 0     2026-11-30T00:15:12Z",
                "t2      repair node directory aborted                 2                        "
                        + "      /srv/data 0     2026-11-30T00:15:12Z 2026-11-30T00:15:33Z",
                "t3      repair node directory running                 3                        "
                        + "      /srv/data 1     2026-11-30T00:15:12Z"));
    }

    @Test
    void theCompatFiltersBecomeV2Filters() {
        server.get("/v2/tasks", page("", 0));
        assertThat(Cli.against(server, "tasks", "list", "repair", "--wide", "--internal",
                "-ks", "ks 1", "--table=t").exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /v2/tasks?module=repair"
                + "&keyspace=ks%201&table=t&internal=true&order_by=sequence_number&page_size=1000");
    }

    @Test
    void iterationsListAgainEveryIntervalWithTwoBlankLinesBetween() {
        server.get("/v2/tasks", page("", 1, task("t1")));
        Cli.RecordingSleeper sleeper = new Cli.RecordingSleeper();

        Cli.Result result = Cli.against(server, sleeper, "tasks", "list", "repair", "--wide",
                "-i", "2", "--interval", "3");

        assertThat(result.exitCode()).isZero();
        assertThat(sleeper.pauses).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        String one = result.out().substring(0, result.out().indexOf("\n\n\n") + 1);
        assertThat(result.out()).isEqualTo(one + "\n\n" + one + "\n\n" + one);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void asJsonItIsOneDocumentOfEveryTaskPerListing() {
        server.get("/v2/tasks", page("P2", 2, task("t1"))).get("/v2/tasks", page("", 2,
                task("t2")));

        Cli.Result result = Cli.against(server, "tasks", "list", "repair", "--wide", "--output",
                "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("{\"tasks\":[" + JsonReader.parse(task("t1"))
                .toJsonText() + "," + JsonReader.parse(task("t2")).toJsonText()
                + "],\"next_page_token\":\"\",\"total_size\":2}\n");
    }

    @Test
    void anUnknownModuleIsAnEmptyTableAsTheV2ListMatchesNothing() {
        server.get("/v2/tasks", page("", 0));
        Cli.Result result = Cli.against(server, "tasks", "list", "nope", "--wide");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).hasLineCount(1).startsWith("task_id type kind scope state");
    }
}
