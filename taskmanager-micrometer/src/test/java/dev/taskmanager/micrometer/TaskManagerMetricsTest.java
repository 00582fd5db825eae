package dev.taskmanager.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.taskmanager.FakeTime;
import dev.taskmanager.Task;
import dev.taskmanager.TaskBuilder;
import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The binder's meters after known sequences of tasks, driven by the fake clock and cleanUp(). */
class TaskManagerMetricsTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofSeconds(60)).build();
    private final TaskModule backup = tm.module("backup");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TaskManagerMetrics metrics = TaskManagerMetrics.builder(tm).build();

    @AfterEach
    void close() {
        metrics.close();
        tm.close();
    }

    private TrackedTask running(TaskBuilder builder) {
        TrackedTask task = builder.track();
        task.start();
        return task;
    }

    private double running(String module, String type) {
        Gauge gauge = registry.find(TaskManagerMetrics.RUNNING).tags("module", module, "type", type).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private double finished(String module, String type, String outcome) {
        Counter counter = registry.find(TaskManagerMetrics.FINISHED)
                .tags("module", module, "type", type, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private Timer duration(String module, String type) {
        return registry.get(TaskManagerMetrics.DURATION).tags("module", module, "type", type).timer();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    /**
     * The binder's meters, without the per-bucket gauges that this registry (not Prometheus's) adds
     * for a timer's histogram.
     */
    private List<Meter> ownMeters() {
        return registry.getMeters().stream()
                .filter(m -> !m.getId().getName().endsWith(".histogram"))
                .toList();
    }

    private static double bucket(Timer timer, Duration bound) {
        for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
            if (bucket.bucket(TimeUnit.NANOSECONDS) == bound.toNanos()) {
                return bucket.count();
            }
        }
        throw new AssertionError("no bucket at " + bound);
    }

    @Test
    void runningFinishedAndDurationFollowAKnownSequenceOfDoneFailedAndAbortedTasks() {
        metrics.bindTo(registry);

        TrackedTask quick = running(backup.task("backup"));
        TrackedTask slow = running(backup.task("backup"));
        TrackedTask verify = running(backup.task("verify"));
        assertThat(running("backup", "backup")).isEqualTo(2);
        assertThat(running("backup", "verify")).isEqualTo(1);

        time.advance(Duration.ofSeconds(30));
        quick.complete();                               // done after 30 s
        time.advance(Duration.ofMinutes(5));
        slow.fail("disk full");                         // failed after 5 min 30 s
        verify.abort("operator");
        verify.complete();                              // aborted while running
        backup.task("backup").track().abort("stop");    // aborted before it started
        backup.task("backup").track().fail("refused");  // failed without ever starting

        assertThat(running("backup", "backup")).isZero();
        assertThat(running("backup", "verify")).isZero();
        assertThat(finished("backup", "backup", "done")).isEqualTo(1);
        assertThat(finished("backup", "backup", "failed")).isEqualTo(2);
        assertThat(finished("backup", "backup", "aborted")).isEqualTo(1);
        assertThat(finished("backup", "verify", "aborted")).isEqualTo(1);
        assertThat(finished("backup", "verify", "done")).isZero();

        Timer backups = duration("backup", "backup");
        assertThat(backups.count()).as("only tasks that ran have a duration").isEqualTo(2);
        assertThat(backups.totalTime(TimeUnit.SECONDS)).isCloseTo(30 + 330, within(1e-6));
        assertThat(backups.max(TimeUnit.SECONDS)).isCloseTo(330, within(1e-6));
        assertThat(bucket(backups, Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(bucket(backups, Duration.ofMinutes(5))).isEqualTo(1);
        assertThat(bucket(backups, Duration.ofMinutes(10))).isEqualTo(2);
        assertThat(duration("backup", "verify").totalTime(TimeUnit.SECONDS)).isCloseTo(330, within(1e-6));
    }

    @Test
    void managedTasksAreCountedLikeTrackedOnes() throws Exception {
        metrics.bindTo(registry);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Task task = backup.task("copy").start(ctx -> {
            entered.countDown(); // the started event was dispatched before the body runs
            release.await();
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running("backup", "copy")).isEqualTo(1);

        // Waiters are released before listeners hear of the finish; listeners are called in the order
        // they were added, so once this one hears it, the metrics have counted it.
        CountDownLatch counted = new CountDownLatch(1);
        tm.addListener(new TaskListener() {
            @Override
            public void onFinished(TaskStatus status) {
                counted.countDown();
            }
        });
        release.countDown();
        assertThat(counted.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(running("backup", "copy")).isZero();
        assertThat(finished("backup", "copy", "done")).isEqualTo(1);
    }

    @Test
    void stalledTasksAreAGaugeAndEachStallIsCountedOnce() {
        metrics.bindTo(registry);
        backup.setStallThreshold(Duration.ofSeconds(30));
        TrackedTask quiet = running(backup.task("backup"));
        TrackedTask busy = running(backup.task("backup"));
        assertThat(gauge(TaskManagerMetrics.STALLED)).isZero();

        time.advance(Duration.ofSeconds(30));
        tm.cleanUp();
        assertThat(gauge(TaskManagerMetrics.STALLED)).isEqualTo(2);
        busy.progress().add(1);
        assertThat(gauge(TaskManagerMetrics.STALLED)).isEqualTo(1);
        time.advance(Duration.ofSeconds(30));
        tm.cleanUp();
        assertThat(gauge(TaskManagerMetrics.STALLED)).isEqualTo(2);
        quiet.complete();

        assertThat(gauge(TaskManagerMetrics.STALLED)).isEqualTo(1);
        assertThat(registry.get(TaskManagerMetrics.STALLS).tags("module", "backup", "type", "backup")
                .counter().count()).as("quiet stalled once, busy twice").isEqualTo(3);
    }

    @Test
    void retainedTasksAndExpiryLagFollowTheTtlAndHousekeeping() {
        metrics.bindTo(registry);
        running(backup.task("backup")).complete();
        running(backup.task("backup")).fail("disk full");
        running(backup.task("backup")); // still running: not retained
        assertThat(gauge(TaskManagerMetrics.RETAINED)).isEqualTo(2);
        assertThat(gauge(TaskManagerMetrics.EXPIRY_LAG)).isZero();

        time.advance(Duration.ofSeconds(90));
        assertThat(registry.get(TaskManagerMetrics.EXPIRY_LAG).timeGauge().value(TimeUnit.SECONDS))
                .as("due 30 s ago, housekeeping has not run").isEqualTo(30);
        assertThat(gauge(TaskManagerMetrics.RETAINED)).isEqualTo(2);

        tm.cleanUp();
        assertThat(gauge(TaskManagerMetrics.RETAINED)).isZero();
        assertThat(gauge(TaskManagerMetrics.EXPIRY_LAG)).isZero();
    }

    @Test
    void tenThousandTypesInOneModuleStayWithinTheCapAndAreCountedUnderOther() {
        metrics.bindTo(registry);
        for (int i = 0; i < 10_000; i++) {
            running(backup.task("type-" + i)).complete();
        }
        TrackedTask late = running(backup.task("type-9999"));

        assertThat(registry.find(TaskManagerMetrics.RUNNING).gauges())
                .hasSize(TaskManagerMetrics.DEFAULT_MAX_TYPES_PER_MODULE + 1);
        assertThat(registry.find(TaskManagerMetrics.FINISHED).counters())
                .hasSize(3 * (TaskManagerMetrics.DEFAULT_MAX_TYPES_PER_MODULE + 1));
        assertThat(ownMeters()).hasSize(6 * (TaskManagerMetrics.DEFAULT_MAX_TYPES_PER_MODULE + 1) + 3);
        assertThat(finished("backup", "type-0", "done")).isEqualTo(1);
        assertThat(finished("backup", "type-49", "done")).isEqualTo(1);
        assertThat(finished("backup", "type-50", "done")).isZero();
        assertThat(finished("backup", "other", "done")).isEqualTo(10_000 - 50);
        assertThat(running("backup", "other")).isEqualTo(1);
        late.complete();
        assertThat(running("backup", "other")).isZero();
        assertThat(registry.find(TaskManagerMetrics.FINISHED).counters().stream().mapToDouble(Counter::count).sum())
                .isEqualTo(10_001);
    }

    @Test
    void modulesBeyondTheCapAreCountedUnderOtherAndARealOtherSharesTheBucket() {
        try (TaskManagerMetrics capped = TaskManagerMetrics.builder(tm).maxModules(2).maxTypesPerModule(1).build()) {
            capped.bindTo(registry);
            running(tm.module("a").task("t")).complete();
            running(tm.module("b").task("t")).complete();
            running(tm.module("c").task("t")).complete();
            running(tm.module("d").task("u")).complete();
            running(tm.module("other").task("other")).complete();
            running(tm.module("a").task("second type")).complete();

            assertThat(finished("a", "t", "done")).isEqualTo(1);
            assertThat(finished("b", "t", "done")).isEqualTo(1);
            assertThat(finished("other", "t", "done")).isEqualTo(1);
            assertThat(finished("other", "other", "done")).as("d/u beyond the type cap of 'other', and other/other")
                    .isEqualTo(2);
            assertThat(finished("a", "other", "done")).isEqualTo(1);
            assertThat(registry.find(TaskManagerMetrics.RUNNING).gauges()).extracting(
                    g -> g.getId().getTag("module") + "/" + g.getId().getTag("type"))
                    .containsExactlyInAnyOrder("a/t", "b/t", "other/t", "other/other", "a/other");
        }
    }

    @Test
    void tasksAlreadyRunningWhenBoundAreCountedAndLeaveTheCountWhenTheyEnd() {
        TrackedTask before = running(backup.task("backup"));
        backup.task("backup").track(); // created, not running

        metrics.bindTo(registry);
        assertThat(running("backup", "backup")).isEqualTo(1);
        before.complete();

        assertThat(running("backup", "backup")).isZero();
        assertThat(finished("backup", "backup", "done")).isEqualTo(1);
    }

    @Test
    void closeRemovesTheListenerAndEveryMeter() {
        metrics.bindTo(registry);
        running(backup.task("backup")).complete();
        assertThat(registry.getMeters()).isNotEmpty();

        metrics.close();
        metrics.close();
        running(backup.task("other type")).complete();

        assertThat(registry.getMeters()).isEmpty();
        assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aBinderBindsOnce() {
        metrics.bindTo(registry);

        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already bound").hasMessageContaining("CompositeMeterRegistry");
    }

    @Test
    void theBuilderRejectsOutOfRangeSettingsNamingThem() {
        TaskManagerMetrics.Builder builder = TaskManagerMetrics.builder(tm);

        assertThatThrownBy(() -> builder.maxTypesPerModule(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTypesPerModule must be from 1 to 10000, got 0");
        assertThatThrownBy(() -> builder.maxModules(10_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxModules must be from 1 to 10000, got 10001");
        assertThatThrownBy(() -> builder.durationBuckets()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("durationBuckets must hold 1 to 50 durations, got 0");
        assertThatThrownBy(() -> builder.durationBuckets(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("durationBuckets must be positive, got PT0S");
    }

    @Test
    void customDurationBucketsBecomeTheHistogramsBounds() {
        try (TaskManagerMetrics custom = TaskManagerMetrics.builder(tm)
                .durationBuckets(Duration.ofMinutes(1), Duration.ofHours(1)).build()) {
            custom.bindTo(registry);
            TrackedTask task = running(backup.task("backup"));
            time.advance(Duration.ofMinutes(2));
            task.complete();

            CountAtBucket[] buckets = duration("backup", "backup").takeSnapshot().histogramCounts();
            assertThat(buckets).extracting(b -> b.bucket(TimeUnit.SECONDS)).containsExactly(60.0, 3600.0);
            assertThat(buckets).extracting(CountAtBucket::count).containsExactly(0.0, 1.0);
        }
    }

    @Test
    void concurrentStartsAndFinishesOfManyTypesLeaveExactCountsAndBoundedMeters() throws Exception {
        metrics.bindTo(registry);
        int threads = 8;
        int perThread = 2_000;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(CompletableFuture.runAsync(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    // a few shared types, and a fresh type every 10th task: the cap is crossed under contention
                    String type = i % 10 == 0 ? "fresh-" + thread + "-" + i : "shared-" + (i % 7);
                    TrackedTask task = running(tm.module("m" + (i % 3)).task(type));
                    if (i % 5 == 0) {
                        task.fail("no");
                    } else {
                        task.complete();
                    }
                }
            }, runnable -> new Thread(runnable).start()));
        }
        CompletableFuture.allOf(workers.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

        List<Gauge> gauges = new ArrayList<>(registry.find(TaskManagerMetrics.RUNNING).gauges());
        assertThat(gauges).allSatisfy(gauge -> assertThat(gauge.value()).isZero());
        assertThat(gauges).hasSizeLessThanOrEqualTo(3 * (TaskManagerMetrics.DEFAULT_MAX_TYPES_PER_MODULE + 1));
        double done = 0;
        double failed = 0;
        for (Counter counter : registry.find(TaskManagerMetrics.FINISHED).counters()) {
            String outcome = counter.getId().getTag("outcome");
            done += "done".equals(outcome) ? counter.count() : 0;
            failed += "failed".equals(outcome) ? counter.count() : 0;
        }
        assertThat(done + failed).isEqualTo(threads * perThread);
        assertThat(failed).isEqualTo(threads * perThread / 5);
        assertThat(registry.find(TaskManagerMetrics.DURATION).timers().stream().mapToLong(Timer::count).sum())
                .isEqualTo(threads * perThread);
        for (Meter meter : ownMeters()) {
            assertThat(meter.getId().getTags()).extracting(tag -> tag.getKey())
                    .isSubsetOf("module", "type", "outcome");
        }
    }
}
