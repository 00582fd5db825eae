package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The creation-ordered index ({@link TaskLog}): appends that take no lock still hand out stamps,
 * positions and sequence numbers that agree, whatever the threads and the wall clock do; its per-slot
 * summaries never hide a matching task from a query.
 */
class TaskLogTest {
    private static final int THREADS = 8;
    private static final int ROOTS_PER_THREAD = 1_500;

    @Test
    void rootsAppendedConcurrentlyToOneShardGetEverySequenceNumberOnceInCreationOrder() throws Exception {
        FakeTime time = new FakeTime(); // frozen: every stamp after the first is raised by the index
        try (TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build()) {
            TaskModule module = tm.module("hammer");
            List<TrackedTask> roots = new CopyOnWriteArrayList<>();
            hammer(() -> {
                for (int i = 0; i < ROOTS_PER_THREAD; i++) {
                    TrackedTask root = module.task("root").track();
                    roots.add(root);
                    if (i % 3 == 0) {
                        root.child("child").track(); // children inherit their number, drawing none
                    }
                    if (i % 2 == 0) {
                        root.start();
                        root.complete(); // retained under the TTL: stays in the index
                    }
                }
            });

            tm.assertConsistent();
            List<TaskStatus> byCreation = roots.stream().map(Task::status)
                    .sorted(Comparator.comparing(TaskStatus::createdTime)).collect(Collectors.toList());
            Set<Instant> stamps = byCreation.stream().map(TaskStatus::createdTime).collect(Collectors.toSet());
            assertThat(stamps).as("no two tasks of a shard share a creation time").hasSize(roots.size());
            for (int i = 0; i < byCreation.size(); i++) {
                assertThat(byCreation.get(i).sequenceNumber()).as("the %d-th root created", i).isEqualTo(i + 1);
            }
            TaskPage page = tm.query(TaskQuery.builder().type("root").limit(TaskQuery.MAX_LIMIT).build());
            assertThat(page.tasks()).extracting(TaskStats::id)
                    .containsExactlyElementsOf(byCreation.stream().map(TaskStatus::id).limit(TaskQuery.MAX_LIMIT)
                            .collect(Collectors.toList()));
        }
    }

    @Test
    void aWallClockThatJumpsDaysAheadOrStepsBackKeepsCreationTimesIncreasingAndPagesWhole() {
        SteppedClock clock = new SteppedClock();
        FakeTime ticker = new FakeTime();
        try (TaskManager tm = TaskManager.builder().clock(clock).ticker(ticker).housekeepingInterval(Duration.ZERO)
                .build()) {
            TaskModule module = tm.module("m");
            List<UUID> created = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                if (i % 50 == 10) {
                    clock.advance(Duration.ofDays(30)); // beyond what one chunk's offsets reach
                } else if (i % 50 == 30) {
                    clock.advance(Duration.ofDays(-2)); // the system time was set back
                } else {
                    clock.advance(Duration.ofMillis(1));
                }
                created.add(module.task("t").track().id());
            }

            tm.assertConsistent();
            List<Instant> times = created.stream().map(id -> tm.find(id).orElseThrow().status().createdTime())
                    .collect(Collectors.toList());
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i)).as("task %d", i).isAfter(times.get(i - 1));
            }
            List<UUID> paged = new ArrayList<>();
            TaskQuery query = TaskQuery.builder().limit(7).build();
            TaskPage page = tm.query(query);
            paged.addAll(ids(page));
            while (page.hasNext()) {
                page = tm.query(query.withCursor(page.next()));
                paged.addAll(ids(page));
            }
            assertThat(paged).containsExactlyElementsOf(created);
            List<UUID> newestFirst = new ArrayList<>(created);
            java.util.Collections.reverse(newestFirst);
            TaskQuery descending = TaskQuery.builder().descending(true).limit(11).build();
            List<UUID> pagedBack = new ArrayList<>();
            page = tm.query(descending);
            pagedBack.addAll(ids(page));
            while (page.hasNext()) {
                page = tm.query(descending.withCursor(page.next()));
                pagedBack.addAll(ids(page));
            }
            assertThat(pagedBack).containsExactlyElementsOf(newestFirst);
        }
    }

    @Test
    void theIndexSummaryNeverHidesATaskWhoseTypeAndLabelsMatch() {
        FakeTime time = new FakeTime();
        try (TaskManager tm = time.builder().build()) {
            TaskModule module = tm.module("m");
            Set<UUID> expected = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                TaskBuilder builder = module.task("type-" + (i % 37)).userTask(i % 2 == 0);
                for (int l = 0; l < i % 5; l++) {
                    builder.label("k" + l, "v" + (i % 7));
                }
                TrackedTask task = builder.track();
                if (i % 37 == 5 && i % 2 == 0 && i % 5 >= 3 && i % 7 == 2) {
                    expected.add(task.id());
                }
            }
            TaskQuery query = TaskQuery.builder().type("type-5").userTask(true).label("k2", "v2").label("k0", "v2")
                    .limit(TaskQuery.MAX_LIMIT).build();

            assertThat(ids(tm.query(query))).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(tm.count(query)).isEqualTo(expected.size());
            assertThat(expected).isNotEmpty();
        }
    }

    private static List<UUID> ids(TaskPage page) {
        return page.tasks().stream().map(TaskStats::id).collect(Collectors.toList());
    }

    private static void hammer(Runnable work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    work.run();
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A wall clock a test moves either way. */
    private static final class SteppedClock extends Clock {
        private final AtomicLong nanos = new AtomicLong();

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }

        @Override
        public Instant instant() {
            return FakeTime.START.plusNanos(nanos.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
