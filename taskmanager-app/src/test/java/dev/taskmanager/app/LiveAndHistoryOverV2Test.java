package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TrackedTask;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code serve}'s default store records every task while it is still in memory, and the v2 list
 * merges memory with history: each task is listed once and counted once in {@code total_size},
 * whichever side of the live/history boundary it is on, also while tasks cross it.
 */
class LiveAndHistoryOverV2Test {
    private AppServer server;
    private TaskManager tm;

    @BeforeEach
    void start() throws Exception {
        server = AppServer.start(List.of(), "--task-ttl-in-seconds", "3600", "--user-task-ttl-in-seconds", "3600");
        tm = server.taskManager();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One page of the list: its tasks' ids with their source, in order, and its total and next token. */
    private record Page(List<Map.Entry<UUID, String>> tasks, long totalSize, String next) {
    }

    private Page page(String query) {
        HttpResponse<String> answer = server.get("/v2/tasks?" + query);
        assertThat(answer.statusCode()).as("GET /v2/tasks?%s: %s", query, answer.body()).isEqualTo(200);
        Map<?, ?> json = (Map<?, ?>) ServerProcess.json(answer.body());
        List<Map.Entry<UUID, String>> tasks = new ArrayList<>();
        for (Object o : (List<?>) json.get("tasks")) {
            Map<?, ?> task = (Map<?, ?>) o;
            tasks.add(Map.entry(UUID.fromString((String) task.get("id")), (String) task.get("source")));
        }
        return new Page(tasks, ((Number) json.get("total_size")).longValue(), (String) json.get("next_page_token"));
    }

    /**
     * Every page of the module's list, internal tasks (children) included, {@code pageSize} at a time: each task's source by id, failing
     * on a task listed twice in the walk; and the total of each page.
     */
    private Map<UUID, String> walk(String module, int pageSize, List<Long> totals) {
        Map<UUID, String> listed = new HashMap<>();
        String token = "";
        do {
            Page page = page("module=" + module + "&internal=true&page_size=" + pageSize + "&page_token=" + token);
            for (Map.Entry<UUID, String> task : page.tasks()) {
                assertThat(listed.put(task.getKey(), task.getValue())).as("listed twice: %s", task.getKey()).isNull();
            }
            totals.add(page.totalSize());
            token = page.next();
        } while (!token.isEmpty());
        return listed;
    }

    private void flush() throws InterruptedException {
        assertThat(server.wiring.history().flush(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void aWalkAcrossLiveAndStoredTasksListsAndCountsEachOnce() throws Exception {
        Map<UUID, String> expected = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            TrackedTask task = tm.module("mixed").task("t").track();
            task.start();
            if (i % 3 == 0) {
                task.complete();
                flush(); // stored while in memory, then it leaves
                assertThat(tm.unregister(task.id())).isTrue();
                expected.put(task.id(), "history");
            } else if (i % 3 == 1) {
                task.complete(); // finished, kept in memory for its TTL
                expected.put(task.id(), "live");
            } else {
                expected.put(task.id(), "live"); // running
            }
        }
        flush(); // every task is in the store now, the live ones too

        List<Long> totals = new ArrayList<>();
        Map<UUID, String> listed = walk("mixed", 5, totals);

        assertThat(listed).isEqualTo(expected);
        assertThat(totals).as("total_size of each page").hasSize(3).containsOnly(12L);
    }

    @Test
    void whileTasksLeaveMemoryNoWalkListsOneTwiceAndOnceQuietEachIsListedAndCountedOnce() throws Exception {
        int workers = 4;
        int perWorker = 60;
        Set<UUID> all = ConcurrentHashMap.newKeySet();
        List<List<TrackedTask>> work = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<TrackedTask> mine = new ArrayList<>();
            for (int i = 0; i < perWorker; i++) {
                TrackedTask task = tm.module("hammer").task("t").track();
                task.start();
                mine.add(task);
                all.add(task.id());
                if (i % 5 == 0) {
                    TrackedTask child = task.child("c").track(); // folds into its parent when it ends
                    child.start();
                    mine.add(child);
                    all.add(child.id());
                }
            }
            work.add(mine);
        }
        flush(); // stored while in memory

        CyclicBarrier go = new CyclicBarrier(workers + 1);
        AtomicBoolean working = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        int walks;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<TrackedTask> mine : work) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = mine.size() - 1; i >= 0; i--) { // children first: they fold
                        TrackedTask task = mine.get(i);
                        task.complete();
                        if (i % 2 == 0) {
                            tm.unregister(task.id()); // leaves memory at once; the others stay for their TTL
                        }
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                go.await();
                int count = 0;
                do {
                    walk("hammer", 7, new ArrayList<>()); // fails on a task listed twice
                    count++;
                } while (working.get());
                return count;
            });
            for (Future<?> f : done) {
                f.get();
            }
            working.set(false);
            walks = reader.get();
        } finally {
            pool.shutdown();
        }
        flush(); // quiescence: every departure written

        List<Long> totals = new ArrayList<>();
        Map<UUID, String> listed = walk("hammer", 7, totals);

        assertThat(walks).isPositive();
        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(totals).containsOnly((long) all.size());
        assertThat(listed.values()).contains("live", "history");
        assertThat(page("module=hammer&internal=true&page_size=1").totalSize()).isEqualTo(all.size());
    }
}
