package dev.taskmanager.server;

import static dev.taskmanager.server.Problem.assertInvalid;
import static dev.taskmanager.server.Problem.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TrackedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/tasks/{id}:wait} and {@code POST /v2/tasks:wait}: held without a thread, released by
 * completion (all or any), a timeout (408 with the tasks as they are), a disconnect or shutdown.
 */
class V2WaitTest extends ApiTestBase {

    @Test
    void aWaitIsHeldUntilTheTaskEndsThenAnswersItAsItEnded() throws Exception {
        String id = client.createTestTask("");
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("GET", "/v2/tasks/" + id + ":wait?timeout=10m");
        Await.until("the server holds the wait", () -> f.server.pendingWaits() == 1);
        assertThat(wait).isNotDone();
        client.fail(id, "broken");
        ApiClient.Answer answer = wait.get();
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("state").asText()).isEqualTo("failed");
        assertThat(answer.json().get("error").asText()).contains("broken");
        assertThat(f.server.pendingWaits()).isZero();
    }

    @Test
    void aTimeoutIsA408CarryingTheTaskAsItIsNow() {
        String id = client.createTestTask("");
        client.post("/task_manager_test/test_task_progress/" + id + "?completed=3&total=4");
        JsonNode problem = assertProblem(client.get("/v2/tasks/" + id + ":wait?timeout=20ms"), 408, "wait-timeout",
                "did not finish within 0.02s");
        assertThat(problem.get("task").get("state").asText()).isEqualTo("running");
        assertThat(problem.get("task").get("progress").get("completed").asDouble()).isEqualTo(3);
        JsonNode now = assertProblem(client.get("/v2/tasks/" + id + ":wait?timeout=0"), 408, "wait-timeout", "");
        assertThat(now.get("task").get("id").asText()).isEqualTo(id);
        assertThat(f.server.pendingWaits()).isZero();
        assertThat(f.server.api().waiters().waiterCount(UUID.fromString(id))).isZero();
    }

    @Test
    void anEndedTaskIsAnsweredAtOnce() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("");
        client.finish(id);
        ApiClient.Answer answer = client.get("/v2/tasks/" + id + ":wait?timeout=0");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("state").asText()).isEqualTo("done");
    }

    @Test
    void aBadTimeoutOrAnUnknownTaskIsRefused() {
        String id = client.createTestTask("");
        assertInvalid(client.get("/v2/tasks/" + id + ":wait?timeout=soon"), "timeout", "soon");
        assertInvalid(client.get("/v2/tasks/" + id + ":wait?timeout=-1s"), "timeout", "-1s");
        assertInvalid(client.get("/v2/tasks/" + id + ":wait?timeout=0.5ns"), "timeout", "0.5ns");
        assertInvalid(client.get("/v2/tasks/" + id + ":wait?timeout=9999999999h"), "timeout", "9999999999h");
        assertProblem(client.get("/v2/tasks/7c9e6679-7425-40de-944b-e07fc1f90ae7:wait"), 404, "task-not-found", "");
    }

    @Test
    void waitingForAllAnswersOnceEveryTaskEndedInTheOrderAsked() throws Exception {
        client.post("/task_manager/ttl?ttl=60");
        String a = client.createTestTask("");
        String b = client.createTestTask("");
        String c = client.createTestTask("");
        client.finish(b);
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("POST", "/v2/tasks:wait",
                "{\"ids\": [\"" + c + "\", \"" + a + "\", \"" + b + "\", \"" + c + "\"], \"mode\": \"all\"}");
        Await.until("the server holds the wait", () -> f.server.pendingWaits() == 1);
        client.finish(a);
        assertThat(f.server.pendingWaits()).isEqualTo(1);
        client.fail(c, "no");
        ApiClient.Answer answer = wait.get();
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(ids(answer.json().get("tasks"))).containsExactly(c, a, b);
        assertThat(states(answer.json().get("tasks"))).containsExactly("failed", "done", "done");
    }

    @Test
    void waitingForAnyAnswersWhenTheFirstEndsWithTheOthersAsTheyAre() throws Exception {
        String a = client.createTestTask("");
        String b = client.createTestTask("");
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("POST", "/v2/tasks:wait",
                "{\"ids\": [\"" + a + "\", \"" + b + "\"], \"mode\": \"any\", \"timeout\": \"10m\"}");
        Await.until("the server holds the wait", () -> f.server.pendingWaits() == 1);
        client.post("/task_manager/ttl?ttl=60");
        client.finish(b);
        ApiClient.Answer answer = wait.get();
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(states(answer.json().get("tasks"))).containsExactly("running", "done");
        assertThat(f.server.api().waiters().waiterCount(UUID.fromString(a))).as("left a's waits").isZero();
    }

    @Test
    void aTimeoutOfManyIsA408CarryingEveryTask() {
        client.post("/task_manager/ttl?ttl=60");
        String a = client.createTestTask("");
        String b = client.createTestTask("");
        client.finish(a);
        JsonNode problem = assertProblem(client.send("POST", "/v2/tasks:wait",
                "{\"ids\": [\"" + a + "\", \"" + b + "\"], \"timeout\": 0.01}"), 408, "wait-timeout", "not all of the 2");
        assertThat(states(problem.get("tasks"))).containsExactly("done", "running");
    }

    @Test
    void aWaitRequestThatIsWrongIsA400NamingTheField() {
        String a = client.createTestTask("");
        assertProblem(client.send("POST", "/v2/tasks:wait", "{}"), 400, "invalid-parameter", "field 'ids' is required");
        assertProblem(client.send("POST", "/v2/tasks:wait", ""), 400, "invalid-parameter", "field 'ids' is required");
        assertProblem(client.send("POST", "/v2/tasks:wait", "{\"ids\": []}"), 400, "invalid-parameter", "at least one");
        assertInvalid(client.send("POST", "/v2/tasks:wait", "{\"ids\": [\"" + a + "\", \"nope\"]}"), "ids[1]", "nope");
        assertInvalid(client.send("POST", "/v2/tasks:wait", "{\"ids\": [\"" + a + "\"], \"mode\": \"some\"}"), "mode",
                "some");
        assertInvalid(client.send("POST", "/v2/tasks:wait", "{\"ids\": [\"" + a + "\"], \"timeout\": \"1y\"}"),
                "timeout", "1y");
        assertInvalid(client.send("POST", "/v2/tasks:wait", "{\"ids\": \"" + a + "\"}"), "ids", a);
        assertInvalid(client.send("POST", "/v2/tasks:wait", "{\"ids\": [7]}"), "ids[0]", "7");
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "\"" + UUID.randomUUID() + "\"")
                .collect(Collectors.joining(",", "{\"ids\": [", "]}"));
        assertProblem(client.send("POST", "/v2/tasks:wait", tooMany), 400, "invalid-parameter", "more than 1000");
        JsonNode unknown = assertProblem(client.send("POST", "/v2/tasks:wait",
                "{\"ids\": [\"" + a + "\", \"7c9e6679-7425-40de-944b-e07fc1f90ae7\"]}"), 404, "task-not-found", "");
        assertThat(unknown.get("parameter").asText()).isEqualTo("ids[1]");
        assertThat(f.server.pendingWaits()).isZero();
    }

    @Test
    void aThousandTasksCanBeAwaitedInOneRequest() throws Exception {
        List<TrackedTask> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TrackedTask task = f.tm.module("test").task("bulk").track();
            task.start();
            tasks.add(task);
        }
        String body = tasks.stream().map(t -> "\"" + t.id() + "\"").collect(Collectors.joining(",", "{\"ids\": [", "]}"));
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("POST", "/v2/tasks:wait", body);
        Await.until("the wait joined every task", () -> f.server.api().waiters().waitedTaskCount() == 1000);
        assertThat(f.server.pendingWaits()).isOne();
        tasks.forEach(TrackedTask::complete);
        ApiClient.Answer answer = wait.get();
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("tasks").size()).isEqualTo(1000);
        assertThat(f.server.api().waiters().waitedTaskCount()).isZero();
    }

    @Test
    void manyWaitsHoldNoThreadEach() throws Exception {
        String id = client.createTestTask("");
        long threadsBefore = serverSideThreads();
        List<CompletableFuture<ApiClient.Answer>> waits = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            waits.add(i % 2 == 0 ? client.sendAsync("GET", "/v2/tasks/" + id + ":wait")
                    : client.sendAsync("POST", "/v2/tasks:wait", "{\"ids\": [\"" + id + "\"]}"));
        }
        Await.until("all waits are held", () -> f.server.pendingWaits() == 300);
        // a thread per wait would need 300; the pool has at most 200, so all 300 pending already shows none is held
        assertThat(serverSideThreads() - threadsBefore).as("threads added for 300 waits").isLessThan(150);
        assertThat(f.server.api().waiters().attachmentCount()).isOne();
        client.finish(id);
        for (CompletableFuture<ApiClient.Answer> wait : waits) {
            assertThat(wait.get().status()).isEqualTo(200);
        }
    }

    @Test
    void aWaitOfManyWhoseClientLeftIsDroppedAfterItsBodyWasRead() throws Exception {
        try (ServerFixture fast = new ServerFixture(b -> b, s -> s.idleTimeout(Duration.ofMillis(200)))) {
            fast.withTestModule();
            String id = fast.client.createTestTask("");
            String body = "{\"ids\": [\"" + id + "\"]}";
            KeepAlive leaving = new KeepAlive(fast.server.port());
            leaving.send("POST /v2/tasks:wait HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            Await.until("the wait is held", () -> fast.server.pendingWaits() == 1);
            leaving.close();
            Await.until("the abandoned wait is dropped", () -> fast.server.api().waiters().droppedCount() == 1);
            assertThat(fast.server.api().waiters().waiterCount(UUID.fromString(id))).isZero();
        }
    }

    @Test
    void shutdownAnswersPendingWaitsWith503Problems() throws Exception {
        String id = client.createTestTask("");
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("GET", "/v2/tasks/" + id + ":wait");
        Await.until("the server holds the wait", () -> f.server.pendingWaits() == 1);
        f.server.api().closeWaiters();
        assertProblem(wait.get(), 503, null, "shutting down");
    }

    /** Every live thread but the HTTP client's. */
    private static long serverSideThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.getName().startsWith("HttpClient")).count();
    }

    private static List<String> ids(JsonNode tasks) {
        List<String> ids = new ArrayList<>();
        tasks.forEach(t -> ids.add(t.get("id").asText()));
        return ids;
    }

    private static List<String> states(JsonNode tasks) {
        List<String> states = new ArrayList<>();
        tasks.forEach(t -> states.add(t.get("state").asText()));
        return states;
    }
}
