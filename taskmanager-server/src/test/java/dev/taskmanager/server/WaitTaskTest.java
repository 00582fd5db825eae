package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code wait_task}: held asynchronously, released by completion, a timeout, a disconnect or shutdown. */
class WaitTaskTest extends ApiTestBase {

    @Test
    void waitBlocksUntilTheTaskFinishesThenAnswersItsFinalStatus() throws Exception {
        String id = client.createTestTask("");
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("GET", "/task_manager/wait_task/" + id);
        Await.until("the server holds the wait", () -> f.server.pendingWaits() == 1);
        assertThat(wait).isNotDone();

        f.time.advance(Duration.ofSeconds(3));
        client.finish(id);

        ApiClient.Answer answer = wait.get(10, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode status = answer.json();
        assertThat(status.get("id").asText()).isEqualTo(id);
        assertThat(status.get("state").asText()).isEqualTo("done");
        assertThat(status.get("end_time").asText()).isEqualTo("2025-01-16T16:12:14Z");
        assertThat(f.server.pendingWaits()).isZero();
    }

    @Test
    void waitAnswersAFailedTaskToo() throws Exception {
        String id = client.createTestTask("");
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("GET", "/task_manager/wait_task/" + id + "?timeout=600");
        Await.until("the server holds the wait", () -> f.server.pendingWaits() == 1);
        client.fail(id, "oops");
        JsonNode status = wait.get(10, TimeUnit.SECONDS).json();
        assertThat(status.get("state").asText()).isEqualTo("failed");
        assertThat(status.get("error").asText()).isEqualTo("oops");
    }

    @Test
    void aCompleteTaskIsAnsweredAtOnceEvenWithTimeoutZero() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("");
        client.finish(id);
        ApiClient.Answer answer = client.get("/task_manager/wait_task/" + id + "?timeout=0");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("state").asText()).isEqualTo("done");
    }

    @Test
    void timeoutZeroAnswers408AtOnceForARunningTask() {
        String id = client.createTestTask("");
        assertError(client.get("/task_manager/wait_task/" + id + "?timeout=0"), 408, "timedout");
        assertThat(f.server.pendingWaits()).isZero();
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aSmallTimeoutAnswers408WhenItRunsOut() throws Exception {
        String id = client.createTestTask("");
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("GET", "/task_manager/wait_task/" + id + "?timeout=1");
        ApiClient.Answer answer = wait.get(10, TimeUnit.SECONDS);
        assertError(answer, 408, "timedout");
        assertThat(f.server.pendingWaits()).isZero();
        // the task is unaffected and can still be waited for
        CompletableFuture<ApiClient.Answer> again = client.sendAsync("GET", "/task_manager/wait_task/" + id);
        Await.until("the second wait is held", () -> f.server.pendingWaits() == 1);
        client.finish(id);
        assertThat(again.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void manyWaitersOnOneTaskAllReceiveTheFinalStatus() throws Exception {
        String id = client.createTestTask("");
        List<CompletableFuture<ApiClient.Answer>> waits = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            waits.add(client.sendAsync("GET", "/task_manager/wait_task/" + id));
        }
        Await.until("all waits are held", () -> f.server.pendingWaits() == 200);
        client.finish(id);
        for (CompletableFuture<ApiClient.Answer> wait : waits) {
            ApiClient.Answer answer = wait.get(20, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("state").asText()).isEqualTo("done");
        }
    }

    @Test
    void aWaitOutlivesTheIdleTimeoutAndAWaiterWhoseClientLeftIsDropped() throws Exception {
        try (ServerFixture fast = new ServerFixture(b -> b, s -> s.idleTimeout(Duration.ofMillis(100)))) {
            fast.withTestModule();
            String id = fast.client.createTestTask("");
            // a connected client keeps waiting across many idle timeouts
            CompletableFuture<ApiClient.Answer> patient = fast.client.sendAsync("GET", "/task_manager/wait_task/" + id);
            Socket leaving = new Socket("127.0.0.1", fast.server.port());
            OutputStream out = leaving.getOutputStream();
            out.write(("GET /task_manager/wait_task/" + id + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Await.until("both waits are held", () -> fast.server.pendingWaits() == 2);
            leaving.close();
            Await.until("the abandoned wait is dropped", () -> fast.server.api().waiters().droppedCount() == 1);
            assertThat(fast.server.pendingWaits()).isEqualTo(1);
            assertThat(patient).isNotDone();

            fast.client.finish(id);
            assertThat(patient.get(10, TimeUnit.SECONDS).json().get("state").asText()).isEqualTo("done");
        }
    }

    @Test
    void closingTheServerReleasesWaitersOfAbortableTasksWithTheirFinalStatus() throws Exception {
        String abortable = client.createTestTask("abortable=true");
        CompletableFuture<ApiClient.Answer> wait = client.sendAsync("GET", "/task_manager/wait_task/" + abortable);
        Await.until("the wait is held", () -> f.server.pendingWaits() == 1);
        f.server.close();
        ApiClient.Answer answer = wait.get(10, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("state").asText()).isEqualTo("failed");
        assertThat(answer.json().get("error").asText()).contains("abort requested");
    }

    @Test
    void closingAServerThatBorrowsTheManagerAnswersPendingWaits503() throws Exception {
        try (ServerFixture borrowed = new ServerFixture(b -> b, s -> s.ownsTaskManager(false))) {
            borrowed.withTestModule();
            String id = borrowed.client.createTestTask("");
            CompletableFuture<ApiClient.Answer> wait = borrowed.client.sendAsync("GET", "/task_manager/wait_task/" + id);
            Await.until("the wait is held", () -> borrowed.server.pendingWaits() == 1);
            borrowed.server.close();
            assertError(wait.get(10, TimeUnit.SECONDS), 503, "shutting down");
            // the manager is untouched
            assertThat(borrowed.tm.find(java.util.UUID.fromString(id)).orElseThrow().state().wireName())
                    .isEqualTo("running");
            borrowed.tm.close();
        }
    }
}
