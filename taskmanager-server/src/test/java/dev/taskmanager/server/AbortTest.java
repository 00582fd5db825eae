package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Abort over HTTP (SPEC §9): the cascade, the 403 of non-abortable tasks. */
class AbortTest extends ApiTestBase {

    @Test
    void abortCascadesToTheWholeTreeAndAbortableTestTasksFailAtOnce() {
        client.post("/task_manager/ttl?ttl=60");
        String root = client.createTestTask("abortable=true");
        String abortableChild = client.createTestTask("parent_id=" + root + "&abortable=true&shard=1");
        String stubbornChild = client.createTestTask("parent_id=" + root);

        assertEmpty(client.post("/task_manager/abort_task/" + root));

        // the abortable child failed at once and folded into root
        assertError(client.get("/task_manager/task_status/" + abortableChild), 400, "not found");
        // the non-abortable child ignores the abort until it is finished, then fails with the abort error
        assertThat(client.status(stubbornChild).get("state").asText()).isEqualTo("running");
        JsonNode rootStatus = client.status(root);
        assertThat(rootStatus.get("state").asText()).isEqualTo("failed");
        assertThat(rootStatus.get("error").asText()).contains("abort requested");

        client.finish(stubbornChild);
        JsonNode tree = client.get("/task_manager/task_status_recursive/" + root).json();
        assertThat(tree.size()).isEqualTo(3);
        tree.forEach(s -> {
            assertThat(s.get("state").asText()).isEqualTo("failed");
            assertThat(s.get("error").asText()).contains("abort requested");
        });
    }

    @Test
    void aChildCreatedUnderAnAbortedParentFailsAtOnce() {
        client.post("/task_manager/ttl?ttl=60");
        String root = client.createTestTask("");
        String child = client.createTestTask("parent_id=" + root + "&abortable=true");
        client.post("/task_manager/abort_task/" + child);
        // root is not abortable through the API, but a child added to an aborted subtree is aborted: use
        // the library to abort root, as a module stop would
        f.tm.find(java.util.UUID.fromString(root)).orElseThrow().abort("operator");
        String late = client.createTestTask("parent_id=" + root);
        assertError(client.get("/task_manager/task_status/" + late), 400, "not found"); // failed at start, folded
        JsonNode tree = client.get("/task_manager/task_status_recursive/" + root).json();
        assertThat(tree.get(tree.size() - 1).get("id").asText()).isEqualTo(late);
        assertThat(tree.get(tree.size() - 1).get("error").asText()).contains("abort requested");
    }

    @Test
    void aNonAbortableTaskIsRefusedWith403AndKeepsRunning() {
        String id = client.createTestTask("abortable=false");
        assertError(client.post("/task_manager/abort_task/" + id), 403, "task with id " + id + " cannot be aborted");
        assertThat(client.status(id).get("state").asText()).isEqualTo("running");
        assertThat(client.status(id).get("is_abortable").asBoolean()).isFalse();
    }

    @Test
    void abortingAFinishedTaskChangesNothing() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("abortable=true");
        client.finish(id);
        assertEmpty(client.post("/task_manager/abort_task/" + id));
        assertThat(client.status(id).get("state").asText()).isEqualTo("done");
    }
}
