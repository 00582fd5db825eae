package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task trees over HTTP: shards and sequence numbers (SPEC §4), children, folding (SPEC §7, §12.4). */
class TreeAndFoldingTest extends ApiTestBase {

    @Test
    void sequenceNumbersFollowTheSpecExampleAcrossTwoShards() {
        String a = client.createTestTask("");
        String b = client.createTestTask("");
        String childOfA = client.createTestTask("parent_id=" + a);
        String childOfB = client.createTestTask("parent_id=" + b + "&shard=1");
        String rootOnShard1 = client.createTestTask("shard=1");

        assertThat(client.status(a).get("sequence_number").asLong()).isEqualTo(1);
        assertThat(client.status(b).get("sequence_number").asLong()).isEqualTo(2);
        assertThat(client.status(childOfA).get("sequence_number").asLong()).isEqualTo(1);
        JsonNode child = client.status(childOfB);
        assertThat(child.get("sequence_number").asLong()).isEqualTo(2);
        assertThat(child.get("shard").asInt()).isEqualTo(1);
        assertThat(child.get("parent_id").asText()).isEqualTo(b);
        assertThat(client.status(rootOnShard1).get("sequence_number").asLong()).isEqualTo(1);
    }

    @Test
    void aParentListsItsChildrenOnOtherShardsWithTheNodeAddress() {
        String parent = client.createTestTask("");
        String onShard1 = client.createTestTask("parent_id=" + parent + "&shard=1");
        String onShard0 = client.createTestTask("parent_id=" + parent);
        JsonNode children = client.status(parent).get("children_ids");
        assertThat(children.toString()).isEqualTo("[{\"task_id\":\"" + onShard1 + "\",\"node\":\"127.0.0.1\"},"
                + "{\"task_id\":\"" + onShard0 + "\",\"node\":\"127.0.0.1\"}]");
        // children are internal: hidden from the default listing, shown with internal=true
        assertThat(client.get("/task_manager/list_module_tasks/test").json().size()).isEqualTo(1);
        assertThat(client.get("/task_manager/list_module_tasks/test?internal=true").json().size()).isEqualTo(3);
    }

    @Test
    void finishedChildrenFoldIntoTheParentAndOnlyPathsToFailuresAreKept() {
        String root = client.createTestTask("");
        String a = client.createTestTask("parent_id=" + root);
        String b = client.createTestTask("parent_id=" + root + "&shard=1");
        String a1 = client.createTestTask("parent_id=" + a);
        String a2 = client.createTestTask("parent_id=" + a + "&shard=1");
        String b1 = client.createTestTask("parent_id=" + b);

        client.finish(a1);
        client.fail(a2, "bad%20block");
        client.finish(b1);
        client.finish(a);
        client.finish(b);

        // folded children are reachable only through their ancestors
        assertError(client.get("/task_manager/task_status/" + a), 400, "task with id " + a + " not found");
        assertError(client.get("/task_manager/task_status/" + a2), 400, "not found");

        JsonNode statuses = client.get("/task_manager/task_status_recursive/" + root).json();
        assertThat(idsOf(statuses)).containsExactly(root, a, b, a2);
        assertThat(statuses.get(0).get("state").asText()).isEqualTo("running");
        assertThat(childIds(statuses.get(0))).containsExactly(a, b);
        JsonNode foldedA = statuses.get(1);
        assertThat(foldedA.get("state").asText()).isEqualTo("done");
        assertThat(foldedA.get("kind").asText()).isEqualTo("node");
        assertThat(foldedA.get("parent_id").asText()).isEqualTo(root);
        assertThat(childIds(foldedA)).containsExactly(a2);
        assertThat(childIds(statuses.get(2))).isEmpty();
        JsonNode failed = statuses.get(3);
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("bad block");
        assertThat(failed.get("shard").asInt()).isEqualTo(1);
        assertThat(failed.fieldNames()).toIterable().containsExactly("id", "type", "kind", "scope", "state",
                "is_abortable", "start_time", "end_time", "error", "parent_id", "sequence_number", "shard",
                "keyspace", "table", "entity", "progress_units", "progress_total", "progress_completed",
                "children_ids");
    }

    @Test
    void liveChildrenComeBeforeFoldedOnesInTheRecursiveStatus() {
        String root = client.createTestTask("");
        String first = client.createTestTask("parent_id=" + root);
        String second = client.createTestTask("parent_id=" + root);
        client.finish(first);
        JsonNode statuses = client.get("/task_manager/task_status_recursive/" + root).json();
        assertThat(idsOf(statuses)).containsExactly(root, second, first);
        assertThat(childIds(statuses.get(0))).containsExactly(second, first);
    }

    @Test
    void aFoldedChildsProgressCountsInItsParent() {
        String root = client.createTestTask("");
        String child = client.createTestTask("parent_id=" + root);
        client.post("/task_manager_test/test_task_progress/" + child + "?completed=3&total=3");
        client.finish(child);
        client.finish(root);
        client.post("/task_manager/ttl?ttl=1"); // too late for root: the TTL at completion applies
        // root had ttl 0 at completion: it is gone; check the folded progress before that instead
        String root2 = client.createTestTask("");
        String child2 = client.createTestTask("parent_id=" + root2);
        client.post("/task_manager_test/test_task_progress/" + child2 + "?completed=1.5&total=3");
        client.finish(child2);
        JsonNode status = client.status(root2);
        assertThat(status.get("progress_completed").asDouble()).isEqualTo(1.5);
        assertThat(status.get("progress_total").asDouble()).isEqualTo(3);
        assertError(client.get("/task_manager/task_status/" + root), 400, "not found");
    }

    private static List<String> idsOf(JsonNode statuses) {
        List<String> ids = new ArrayList<>();
        statuses.forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    private static List<String> childIds(JsonNode status) {
        List<String> ids = new ArrayList<>();
        status.get("children_ids").forEach(c -> ids.add(c.get("task_id").asText()));
        return ids;
    }
}
