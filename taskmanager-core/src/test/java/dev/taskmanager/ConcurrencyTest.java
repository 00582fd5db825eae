package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many threads released at once create, finish, abort, list and wait on tasks in shared trees; then
 * the registry's invariants must hold: nothing leaked, nothing lost, every waiter released, no task
 * in two places.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int OPERATIONS = 3_000;
    private static final int ROOTS = 6;

    @Test
    void concurrentCreateFinishAbortListAndWaitKeepTheRegistryConsistent() throws Exception {
        FakeTime time = new FakeTime();
        try (TaskManager tm = time.builder().shards(4).taskTtl(Duration.ofMinutes(1)).build()) {
            TaskModule module = tm.module("hammer");
            List<TrackedTask> roots = new ArrayList<>();
            for (int i = 0; i < ROOTS; i++) {
                TrackedTask root = module.task("root").shard(i % 4).abortable().track();
                root.start();
                roots.add(root);
            }
            List<TrackedTask> created = new CopyOnWriteArrayList<>();
            Map<UUID, AtomicInteger> directChildren = new ConcurrentHashMap<>();
            List<CompletableFuture<TaskStatus>> waiters = new CopyOnWriteArrayList<>();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    hammer(tm, module, roots, created, directChildren, waiters);
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            tm.assertConsistent();

            // Finish everything: leaves and parents in any order; parents fold once their children do.
            for (TrackedTask task : created) {
                task.complete();
            }
            for (TrackedTask root : roots) {
                root.complete();
            }
            tm.assertConsistent();

            assertThat(waiters).allMatch(CompletableFuture::isDone);
            assertThat(tm.registeredCount()).as("only the retained roots remain").isEqualTo(ROOTS);
            for (TrackedTask root : roots) {
                List<UUID> children = root.status().children();
                assertThat(new HashSet<>(children)).hasSameSizeAs(children);
                AtomicInteger expected = directChildren.get(root.id());
                assertThat(children).hasSize(expected == null ? 0 : expected.get());
                List<UUID> tree = root.statusRecursive().stream().map(TaskStatus::id).collect(Collectors.toList());
                assertThat(new HashSet<>(tree)).as("no task in two places").hasSameSizeAs(tree);
            }
            Set<UUID> everyId = created.stream().map(Task::id).collect(Collectors.toSet());
            assertThat(everyId).hasSameSizeAs(created);

            time.advance(Duration.ofMinutes(1));
            tm.cleanUp();
            assertThat(tm.registeredCount()).as("nothing leaked").isZero();
        }
    }

    private static void hammer(TaskManager tm, TaskModule module, List<TrackedTask> roots, List<TrackedTask> created,
                               Map<UUID, AtomicInteger> directChildren, List<CompletableFuture<TaskStatus>> waiters) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<TrackedTask> mine = new ArrayList<>();
        for (int op = 0; op < OPERATIONS; op++) {
            int choice = random.nextInt(100);
            if (choice < 40) {
                TrackedTask parent = !mine.isEmpty() && random.nextBoolean()
                        ? mine.get(random.nextInt(mine.size())) : roots.get(random.nextInt(roots.size()));
                try {
                    TrackedTask child = parent.child("child").shard(random.nextInt(4)).track();
                    child.start();
                    mine.add(child);
                    created.add(child);
                    if (roots.contains(parent)) {
                        directChildren.computeIfAbsent(parent.id(), id -> new AtomicInteger()).incrementAndGet();
                    }
                } catch (IllegalArgumentException parentFolded) {
                    // the parent finished and folded meanwhile: refusing the child is correct
                    assertThat(parent.state().isTerminal()).isTrue();
                }
            } else if (choice < 65 && !mine.isEmpty()) {
                TrackedTask task = mine.get(random.nextInt(mine.size()));
                if (random.nextBoolean()) {
                    task.complete();
                } else {
                    task.fail("random failure");
                }
            } else if (choice < 67) {
                roots.get(random.nextInt(roots.size())).abort("hammer");
            } else if (choice < 80) {
                List<UUID> listed = module.tasks(TaskFilter.DEFAULT.withInternal(true))
                        .map(TaskStats::id).collect(Collectors.toList());
                assertThat(new HashSet<>(listed)).hasSameSizeAs(listed);
                List<UUID> queried = tm.query(TaskQuery.builder().includeInternal(true).limit(500).build()).tasks()
                        .stream().map(TaskStats::id).collect(Collectors.toList());
                assertThat(new HashSet<>(queried)).hasSameSizeAs(queried);
            } else if (choice < 90 && !mine.isEmpty()) {
                waiters.add(mine.get(random.nextInt(mine.size())).done());
            } else {
                TrackedTask root = roots.get(random.nextInt(roots.size()));
                tm.find(root.id()).orElseThrow().statusRecursive();
            }
        }
    }
}
