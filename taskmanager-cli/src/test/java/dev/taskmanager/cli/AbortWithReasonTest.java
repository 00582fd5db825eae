package dev.taskmanager.cli;

import static dev.taskmanager.cli.V2Fixtures.problem;
import static dev.taskmanager.cli.V2Fixtures.quote;
import static dev.taskmanager.cli.V2Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tasks abort ID --reason TEXT}: {@code POST /v2/tasks/{id}:abort} with the reason and a
 * request id, and what each v2 answer prints and exits with. Without {@code --reason} the compat
 * request is unchanged ({@link AbortDrainTtlTest}).
 */
class AbortWithReasonTest {

    private static final String PATH = "/v2/tasks/t1:abort";
    private static final String REQUEST_ID = "cli-[A-Za-z0-9._-]{1,64}@[A-Za-z0-9._-]{1,64}-[0-9a-f]{8}";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theReasonIsPostedAsJsonWithARequestIdNamingWhoAsks() {
        server.on("POST", PATH, 200, task("t1", "abort_requested", "true"));

        Cli.Result result = Cli.against(server, "tasks", "abort", "t1", "--reason",
                "wrong directory");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo("POST " + PATH);
            assertThat(r.body()).isEqualTo("{\"reason\":\"wrong directory\"}");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("Content-Length")).isEqualTo("28");
            assertThat(r.header("X-Request-Id")).matches(REQUEST_ID)
                    .startsWith("cli-" + Requester.clean(System.getProperty("user.name")) + "@");
        });
    }

    @Test
    void everyRequestGetsARequestIdOfItsOwn() {
        server.on("POST", PATH, 200, task("t1"));
        Cli.against(server, "tasks", "abort", "t1", "--reason", "x");
        Cli.against(server, "tasks", "abort", "t1", "--reason", "x");
        assertThat(server.requests()).extracting(r -> r.header("X-Request-Id"))
                .doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void aReasonWithQuotesControlsAndUnicodeReachesTheServerExactly() {
        server.on("POST", PATH, 200, task("t1"));
        String reason = "say \"no\"\\\n\tto\u001b[2J é 🚀";

        assertThat(Cli.against(server, "tasks", "abort", "t1", "--reason=" + reason).exitCode())
                .isZero();

        Json body = JsonReader.parse(server.requests().get(0).body());
        assertThat(body).isEqualTo(new Json.Obj(List.of(
                new Json.Member("reason", new Json.Str(reason)))));
    }

    @Test
    void theIdIsPercentEncodedInThePath() {
        server.on("POST", "/v2/tasks/a%2Fb%20c:abort", 200, task("a/b c"));
        assertThat(Cli.against(server, "tasks", "abort", "a/b c", "--reason", "r").exitCode())
                .isZero();
        assertThat(server.requestLines()).containsExactly("POST /v2/tasks/a%2Fb%20c:abort");
    }

    @Test
    void asJsonTheAnsweredTaskIsPrintedAsSent() {
        String answer = task("t1", "abort_requested", "true", "abort", "{\"reason\": \"r\", "
                + "\"requested_by\": \"cli-me@here-0000abcd\", \"requested_at\": \"x\"}");
        server.on("POST", PATH, 200, answer);

        Cli.Result result = Cli.against(server, "tasks", "abort", "t1", "--reason", "r",
                "--output", "json");

        assertThat(result.out()).isEqualTo(JsonReader.parse(answer).toJsonText() + "\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aTaskThatIsNotAbortableGetsTheCompatMessageAndExitZero() {
        server.on("POST", PATH, 403, problem("not-abortable", 403,
                "task with id t1 cannot be aborted", null));

        Cli.Result text = Cli.against(server, "tasks", "abort", "t1", "--reason", "r");
        Cli.Result json = Cli.against(server, "tasks", "abort", "t1", "--reason", "r",
                "--output", "json");

        assertThat(text.out()).isEqualTo("Task with id t1 is not abortable\n");
        assertThat(text.err()).isEmpty();
        assertThat(text.exitCode()).isZero();
        assertThat(json.out()).isEqualTo("{\"id\":\"t1\",\"abort_requested\":false,"
                + "\"error\":\"task with id t1 cannot be aborted\"}\n");
        assertThat(json.exitCode()).isZero();
    }

    @Test
    void aTaskThatAlreadyFinishedIsSaidSoWithItsStateAndExitsZero() {
        String ended = task("t1", "state", quote("done"), "end_time", quote("x"));
        server.on("POST", PATH, 409, problem("task-finished", 409,
                "task with id t1 already finished (done); there is nothing to abort",
                "\"task\": " + ended));

        Cli.Result text = Cli.against(server, "tasks", "abort", "t1", "--reason", "r");
        Cli.Result json = Cli.against(server, "tasks", "abort", "t1", "--reason", "r",
                "--output", "json");

        assertThat(text.out()).isEqualTo("Task with id t1 already finished (done); nothing to "
                + "abort\n");
        assertThat(text.err()).isEmpty();
        assertThat(text.exitCode()).isZero();
        assertThat(json.out()).isEqualTo("{\"id\":\"t1\",\"abort_requested\":false,"
                + "\"already_finished\":true,\"task\":" + JsonReader.parse(ended).toJsonText()
                + "}\n");
        assertThat(json.exitCode()).isZero();
    }

    @Test
    void anUnknownTaskIsAFailedRequestWithExitFour() {
        server.on("POST", PATH, 404, problem("task-not-found", 404, "task with id t1 not found",
                "\"parameter\": \"task_id\", \"value\": \"t1\""));

        Cli.Result result = Cli.against(server, "tasks", "abort", "t1", "--reason", "r",
                "--output", "json");

        assertThat(result.out()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("error executing POST request to " + PATH
                + " with parameters {}: remote replied with status code 404:\n"
                + "task with id t1 not found\n");
    }

    @Test
    void aRefusedReasonIsAFailedRequestNamingIt() {
        server.on("POST", PATH, 400, problem("invalid-parameter", 400,
                "invalid value 'xxx...' for field 'reason': longer than 1000 characters", null));
        Cli.Result result = Cli.against(server, "tasks", "abort", "t1", "--reason", "x");
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).endsWith(":\ninvalid value 'xxx...' for field 'reason': longer "
                + "than 1000 characters\n");
    }

    @Test
    void withoutAReasonTheCompatRouteIsUsedWithoutBodyOrRequestId() {
        server.on("POST", "/task_manager/abort_task/t1", 200, "");

        assertThat(Cli.against(server, "tasks", "abort", "t1").exitCode()).isZero();

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo("POST /task_manager/abort_task/t1");
            assertThat(r.body()).isEmpty();
            assertThat(r.header("X-Request-Id")).isNull();
        });
    }

    @Test
    void theTokenIsSentWithTheAbort() {
        server.on("POST", PATH, 200, task("t1"));
        Cli.against(server, Map.of(BearerToken.VARIABLE, "s3cret"), "tasks", "abort", "t1",
                "--reason", "r");
        assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer s3cret");
    }

    @Test
    void requesterPartsKeepOnlyCharactersAHeaderCanCarry() {
        assertThat(Requester.clean("al ice\u001b\u00e9/x")).isEqualTo("al_ice___x");
        assertThat(Requester.clean("")).isEqualTo("unknown");
        assertThat(Requester.clean("a".repeat(100))).hasSize(64);
        assertThat(Requester.requestId()).matches(REQUEST_ID);
    }
}
