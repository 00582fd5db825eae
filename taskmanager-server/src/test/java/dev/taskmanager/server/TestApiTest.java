package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The test API of SPEC §13 and our additions. */
class TestApiTest extends ApiTestBase {
    static final String ID = "00000000-0000-4000-8000-00000000abcd";

    @Test
    void createReturnsTheIdAsAJsonStringAndTheTaskRunsWithTestTypeAndScope() {
        ApiClient.Answer answer = client.post("/task_manager_test/test_task?task_id=" + ID
                + "&keyspace=ks&table=tb&entity=en&user_task=1");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("\"" + ID + "\"");
        JsonNode status = client.status(ID);
        assertThat(status.get("type").asText()).isEqualTo("test");
        assertThat(status.get("scope").asText()).isEqualTo("test");
        assertThat(status.get("state").asText()).isEqualTo("running");
        assertThat(status.get("progress_units").asText()).isEmpty();
        assertThat(status.get("is_abortable").asBoolean()).isFalse();
        assertThat(status.get("entity").asText()).isEqualTo("en");
    }

    @Test
    void createIsRefusedForAnIdInUseAnUnknownParentOrAnAbsentModule() {
        client.createTestTask("task_id=" + ID);
        assertError(client.post("/task_manager_test/test_task?task_id=" + ID), 400, "already exists");
        assertError(client.post("/task_manager_test/test_task?parent_id=00000000-0000-4000-8000-000000000000"),
                400, "parent task with id 00000000-0000-4000-8000-000000000000 not found");
        assertEmpty(client.delete("/task_manager_test/test_module"));
        assertError(client.post("/task_manager_test/test_task"), 400, "module test not found");
    }

    @Test
    void registeringTheModuleAgainReplacesItAndEndsItsTasks() {
        client.post("/task_manager/ttl?ttl=60");
        String old = client.createTestTask("");
        assertEmpty(client.post("/task_manager_test/test_module"));
        assertError(client.get("/task_manager/task_status/" + old), 400, "not found");
        assertThat(client.get("/task_manager/list_module_tasks/test").body()).isEqualTo("[]");
        assertThat(client.createTestTask("")).hasSize(36);
    }

    @Test
    void deletingTheModuleRemovesItAndASecondDeleteIs400() {
        client.createTestTask("");
        assertEmpty(client.delete("/task_manager_test/test_module"));
        assertThat(client.get("/task_manager/list_modules").body()).isEqualTo("[]");
        assertError(client.delete("/task_manager_test/test_module"), 400, "module test not found");
    }

    @Test
    void finishWithAnErrorFailsTheTaskAndRepeatingIsANoOp() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("");
        assertEmpty(client.post("/task_manager_test/finish_test_task/" + id + "?error=it%20broke"));
        assertEmpty(client.post("/task_manager_test/finish_test_task/" + id));
        JsonNode status = client.status(id);
        assertThat(status.get("state").asText()).isEqualTo("failed");
        assertThat(status.get("error").asText()).contains("it broke");
    }

    @Test
    void deleteFinishesARunningTaskAndUnregistersItRegardlessOfTtlLeavingOthers() {
        client.post("/task_manager/ttl?ttl=3600");
        String running = client.createTestTask("");
        String finished = client.createTestTask("");
        String other = client.createTestTask("");
        client.finish(finished);
        client.finish(other);

        assertEmpty(client.delete("/task_manager_test/test_task?task_id=" + running));
        assertEmpty(client.delete("/task_manager_test/test_task?task_id=" + finished));

        assertError(client.get("/task_manager/task_status/" + running), 400, "not found");
        assertError(client.get("/task_manager/task_status/" + finished), 400, "not found");
        assertThat(client.status(other).get("state").asText()).isEqualTo("done");
        assertError(client.delete("/task_manager_test/test_task?task_id=" + running), 400, "not found");
    }

    @Test
    void deleteOfAChildFoldsItIntoItsParent() {
        String root = client.createTestTask("");
        String child = client.createTestTask("parent_id=" + root);
        assertEmpty(client.delete("/task_manager_test/test_task?task_id=" + child));
        JsonNode tree = client.get("/task_manager/task_status_recursive/" + root).json();
        assertThat(tree.get(1).get("id").asText()).isEqualTo(child);
        assertThat(tree.get(1).get("state").asText()).isEqualTo("done");
    }

    @Test
    void progressCanBeSetOnATestTask() {
        String id = client.createTestTask("");
        assertEmpty(client.post("/task_manager_test/test_task_progress/" + id + "?completed=7&total=10.25"));
        JsonNode status = client.status(id);
        assertThat(status.get("progress_completed").toString()).isEqualTo("7");
        assertThat(status.get("progress_total").toString()).isEqualTo("10.25");
    }

    @Test
    void theTestApiIsOnlyForTestTasks() {
        f.tm.module("real").task("real").track().start();
        String realId = f.tm.module("real").tasks().findFirst().orElseThrow().id().toString();
        assertError(client.post("/task_manager_test/finish_test_task/" + realId), 400, "not found");
        assertThat(client.status(realId).get("state").asText()).isEqualTo("running");
    }
}
