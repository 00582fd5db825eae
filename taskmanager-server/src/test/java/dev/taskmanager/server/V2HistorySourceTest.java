package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A second ordered source (a history store, here in memory) merged into the v2 list by the cursor
 * key: one listing across both, each task once, history tasks marked {@code "source": "history"},
 * and lookups and waits that find an id no longer live.
 */
class V2HistorySourceTest {
    private final History history = new History();
    private ServerFixture f;

    @BeforeEach
    void start() {
        f = new ServerFixture(b -> b, s -> s.taskSource(history));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /**
     * An in-memory history: the statuses it was given, answered in the query's order after its
     * cursor, at most {@code pageLimit} per page (smaller than the list's, to exercise the horizon).
     */
    static final class History implements TaskSource {
        final List<TaskStatus> rows = new CopyOnWriteArrayList<>();
        volatile int pageLimit = 3;

        @Override
        public String name() {
            return TaskJson.HISTORY;
        }

        @Override
        public Page page(TaskQuery query) {
            Comparator<TaskCursor> order = TaskList.order(query);
            List<TaskStatus> matching = rows.stream()
                    .filter(s -> query.module() == null || query.module().equals(s.module()))
                    .filter(s -> query.cursor() == null || order.compare(TaskList.key(s), query.cursor()) > 0)
                    .sorted((a, b) -> order.compare(TaskList.key(a), TaskList.key(b)))
                    .collect(Collectors.toList());
            int limit = Math.min(pageLimit, query.limit());
            List<TaskStatus> page = matching.subList(0, Math.min(limit, matching.size()));
            return new Page(page, matching.size() > limit ? TaskList.key(page.get(page.size() - 1)) : null);
        }

        @Override
        public long count(TaskQuery query) {
            return rows.stream().filter(s -> query.module() == null || query.module().equals(s.module())).count();
        }

        @Override
        public Optional<TaskStatus> find(UUID id) {
            return rows.stream().filter(s -> s.id().equals(id)).findFirst();
        }
    }

    /** A finished task, moved to the history and unregistered, as a history store would. */
    private String archived(String entity) {
        TrackedTask task = f.tm.module("m").task("t").entity(entity).track();
        task.start();
        task.complete();
        history.rows.add(task.status());
        f.tm.unregister(task.id());
        f.time.advance(Duration.ofMillis(1));
        return task.id().toString();
    }

    private String live(String entity) {
        TrackedTask task = f.tm.module("m").task("t").entity(entity).track();
        task.start();
        f.time.advance(Duration.ofMillis(1));
        return task.id().toString();
    }

    private List<JsonNode> walk(String query) {
        List<JsonNode> tasks = new ArrayList<>();
        String token = "";
        do {
            ApiClient.Answer answer = f.client.get("/v2/tasks?" + query + (token.isEmpty() ? "" : "&page_token=" + token));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            answer.json().get("tasks").forEach(tasks::add);
            token = answer.json().get("next_page_token").asText();
        } while (!token.isEmpty());
        return tasks;
    }

    @Test
    void liveAndHistoryTasksAreListedTogetherInCreationOrderEachOnce() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add(i % 3 == 0 ? live("e" + i) : archived("e" + i));
        }
        for (int pageSize : new int[]{1, 2, 5, 100}) {
            List<JsonNode> tasks = walk("module=m&page_size=" + pageSize);
            assertThat(tasks.stream().map(t -> t.get("id").asText())).as("page size %d", pageSize)
                    .containsExactlyElementsOf(expected);
            for (JsonNode task : tasks) {
                boolean isLive = f.tm.find(UUID.fromString(task.get("id").asText())).isPresent();
                assertThat(task.get("source").asText()).isEqualTo(isLive ? "live" : "history");
            }
        }
        List<JsonNode> descending = walk("module=m&page_size=4&order_by=created_time%20desc");
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertThat(descending.stream().map(t -> t.get("id").asText())).containsExactlyElementsOf(reversed);
        assertThat(f.client.get("/v2/tasks?module=m").json().get("total_size").asLong()).isEqualTo(12);
    }

    @Test
    void aTaskBothLiveAndInHistoryIsListedOnceAsLive() {
        f.tm.setTaskTtl(Duration.ofMinutes(1));
        TrackedTask task = f.tm.module("m").task("t").track();
        task.start();
        task.complete();
        history.rows.add(task.status()); // written to history, still kept for its TTL
        List<JsonNode> tasks = walk("module=m&page_size=1");
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).get("source").asText()).isEqualTo("live");
    }

    @Test
    void anIdNoLongerLiveIsFoundInHistoryByLookupsAndWaits() throws Exception {
        String id = archived("gone");
        JsonNode task = f.client.get("/v2/tasks/" + id).json();
        assertThat(task.get("source").asText()).isEqualTo("history");
        assertThat(task.get("state").asText()).isEqualTo("done");
        assertThat(f.client.get("/v2/tasks/" + id + ":wait").json().get("source").asText()).isEqualTo("history");
        String running = live("still");
        JsonNode waited = f.client.send("POST", "/v2/tasks:wait",
                "{\"ids\": [\"" + running + "\", \"" + id + "\"], \"mode\": \"any\"}").json();
        assertThat(waited.get("tasks").get(1).get("source").asText()).isEqualTo("history");
        Problem.assertProblem(f.client.post("/v2/tasks/" + id + ":abort"), 409, "task-finished", "already finished");
    }
}
