package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paging through {@code GET /v2/tasks} over HTTP while other threads create, finish, abort and
 * unregister tasks: every task that lived throughout the paging session is seen exactly once, no task
 * is seen twice, and every page is in order. The churn threads are released together with the pager
 * by a barrier and run until it has walked the whole listing.
 */
class V2ListChurnTest extends ApiTestBase {
    private static final int STABLE = 1500;
    private static final int DOOMED = 1500;
    private static final int CREATED = 1500;
    private static final int CHURNERS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"created_time", "created_time%20desc", "sequence_number"})
    void everyTaskThatLivedThroughoutIsSeenExactlyOnce(String orderBy) throws Exception {
        TaskModule module = f.tm.module("churn");
        Set<String> stable = new HashSet<>();
        List<TrackedTask> doomed = new ArrayList<>();
        for (int i = 0; i < STABLE + DOOMED; i++) {
            TrackedTask task = module.task("t").sequenceNumber(i % 97).abortable().track();
            task.start();
            if (i % 2 == 0) {
                stable.add(task.id().toString());
            } else {
                doomed.add(task);
            }
        }
        ConcurrentLinkedQueue<TrackedTask> toKill = new ConcurrentLinkedQueue<>(doomed);
        AtomicBoolean paging = new AtomicBoolean(true);
        CyclicBarrier start = new CyclicBarrier(CHURNERS + 1);
        ExecutorService threads = Executors.newFixedThreadPool(CHURNERS);
        List<Future<Integer>> churners = new ArrayList<>();
        for (int c = 0; c < CHURNERS; c++) {
            int kind = c;
            churners.add(threads.submit(() -> {
                start.await();
                int changes = 0;
                while (paging.get()) {
                    if (kind == 0) { // new tasks, anywhere in sequence order, at the end in creation order
                        if (changes == CREATED) {
                            Thread.onSpinWait(); // bounded, or a pager in creation order would never reach the end
                            continue;
                        }
                        module.task("t").sequenceNumber(changes % 97).track().start();
                    } else {
                        TrackedTask task = toKill.poll();
                        if (task == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        if (kind == 1) {
                            task.complete();
                        } else {
                            task.abort("churn", "test");
                            task.complete();
                        }
                        f.tm.unregister(task.id());
                    }
                    changes++;
                }
                return changes;
            }));
        }

        List<String> seen = new ArrayList<>();
        start.await();
        String token = "";
        String previousKey = null;
        int pages = 0;
        do {
            ApiClient.Answer answer = client.get("/v2/tasks?module=churn&page_size=37&order_by=" + orderBy
                    + (token.isEmpty() ? "" : "&page_token=" + token));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            for (JsonNode task : answer.json().get("tasks")) {
                String key = key(task, orderBy);
                if (previousKey != null) {
                    int cmp = key.compareTo(previousKey);
                    assertThat(orderBy.endsWith("desc") ? -cmp : cmp).as("in order: %s after %s", key, previousKey)
                            .isPositive();
                }
                previousKey = key;
                seen.add(task.get("id").asText());
            }
            token = answer.json().get("next_page_token").asText();
            pages++;
        } while (!token.isEmpty());
        paging.set(false);
        int changes = 0;
        for (Future<Integer> churner : churners) {
            changes += churner.get(30, TimeUnit.SECONDS);
        }
        threads.shutdownNow();

        assertThat(new HashSet<>(seen)).as("no task twice").hasSize(seen.size());
        Set<String> missing = new HashSet<>(stable);
        missing.removeAll(seen);
        assertThat(missing).as("stable tasks not seen").isEmpty();
        assertThat(changes).as("churn happened during %d pages", pages).isGreaterThan(0);
        f.tm.module("churn").drain();
    }

    /** The ordering key as sortable text: times are fixed-width, sequence numbers padded. */
    private static String key(JsonNode task, String orderBy) {
        String created = task.get("created_time").asText() + " " + UUID.fromString(task.get("id").asText());
        return orderBy.startsWith("sequence")
                ? String.format("%019d", task.get("sequence_number").asLong()) + " " + created : created;
    }
}
