package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Paging stays stable while tasks come and go (docs/spec.md §22): threads create, start, finish,
 * fold, drain and expire tasks across modules and shards while a reader pages through everything
 * again and again, in both orders and directions, with random page sizes. Every task that was
 * registered for the whole of a scan must be seen by it exactly once, and no scan may return a task
 * twice.
 */
class PaginationHammerTest {
    private static final int SHARDS = 4;
    private static final int STABLE = 3_000;
    private static final int CHURN_THREADS = 3;
    private static final int SCANS = 24;

    @Test
    void aTaskThatLivesThroughoutAScanIsSeenExactlyOnceWhileOthersComeAndGo() throws Exception {
        FakeTime time = new FakeTime();
        try (TaskManager tm = time.builder().shards(SHARDS).taskTtl(Duration.ofMillis(5)).build()) {
            List<TaskModule> modules = List.of(tm.module("a"), tm.module("b"), tm.module("c"));
            Set<UUID> stable = new HashSet<>();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            // Stable tasks interleaved with tasks that are gone before the scans begin, so the logs
            // have holes and dropped chunks from the start.
            for (int i = 0; i < STABLE; i++) {
                TaskModule module = modules.get(random.nextInt(modules.size()));
                TrackedTask task = module.task("stable").shard(random.nextInt(SHARDS)).track();
                task.start();
                stable.add(task.id());
                for (int j = random.nextInt(3); j > 0; j--) {
                    TrackedTask gone = module.task("gone").shard(random.nextInt(SHARDS)).internal(true).track();
                    gone.complete();
                }
                if (i % 100 == 0) {
                    time.advance(Duration.ofMillis(1));
                }
            }

            AtomicBoolean churning = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(CHURN_THREADS + 2);
            CyclicBarrier go = new CyclicBarrier(CHURN_THREADS + 2);
            List<Future<?>> churn = new ArrayList<>();
            for (int t = 0; t < CHURN_THREADS; t++) {
                churn.add(pool.submit(() -> {
                    go.await();
                    churn(tm, modules, churning);
                    return null;
                }));
            }
            churn.add(pool.submit(() -> {
                go.await();
                while (churning.get()) {
                    time.advance(Duration.ofMillis(1));
                    tm.cleanUp();
                    if (ThreadLocalRandom.current().nextInt(50) == 0) {
                        modules.get(ThreadLocalRandom.current().nextInt(modules.size())).drain();
                    }
                }
                return null;
            }));
            Future<Integer> reader = pool.submit(() -> {
                go.await();
                int scans = 0;
                for (; scans < SCANS; scans++) {
                    TaskQuery.Order order = scans % 3 == 2 ? TaskQuery.Order.SEQUENCE : TaskQuery.Order.CREATED;
                    TaskQuery query = TaskQuery.builder().includeInternal(true).order(order)
                            .descending(scans % 2 == 1).limit(1 + ThreadLocalRandom.current().nextInt(400)).build();
                    assertSeenExactlyOnce(tm, query, stable);
                }
                return scans;
            });
            assertThat(reader.get(120, TimeUnit.SECONDS)).isEqualTo(SCANS);
            churning.set(false);
            for (Future<?> f : churn) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            tm.assertConsistent();
            for (UUID id : stable) {
                assertThat(tm.find(id)).isPresent();
            }
        }
    }

    private static void assertSeenExactlyOnce(TaskManager tm, TaskQuery query, Set<UUID> stable) {
        Map<UUID, Integer> seen = new HashMap<>();
        TaskPage page = tm.query(query);
        while (true) {
            for (TaskStats task : page.tasks()) {
                seen.merge(task.id(), 1, Integer::sum);
            }
            if (!page.hasNext()) {
                break;
            }
            page = tm.query(query.withCursor(page.next()));
        }
        seen.forEach((id, times) -> assertThat(times).as("task %s returned %s times by %s", id, times, query)
                .isEqualTo(1));
        Set<UUID> missed = new HashSet<>(stable);
        missed.removeAll(seen.keySet());
        assertThat(missed).as("stable tasks missed by %s", query).isEmpty();
    }

    /** Creates roots and children, starts, finishes and fails them, until told to stop. */
    private static void churn(TaskManager tm, List<TaskModule> modules, AtomicBoolean churning) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<TrackedTask> mine = new ArrayList<>();
        while (churning.get()) {
            int choice = random.nextInt(10);
            if (choice < 4 || mine.isEmpty()) {
                TaskModule module = modules.get(random.nextInt(modules.size()));
                TrackedTask task;
                if (!mine.isEmpty() && random.nextBoolean()) {
                    try {
                        task = mine.get(random.nextInt(mine.size())).child("churn").shard(random.nextInt(SHARDS))
                                .track();
                    } catch (IllegalArgumentException parentGone) {
                        continue;
                    }
                } else {
                    task = module.task("churn").shard(random.nextInt(SHARDS)).track();
                }
                task.start();
                mine.add(task);
            } else {
                TrackedTask task = mine.remove(random.nextInt(mine.size()));
                if (random.nextBoolean()) {
                    task.complete();
                } else {
                    task.fail("churn");
                }
            }
            if (mine.size() > 200) {
                mine.remove(0).complete();
            }
        }
        mine.forEach(TrackedTask::complete);
    }
}
