package dev.taskmanager.server;

import static dev.taskmanager.server.Problem.assertInvalid;
import static dev.taskmanager.server.Problem.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code POST /v2/tasks/{id}:abort}: the reason, the requester, 403, 409, 404 and the body's limits. */
class V2AbortTest extends ApiTestBase {

    @Test
    void anAbortWithAReasonAnswersTheTaskAsItIsAfterwards() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("abortable=true");
        ApiClient.Answer answer = client.send("POST", "/v2/tasks/" + id + ":abort", "{\"reason\": \"disk is full\"}",
                "X-Request-Id", "ops-ticket-42");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode task = answer.json();
        assertThat(task.get("id").asText()).isEqualTo(id);
        assertThat(task.get("state").asText()).as("an abortable test task ends at once").isEqualTo("aborted");
        assertThat(task.get("abort_requested").asBoolean()).isFalse();
        assertThat(task.get("abort").get("reason").asText()).isEqualTo("disk is full");
        assertThat(task.get("abort").get("requested_by").asText()).isEqualTo("ops-ticket-42");
        assertThat(task.get("abort").get("requested_at").asText()).endsWith("Z");
        assertThat(task.get("error").asText()).contains("abort requested", "disk is full");
        assertThat(client.status(id).get("state").asText()).as("the compat API says failed").isEqualTo("failed");
    }

    @Test
    void anAbortWithoutABodyHasNoReason() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("abortable=true");
        ApiClient.Answer answer = client.post("/v2/tasks/" + id + ":abort");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("abort").get("reason").asText()).isEmpty();
        assertThat(answer.json().get("abort").get("requested_by").asText()).isEmpty();
        assertThat(client.status(id).get("error").asText()).contains("abort requested");
    }

    @Test
    void aRunningTaskThatTakesItsTimeIsAnsweredAbortRequested() {
        client.post("/task_manager/ttl?ttl=60");
        dev.taskmanager.TrackedTask task = f.tm.module("slow").task("t").abortable().track();
        task.start();
        ApiClient.Answer answer = client.send("POST", "/v2/tasks/" + task.id() + ":abort", "{\"reason\": \"stop\"}",
                "X-Request-Id", "alice");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("state").asText()).isEqualTo("running");
        assertThat(answer.json().get("abort_requested").asBoolean()).isTrue();
        assertThat(task.status().abortRequest().requestedBy()).isEqualTo("alice");
        ApiClient.Answer again = client.send("POST", "/v2/tasks/" + task.id() + ":abort", "{\"reason\": \"later\"}");
        assertThat(again.json().get("abort").get("reason").asText()).as("the first request is kept").isEqualTo("stop");
        task.complete();
        assertThat(client.get("/v2/tasks/" + task.id()).json().get("state").asText()).isEqualTo("aborted");
    }

    @Test
    void aTaskThatIsNotAbortableIsA403AndKeepsRunning() {
        String id = client.createTestTask("");
        assertProblem(client.post("/v2/tasks/" + id + ":abort"), 403, "not-abortable",
                "task with id " + id + " cannot be aborted");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aFinishedTaskIsA409CarryingTheTaskAsItEnded() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("abortable=true");
        client.finish(id);
        JsonNode problem = assertProblem(client.post("/v2/tasks/" + id + ":abort"), 409, "task-finished",
                "already finished (done)");
        assertThat(problem.get("task").get("state").asText()).isEqualTo("done");
    }

    @Test
    void anUnknownTaskIsA404() {
        assertProblem(client.post("/v2/tasks/7c9e6679-7425-40de-944b-e07fc1f90ae7:abort"), 404, "task-not-found",
                "not found");
    }

    @Test
    void aBodyThatIsNotTheAbortRequestIsA400NamingWhatIsWrong() {
        String id = client.createTestTask("abortable=true");
        String path = "/v2/tasks/" + id + ":abort";
        assertProblem(client.send("POST", path, "{\"reason\": "), 400, "malformed-body", "not valid JSON");
        assertProblem(client.send("POST", path, "[1]"), 400, "malformed-body", "must be a JSON object");
        assertProblem(client.send("POST", path, "{\"reason\": \"a\", \"reason\": \"b\"}"), 400, "malformed-body",
                "Duplicate field 'reason'");
        assertProblem(client.send("POST", path, "{} {}"), 400, "malformed-body", "more than one JSON value");
        assertInvalid(client.send("POST", path, "{\"reason\": 5}"), "reason", "5");
        JsonNode unknown = assertProblem(client.send("POST", path, "{\"raison\": \"x\"}"), 400, "invalid-parameter",
                "unknown field 'raison'");
        assertThat(unknown.get("parameter").asText()).isEqualTo("raison");
        assertProblem(client.send("POST", path, "{\"reason\": \"" + "r".repeat(1001) + "\"}"), 400,
                "invalid-parameter", "longer than 1000 characters");
        assertProblem(client.send("POST", path, "{\"reason\": \"a\\u001b[2Jb\"}"), 400, "invalid-parameter",
                "control character");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aBadRequesterHeaderIsA400NamingTheHeader() {
        String id = client.createTestTask("abortable=true");
        JsonNode problem = assertProblem(client.send("POST", "/v2/tasks/" + id + ":abort", null,
                "X-Request-Id", "x".repeat(201)), 400, "invalid-parameter", "longer than 200 characters");
        assertThat(problem.get("parameter").asText()).isEqualTo("X-Request-Id");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aBodyThatIsNotJsonOrTooLargeIsRefusedUnread() {
        String id = client.createTestTask("abortable=true");
        String path = "/v2/tasks/" + id + ":abort";
        assertProblem(client.send("POST", path, "reason=x", "Content-Type", "application/x-www-form-urlencoded"),
                415, null, "must be JSON");
        String huge = "{\"reason\": \"" + "x".repeat(70_000) + "\"}";
        assertProblem(client.send("POST", path, huge), 413, null, "request body too large");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aRefusedBodyNeverCostsTheClientItsAnswer() {
        // Answering while the client still sends, then closing, would reset the connection under the
        // answer: the client would see a dropped connection instead of the 413.
        String id = client.createTestTask("abortable=true");
        String huge = "{\"reason\": \"" + "x".repeat(200_000) + "\"}";
        for (int i = 0; i < 50; i++) {
            assertProblem(client.send("POST", "/v2/tasks/" + id + ":abort", huge), 413, null, "request body too large");
        }
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aClientWaitingToBeToldToSendItsBodyIsRefusedWithoutBeingAskedForIt() throws Exception {
        String id = client.createTestTask("abortable=true");
        try (Socket socket = new Socket("127.0.0.1", f.server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v2/tasks/" + id + ":abort HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 200000\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("no 100 Continue, then the refusal: as curl sends a large body")
                    .startsWith("HTTP/1.1 413 ").contains("request body too large");
        }
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedToo() {
        String id = client.createTestTask("abortable=true");
        byte[] chunk = ("{\"reason\": \"" + "x".repeat(40_000)).getBytes(StandardCharsets.US_ASCII);
        StringBuilder request = new StringBuilder("POST /v2/tasks/" + id + ":abort HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < 2; i++) {
            request.append(Integer.toHexString(chunk.length)).append("\r\n")
                    .append(new String(chunk, StandardCharsets.US_ASCII)).append("\r\n");
        }
        request.append("0\r\n\r\n");
        RawHttp.Raw raw = RawHttp.exchange(f.server.port(), request.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(raw.status()).isEqualTo(413);
        assertThat(raw.body()).contains("request body too large");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
    }
}
