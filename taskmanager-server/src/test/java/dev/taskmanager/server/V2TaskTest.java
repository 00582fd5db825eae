package dev.taskmanager.server;

import static dev.taskmanager.server.Problem.assertInvalid;
import static dev.taskmanager.server.Problem.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/tasks/{id}}, the v2 task form, and the routing and errors every v2 route shares. */
class V2TaskTest extends ApiTestBase {

    @Test
    void aTaskIsAnsweredInTheV2Form() {
        String id = client.createTestTask("keyspace=ks&table=t&entity=e1&user_task=true");
        client.post("/task_manager_test/test_task_progress/" + id + "?completed=2.5&total=10");
        ApiClient.Answer answer = client.get("/v2/tasks/" + id);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.raw().headers().firstValue("content-type")).hasValue("application/json");
        JsonNode task = answer.json();
        assertThat(task.get("id").asText()).isEqualTo(id);
        assertThat(task.get("node").asText()).isEqualTo("127.0.0.1");
        assertThat(task.get("source").asText()).isEqualTo("live");
        assertThat(task.get("module").asText()).isEqualTo("test");
        assertThat(task.get("type").asText()).isEqualTo("test");
        assertThat(task.get("kind").asText()).isEqualTo("node");
        assertThat(task.get("keyspace").asText()).isEqualTo("ks");
        assertThat(task.get("table").asText()).isEqualTo("t");
        assertThat(task.get("entity").asText()).isEqualTo("e1");
        assertThat(task.get("state").asText()).isEqualTo("running");
        assertThat(task.get("error").isNull()).isTrue();
        assertThat(task.get("user_task").asBoolean()).isTrue();
        assertThat(task.get("parent_id").isNull()).isTrue();
        assertThat(task.get("end_time").isNull()).isTrue();
        assertThat(task.get("start_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
        assertThat(task.get("progress").get("completed").asDouble()).isEqualTo(2.5);
        assertThat(task.get("progress").get("total").asDouble()).isEqualTo(10);
        assertThat(task.get("created_time").asText()).isEqualTo("2025-01-16T16:12:11.000000000Z");
        assertThat(task.get("updated_time").asText()).endsWith("Z");
        assertThat(task.get("abort_requested").asBoolean()).isFalse();
        assertThat(task.get("abort").isNull()).isTrue();
        assertThat(task.get("labels").isObject()).isTrue();
        assertThat(task.get("labels").size()).isZero();
        assertThat(task.get("deadline").isNull()).isTrue();
        assertThat(task.get("stalled").asBoolean()).isFalse();
        assertThat(task.get("progress").has("rate")).isTrue();
        assertThat(task.get("progress").has("eta_seconds")).isTrue();
    }

    @Test
    void labelsDeadlineRateAndEtaAreAnswered() {
        dev.taskmanager.TrackedTask task = f.tm.module("m").task("copy").label("ticket", "OPS-42")
                .deadline(java.time.Duration.ofHours(1)).progressUnits("bytes").track();
        task.start();
        task.progress().set(0, 1000);
        f.time.advance(java.time.Duration.ofSeconds(1));
        task.progress().set(100, 1000);
        f.time.advance(java.time.Duration.ofSeconds(1));
        task.progress().set(200, 1000);
        JsonNode json = client.get("/v2/tasks/" + task.id()).json();
        assertThat(json.get("labels").get("ticket").asText()).isEqualTo("OPS-42");
        assertThat(json.get("deadline").asText()).isEqualTo("2025-01-16T17:12:11.000000000Z");
        assertThat(json.get("progress").get("units").asText()).isEqualTo("bytes");
        assertThat(json.get("progress").get("rate").asDouble()).isPositive();
        assertThat(json.get("progress").get("eta_seconds").asDouble()).isPositive();
    }

    @Test
    void aFailedTaskCarriesItsErrorAndAChildItsParent() {
        String root = client.createTestTask("");
        String child = client.createTestTask("parent_id=" + root);
        JsonNode rootJson = client.get("/v2/tasks/" + root).json();
        assertThat(rootJson.get("children").get(0).get("id").asText()).isEqualTo(child);
        assertThat(rootJson.get("children").get(0).get("node").asText()).isEqualTo("127.0.0.1");
        JsonNode childJson = client.get("/v2/tasks/" + child).json();
        assertThat(childJson.get("parent_id").asText()).isEqualTo(root);
        assertThat(childJson.get("internal").asBoolean()).isTrue();

        client.post("/task_manager/ttl?ttl=60");
        client.fail(root, "boom");
        JsonNode failed = client.get("/v2/tasks/" + root).json();
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("boom");
        assertThat(failed.get("end_time").asText()).endsWith("Z");
    }

    @Test
    void theTreeViewHoldsTheDescendantsBreadthFirstFoldedOnesIncluded() {
        client.post("/task_manager/ttl?ttl=60");
        String root = client.createTestTask("");
        String a = client.createTestTask("parent_id=" + root);
        String b = client.createTestTask("parent_id=" + root);
        String a1 = client.createTestTask("parent_id=" + a);
        client.finish(b); // folded into root
        JsonNode tree = client.get("/v2/tasks/" + root + "?view=tree").json();
        assertThat(tree.get("id").asText()).isEqualTo(root);
        List<String> ids = new ArrayList<>();
        tree.get("descendants").forEach(t -> ids.add(t.get("id").asText()));
        assertThat(ids).containsExactly(a, b, a1);
        assertThat(tree.get("descendants").get(1).get("state").asText()).isEqualTo("done");
        assertThat(tree.get("descendants").get(2).get("parent_id").asText()).isEqualTo(a);
        assertThat(client.get("/v2/tasks/" + root + "?view=task").json().has("descendants")).isFalse();
    }

    @Test
    void anUnknownTaskIsA404Problem() {
        String id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        JsonNode problem = assertProblem(client.get("/v2/tasks/" + id), 404, "task-not-found",
                "task with id " + id + " not found");
        assertThat(problem.get("instance").asText()).isEqualTo("/v2/tasks/" + id);
        assertThat(problem.get("parameter").asText()).isEqualTo("task_id");
    }

    @Test
    void aMalformedIdIsA400NamingTaskId() {
        assertInvalid(client.get("/v2/tasks/not-a-uuid"), "task_id", "not-a-uuid");
        assertInvalid(client.post("/v2/tasks/1-2-3:abort"), "task_id", "1-2-3");
    }

    @Test
    void aBadOrUnknownQueryParameterIsA400NamingIt() {
        String id = client.createTestTask("");
        assertInvalid(client.get("/v2/tasks/" + id + "?view=forest"), "view", "forest");
        JsonNode unknown = assertProblem(client.get("/v2/tasks/" + id + "?veiw=tree"), 400, "invalid-parameter",
                "unknown parameter 'veiw'; this route takes view");
        assertThat(unknown.get("parameter").asText()).isEqualTo("veiw");
        assertInvalid(client.get("/v2/tasks/" + id + "?view=tree&view=task"), "view", "task");
    }

    @Test
    void aWrongMethodIsA405WithAllow() {
        String id = client.createTestTask("");
        ApiClient.Answer get = client.get("/v2/tasks/" + id + ":abort");
        assertProblem(get, 405, null, "method GET is not allowed");
        assertThat(get.raw().headers().firstValue("allow")).hasValue("POST");
        ApiClient.Answer delete = client.delete("/v2/tasks/" + id);
        assertProblem(delete, 405, null, "allowed: GET");
        assertThat(delete.raw().headers().firstValue("allow")).hasValue("GET");
        assertThat(client.get("/v2/tasks:wait").raw().headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void anUnknownPathUnderV2IsA404Problem() {
        assertProblem(client.get("/v2/nothing"), 404, null, "no resource at /v2/nothing");
        assertProblem(client.get("/v2/tasks/" + "7c9e6679-7425-40de-944b-e07fc1f90ae7" + ":frobnicate"),
                400, "invalid-parameter", "task_id");
        assertProblem(client.post("/v2/tasks:frobnicate"), 404, null, "no resource");
        assertProblem(client.get("/v2"), 404, null, "no resource");
    }

    @Test
    void theCompatApiStillAnswers404ToAWrongMethodAndKeepsItsErrorShape() {
        assertError(client.delete("/task_manager/list_modules"), 404, "Not found");
        assertError(client.get("/task_manager/task_status/nope"), 400, "task_id");
    }

    @Test
    void theAccessChecksCoverV2AndAnswerProblems() {
        String id = client.createTestTask("abortable=true");
        JsonNode foreign = assertProblem(client.send("POST", "/v2/tasks/" + id + ":abort", null,
                "Origin", "http://evil.example"), 403, null, "cross-origin request refused");
        assertThat(foreign.get("title").asText()).isEqualTo("Forbidden");
        assertProblem(client.send("POST", "/v2/tasks:abort?module=test", null, "Sec-Fetch-Site", "cross-site"), 403,
                null, "cross-origin request refused");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
        try (ServerFixture locked = new ServerFixture(b -> b, s -> s.authToken("s3cret"))) {
            ApiClient.Answer refused = locked.client.get("/v2/tasks");
            assertProblem(refused, 401, null, "missing bearer token");
            assertThat(refused.raw().headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"taskmanager\"");
            assertThat(locked.client.send("GET", "/v2/tasks", null, "Authorization", "Bearer s3cret").status())
                    .isEqualTo(200);
        }
        try (ServerFixture hosts = new ServerFixture(b -> b, s -> s.allowedHosts(java.util.List.of("tm.example")))) {
            RawHttp.Raw raw = RawHttp.exchange(hosts.server.port(), ("GET /v2/modules HTTP/1.1\r\nHost: evil.example\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(raw.status()).isEqualTo(421);
            assertThat(raw.head().toLowerCase()).contains("content-type: application/problem+json");
            assertThat(raw.body()).contains("host 'evil.example' is not served here");
        }
    }

    @Test
    void aRequestJettyRefusesBeforeRoutingIsAProblemUnderV2() {
        RawHttp.Raw raw = RawHttp.request(f.server.port(), "GET", "/v2/tasks/%5C");
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.head().toLowerCase()).contains("content-type: application/problem+json");
        assertThat(raw.body()).contains("\"parameter\":\"task_id\"", "invalid value '%5C' for parameter 'task_id'");
    }
}
