package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code serve}'s history read through the v2 API: a task that left memory is still found by id,
 * with its stored tree, and listed, marked {@code "source": "history"}; the compat routes answer as
 * ScyllaDB does, from memory only.
 */
class HistoryOverV2Test {
    private AppServer server;

    @BeforeEach
    void start() throws Exception {
        server = AppServer.start(List.of(), "--enable-test-api");
        server.postOk("/task_manager_test/test_module");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private UUID testTask(String query) {
        return UUID.fromString((String) ServerProcess.json(server.postOk("/task_manager_test/test_task" + query)));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> getJson(String path, int status) {
        HttpResponse<String> answer = server.get(path);
        assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(status);
        return (Map<String, Object>) ServerProcess.json(answer.body());
    }

    /** A finished tree, gone from memory: its children folded, the root unregistered (task TTL 0). */
    private UUID[] treeThatLeftMemory() throws InterruptedException {
        UUID root = testTask("?entity=root");
        UUID good = testTask("?parent_id=" + root + "&entity=good");
        UUID bad = testTask("?parent_id=" + root + "&entity=bad");
        server.postOk("/task_manager_test/finish_test_task/" + good);
        server.postOk("/task_manager_test/finish_test_task/" + bad + "?error=broken");
        server.postOk("/task_manager_test/finish_test_task/" + root);
        assertThat(server.taskManager().find(root)).isEmpty();
        assertThat(server.wiring.history().flush(Duration.ofSeconds(30))).isTrue();
        return new UUID[] {root, good, bad};
    }

    @Test
    void aTaskThatLeftMemoryIsFoundByIdWithItsStoredTreeMarkedAsComingFromHistory() throws Exception {
        UUID[] tree = treeThatLeftMemory();

        Map<String, Object> task = getJson("/v2/tasks/" + tree[0], 200);
        assertThat(task).containsEntry("source", "history").containsEntry("state", "done")
                .containsEntry("entity", "root");

        Map<String, Object> withTree = getJson("/v2/tasks/" + tree[0] + "?view=tree", 200);
        List<?> descendants = (List<?>) withTree.get("descendants");
        assertThat(descendants.stream().map(d -> (Object) ((Map<?, ?>) d).get("entity")).toList())
                .containsExactlyInAnyOrder("good", "bad");
        assertThat(descendants).allMatch(d -> "history".equals(((Map<?, ?>) d).get("source")));
        assertThat(descendants).filteredOn(d -> "bad".equals(((Map<?, ?>) d).get("entity")))
                .allMatch(d -> "failed".equals(((Map<?, ?>) d).get("state")));

        getJson("/v2/tasks/" + UUID.randomUUID(), 404);
    }

    @Test
    void theV2ListMergesHistoryWithLiveTasksOnceEachAndTheCompatRoutesKeepScyllaDbsSemantics() throws Exception {
        UUID[] tree = treeThatLeftMemory();
        UUID running = testTask("?entity=running");
        assertThat(server.wiring.history().flush(Duration.ofSeconds(30))).isTrue(); // stored, and live

        Map<String, Object> page = getJson("/v2/tasks?module=test", 200);
        List<?> tasks = (List<?>) page.get("tasks");
        assertThat(tasks.stream().map(t -> (Object) ((Map<?, ?>) t).get("id")).toList())
                .containsExactly(tree[0].toString(), running.toString());
        assertThat(tasks.stream().map(t -> (Object) ((Map<?, ?>) t).get("source")).toList())
                .as("the running task is stored too, and listed once, live").containsExactly("history", "live");

        HttpResponse<String> compat = server.get("/task_manager/task_status/" + tree[0]);
        assertThat(compat.statusCode()).isEqualTo(400);
        assertThat(compat.body()).contains("task with id " + tree[0] + " not found");
    }
}
