package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every endpoint of SPEC §12.1, with exact bodies pinned where the format matters. */
class CompatApiTest extends ApiTestBase {
    static final String ID = "5b0c5d16-2f5e-4f8e-9f4e-3c2b1a000001";
    static final String CHILD = "5b0c5d16-2f5e-4f8e-9f4e-3c2b1a000002";

    @Test
    void listModulesAnswersTheSortedNames() {
        f.tm.module("repair");
        f.tm.module("backup");
        ApiClient.Answer answer = client.get("/task_manager/list_modules");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("[\"backup\",\"repair\",\"test\"]");
        assertThat(answer.raw().headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void taskStatusOfARunningRootIsPinnedToTheWireFormat() {
        client.createTestTask("task_id=" + ID + "&keyspace=ks&table=t1&entity=e");
        assertThat(client.get("/task_manager/task_status/" + ID).body()).isEqualTo("{"
                + "\"id\":\"" + ID + "\",\"type\":\"test\",\"kind\":\"node\",\"scope\":\"test\","
                + "\"state\":\"running\",\"is_abortable\":false,"
                + "\"start_time\":\"2025-01-16T16:12:11Z\",\"end_time\":\"1970-01-01T00:00:00Z\","
                + "\"error\":\"\",\"parent_id\":\"none\",\"sequence_number\":1,\"shard\":0,"
                + "\"keyspace\":\"ks\",\"table\":\"t1\",\"entity\":\"e\",\"progress_units\":\"\","
                + "\"progress_total\":0,\"progress_completed\":0,\"children_ids\":[]}");
    }

    @Test
    void taskStatusOfAFailedParentWithAChildIsPinned() {
        client.post("/task_manager/ttl?ttl=60");
        client.createTestTask("task_id=" + ID + "&abortable=1");
        client.createTestTask("task_id=" + CHILD + "&parent_id=" + ID + "&shard=1");
        client.post("/task_manager_test/test_task_progress/" + ID + "?completed=2.5&total=4");
        f.time.advance(Duration.ofMillis(61_999));
        client.fail(ID, "disk%20full");
        assertThat(client.get("/task_manager/task_status/" + ID).body()).isEqualTo("{"
                + "\"id\":\"" + ID + "\",\"type\":\"test\",\"kind\":\"node\",\"scope\":\"test\","
                + "\"state\":\"failed\",\"is_abortable\":true,"
                + "\"start_time\":\"2025-01-16T16:12:11Z\",\"end_time\":\"2025-01-16T16:13:12Z\","
                + "\"error\":\"disk full\",\"parent_id\":\"none\",\"sequence_number\":1,\"shard\":0,"
                + "\"keyspace\":\"\",\"table\":\"\",\"entity\":\"\",\"progress_units\":\"\","
                + "\"progress_total\":4,\"progress_completed\":2.5,"
                + "\"children_ids\":[{\"task_id\":\"" + CHILD + "\",\"node\":\"127.0.0.1\"}]}");
    }

    @Test
    void listModuleTasksIsPinnedAndFiltersByKeyspaceTableAndInternal() {
        client.createTestTask("task_id=" + ID + "&keyspace=ks&table=t1");
        client.createTestTask("task_id=" + CHILD + "&parent_id=" + ID + "&keyspace=ks&table=t2");
        String other = client.createTestTask("keyspace=other");
        String root = "{\"task_id\":\"" + ID + "\",\"state\":\"running\",\"type\":\"test\",\"kind\":\"node\","
                + "\"scope\":\"test\",\"keyspace\":\"ks\",\"table\":\"t1\",\"entity\":\"\",\"sequence_number\":1,"
                + "\"shard\":0,\"start_time\":\"2025-01-16T16:12:11Z\",\"end_time\":\"1970-01-01T00:00:00Z\"}";
        assertThat(client.get("/task_manager/list_module_tasks/test?keyspace=ks").body()).isEqualTo("[" + root + "]");
        assertThat(ids(client.get("/task_manager/list_module_tasks/test"))).containsExactlyInAnyOrder(ID, other);
        assertThat(ids(client.get("/task_manager/list_module_tasks/test?internal=TRUE")))
                .containsExactlyInAnyOrder(ID, CHILD, other);
        assertThat(ids(client.get("/task_manager/list_module_tasks/test?internal=1&table=t2"))).containsExactly(CHILD);
        assertThat(ids(client.get("/task_manager/list_module_tasks/test?internal=false&keyspace=&table=")))
                .containsExactlyInAnyOrder(ID, other);
        assertThat(client.get("/task_manager/list_module_tasks/test?keyspace=none").body()).isEqualTo("[]");
    }

    @Test
    void listModuleTasksStreamsTenThousandTasks() {
        var module = f.tm.module("bulk");
        for (int i = 0; i < 10_000; i++) {
            module.task("bulk").scope("node").entity("entity-" + i).track().start();
        }
        ApiClient.Answer answer = client.get("/task_manager/list_module_tasks/bulk");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode list = answer.json();
        assertThat(list.size()).isEqualTo(10_000);
        assertThat(list.get(0).get("state").asText()).isEqualTo("running");
    }

    @Test
    void taskStatusRecursiveListsTheTaskThenItsDescendantsBreadthFirst() {
        client.createTestTask("task_id=" + ID);
        String a = client.createTestTask("parent_id=" + ID);
        String b = client.createTestTask("parent_id=" + ID);
        String a1 = client.createTestTask("parent_id=" + a);
        String b1 = client.createTestTask("parent_id=" + b);
        JsonNode statuses = client.get("/task_manager/task_status_recursive/" + ID).json();
        List<String> order = new ArrayList<>();
        statuses.forEach(s -> order.add(s.get("id").asText()));
        assertThat(order).containsExactly(ID, a, b, a1, b1);
        assertThat(statuses.get(1).get("parent_id").asText()).isEqualTo(ID);
        assertThat(statuses.get(3).get("children_ids")).isEmpty();
    }

    @Test
    void ttlAndUserTtlAnswerNumbersAndSettingReturnsThePreviousValue() {
        assertThat(client.get("/task_manager/ttl").body()).isEqualTo("0");
        assertThat(client.post("/task_manager/ttl?ttl=30").body()).isEqualTo("0");
        assertThat(client.post("/task_manager/ttl?ttl=45").body()).isEqualTo("30");
        assertThat(client.get("/task_manager/ttl").body()).isEqualTo("45");
        assertThat(f.tm.taskTtl()).isEqualTo(Duration.ofSeconds(45));

        assertThat(client.get("/task_manager/user_ttl").body()).isEqualTo("3600");
        assertThat(client.post("/task_manager/user_ttl?user_ttl=7").body()).isEqualTo("3600");
        assertThat(client.get("/task_manager/user_ttl").body()).isEqualTo("7");
        assertThat(f.tm.userTaskTtl()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void drainUnregistersCompleteTasksOnlyAndAnswersEmpty() {
        client.post("/task_manager/ttl?ttl=600");
        String finished = client.createTestTask("");
        String failed = client.createTestTask("shard=1");
        String running = client.createTestTask("");
        client.finish(finished);
        client.fail(failed, "boom");
        assertEmpty(client.post("/task_manager/drain/test"));
        assertError(client.get("/task_manager/task_status/" + finished), 400, "not found");
        assertError(client.get("/task_manager/task_status/" + failed), 400, "not found");
        assertThat(client.status(running).get("state").asText()).isEqualTo("running");
    }

    @Test
    void abortAnswersEmpty() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("abortable=true");
        assertEmpty(client.post("/task_manager/abort_task/" + id));
        assertEmpty(client.post("/task_manager/abort_task/" + id)); // idempotent while retained
        assertThat(client.status(id).get("state").asText()).isEqualTo("failed");
    }

    @Test
    void aTrailingSlashIsIgnored() {
        client.createTestTask("task_id=" + ID);
        assertThat(client.get("/task_manager/task_status/" + ID + "/").status()).isEqualTo(200);
        assertThat(client.get("/task_manager/list_modules/").body()).isEqualTo("[\"test\"]");
        assertThat(client.get("/task_manager/ttl/").body()).isEqualTo("0");
        assertThat(client.get("/task_manager/list_module_tasks/test/?internal=true").status()).isEqualTo(200);
    }

    @Test
    void uppercaseTaskIdsAreAcceptedAndPrintedLowercase() {
        client.createTestTask("task_id=" + ID);
        assertThat(client.status(ID.toUpperCase()).get("id").asText()).isEqualTo(ID);
    }

    @Test
    void statusesMatchTheCoreSnapshot() {
        String id = client.createTestTask("keyspace=k");
        JsonNode json = client.status(id);
        TaskStatus core = f.tm.find(java.util.UUID.fromString(id)).orElseThrow().status();
        assertThat(json.get("keyspace").asText()).isEqualTo(core.keyspace());
        assertThat(json.get("sequence_number").asLong()).isEqualTo(core.sequenceNumber());
    }

    @Test
    void theOpenApiDocumentDescribesEveryRoute() {
        ApiClient.Answer answer = client.get("/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode doc = answer.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        for (Router.Route route : f.server.api().router().routes()) {
            JsonNode path = doc.get("paths").get(route.template());
            assertThat(path).as(route.template()).isNotNull();
            assertThat(path.get(route.method().toLowerCase())).as(route.method() + " " + route.template()).isNotNull();
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheMetricsRoute() {
        try (ServerFixture metered = new ServerFixture(b -> b, s -> s.metrics(
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT)))) {
            JsonNode doc = metered.client.get("/openapi.json").json();
            for (Router.Route route : metered.server.api().router().routes()) {
                assertThat(doc.get("paths").get(route.template())).as(route.template()).isNotNull();
            }
            assertThat(doc.get("paths").get("/metrics").get("get")).isNotNull();
        }
    }

    private static List<String> ids(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().forEach(t -> ids.add(t.get("task_id").asText()));
        return ids;
    }
}
