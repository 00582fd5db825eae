package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands that change things: {@code abort}, {@code drain}, {@code ttl}, {@code user-ttl}. */
class AbortDrainTtlTest {

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static void assertSilentSuccess(Cli.Result result) {
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void abortPostsWithoutBodyAndPrintsNothing() {
        server.on("POST", "/task_manager/abort_task/t1", 200, "");

        assertSilentSuccess(Cli.against(server, "tasks", "abort", "t1"));

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo("POST /task_manager/abort_task/t1");
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void abortOfANonAbortableTaskSaysSoOnStdoutAndExitsZero() {
        server.on("POST", "/task_manager/abort_task/t1", 403,
                "{\"message\": \"task with id t1 cannot be aborted\", \"code\": 403}");

        Cli.Result result = Cli.against(server, "tasks", "abort", "t1");

        assertThat(result.out()).isEqualTo("Task with id t1 is not abortable\n");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void abortOfAnUnknownTaskFailsWithExitFour() {
        server.on("POST", "/task_manager/abort_task/t1", 400,
                "{\"message\": \"task with id t1 not found\", \"code\": 400}");

        Cli.Result result = Cli.against(server, "tasks", "abort", "t1");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing POST request to "
                + "/task_manager/abort_task/t1 with parameters {}: remote replied with status "
                + "code 400:\ntask with id t1 not found\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void drainWithAModuleDrainsOnlyThatModule() {
        server.on("POST", "/task_manager/drain/repair", 200, "");
        assertSilentSuccess(Cli.against(server, "tasks", "drain", "--module", "repair"));
        assertThat(server.requestLines()).containsExactly("POST /task_manager/drain/repair");
    }

    @Test
    void drainWithoutAModuleListsTheModulesAndDrainsEachInTurn() {
        server.get("/task_manager/list_modules", "[\"repair\", \"compaction\"]")
                .on("POST", "/task_manager/drain/repair", 200, "")
                .on("POST", "/task_manager/drain/compaction", 200, "");

        assertSilentSuccess(Cli.against(server, "tasks", "drain"));

        assertThat(server.requestLines()).containsExactly("GET /task_manager/list_modules",
                "POST /task_manager/drain/repair", "POST /task_manager/drain/compaction");
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.body()).isEmpty());
    }

    @Test
    void drainStopsAtTheFirstModuleThatFails() {
        server.get("/task_manager/list_modules", "[\"a\", \"b\"]")
                .on("POST", "/task_manager/drain/a", 400,
                        "{\"message\": \"module a not found\", \"code\": 400}");

        Cli.Result result = Cli.against(server, "tasks", "drain");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).endsWith(":\nmodule a not found\n");
        assertThat(server.requestLines()).containsExactly("GET /task_manager/list_modules",
                "POST /task_manager/drain/a");
    }

    @Test
    void ttlPrintsTheCurrentValue() {
        server.get("/task_manager/ttl", "0");
        Cli.Result result = Cli.against(server, "tasks", "ttl");
        assertThat(result.out()).isEqualTo("Current ttl: 0\n");
        assertThat(result.exitCode()).isZero();
        assertThat(server.requestLines()).containsExactly("GET /task_manager/ttl");
    }

    @Test
    void ttlSetPostsTheValueInTheQueryAndPrintsNothing() {
        server.on("POST", "/task_manager/ttl", 200, "0");

        assertSilentSuccess(Cli.against(server, "tasks", "ttl", "--set", "30"));

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo("POST /task_manager/ttl?ttl=30");
            assertThat(r.body()).isEmpty();
        });
    }

    @Test
    void userTtlPrintsTheCurrentValue() {
        server.get("/task_manager/user_ttl", "3600");
        Cli.Result result = Cli.against(server, "tasks", "user-ttl");
        assertThat(result.out()).isEqualTo("Current user ttl: 3600\n");
        assertThat(server.requestLines()).containsExactly("GET /task_manager/user_ttl");
    }

    @Test
    void userTtlSetPostsTheValueAsUserTtl() {
        server.on("POST", "/task_manager/user_ttl", 200, "3600");
        assertSilentSuccess(Cli.against(server, "tasks", "user-ttl", "--set=5"));
        assertThat(server.requestLines()).containsExactly("POST /task_manager/user_ttl?user_ttl=5");
    }

    @Test
    void ttlSetReportsARefusalWithTheParametersSent() {
        server.on("POST", "/task_manager/ttl", 400,
                "{\"message\": \"ttl out of range: 99999999999\", \"code\": 400}");

        Cli.Result result = Cli.against(server, "tasks", "ttl", "--set", "4294967295");

        assertThat(result.err()).isEqualTo("error executing POST request to /task_manager/ttl "
                + "with parameters {\"ttl\": \"4294967295\"}: remote replied with status code "
                + "400:\nttl out of range: 99999999999\n");
        assertThat(result.exitCode()).isEqualTo(4);
    }

    @Test
    void everyTwoHundredStatusIsASuccess() {
        server.on("POST", "/task_manager/abort_task/t1", 204, "")
                .on("POST", "/task_manager/ttl", 202, "");
        assertSilentSuccess(Cli.against(server, "tasks", "abort", "t1"));
        assertSilentSuccess(Cli.against(server, "tasks", "ttl", "--set", "1"));
    }
}
