package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read-only accessors a metrics binder needs: retained count, expiry lag, stalled count, the
 * task's type without a snapshot, and whether a finished task had started.
 */
class HealthReadingsTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofSeconds(60)).build();
    private final TaskModule module = tm.module("backup");

    @AfterEach
    void close() {
        tm.close();
    }

    private TrackedTask running(TaskBuilder builder) {
        TrackedTask task = builder.track();
        task.start();
        return task;
    }

    @Test
    void retainedCountCountsFinishedRootsWaitingForTheirTtlAndNothingRemovedAtOnce() {
        TrackedTask root = running(module.task("backup"));
        TrackedTask child = running(root.child("file"));
        running(module.task("backup").internal(true)).complete();
        assertThat(tm.retainedCount()).isZero();

        child.complete(); // folds into its parent: never retained
        assertThat(tm.retainedCount()).isZero();
        root.complete();
        running(module.task("backup")).fail("disk full");
        assertThat(tm.retainedCount()).isEqualTo(2);

        tm.setTaskTtl(Duration.ZERO);
        running(module.task("backup")).complete(); // TTL 0: unregistered at once
        assertThat(tm.retainedCount()).isEqualTo(2);

        time.advance(Duration.ofSeconds(60));
        assertThat(tm.retainedCount()).as("past the deadline but not removed yet").isEqualTo(2);
        tm.cleanUp();
        assertThat(tm.retainedCount()).isZero();
    }

    @Test
    void expiryLagIsHowFarPastItsDeadlineTheMostOverdueRetainedTaskIs() {
        assertThat(tm.expiryLag()).isZero();
        running(module.task("backup")).complete();          // deadline at 60 s
        time.advance(Duration.ofSeconds(10));
        tm.setTaskTtl(Duration.ofSeconds(20));
        running(module.task("backup")).complete();          // deadline at 30 s, in another lane
        assertThat(tm.expiryLag()).isZero();

        time.advance(Duration.ofSeconds(25));               // now 35 s: only the second is due
        assertThat(tm.expiryLag()).isEqualTo(Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(40));               // now 75 s: the first is 15 s over, the second 45 s
        assertThat(tm.expiryLag()).isEqualTo(Duration.ofSeconds(45));

        tm.cleanUp();
        assertThat(tm.expiryLag()).isZero();
    }

    @Test
    void stalledCountCountsRunningTasksMarkedStalledUntilTheyRecoverOrEnd() {
        module.setStallThreshold(Duration.ofSeconds(30));
        TrackedTask quiet = running(module.task("backup"));
        TrackedTask busy = running(module.task("backup"));
        TrackedTask ending = running(module.task("backup"));
        assertThat(tm.stalledCount()).isZero();

        time.advance(Duration.ofSeconds(30));
        tm.cleanUp();
        assertThat(tm.stalledCount()).isEqualTo(3);

        busy.progress().add(1);
        assertThat(tm.stalledCount()).isEqualTo(2);
        ending.complete();
        assertThat(tm.stalledCount()).isEqualTo(1);
        assertThat(quiet.status().stalled()).isTrue();
    }

    @Test
    void typeIsReadFromTheHandleWithoutASnapshot() {
        TrackedTask task = module.task("verify").track();

        assertThat(task.type()).isEqualTo("verify");
        assertThat(task.type()).isEqualTo(task.stats().type());
    }

    @Test
    void finishedEventsSayWhetherTheTaskHadStarted() {
        List<String> events = new CopyOnWriteArrayList<>();
        tm.addListener(new TaskListener() {
            @Override
            public void onFinished(TaskStatus status, boolean started) {
                events.add(status.entity() + " started=" + started + " aborted=" + status.aborted());
            }
        });

        running(module.task("backup").entity("ran")).complete();
        module.task("backup").entity("never started").track().fail("gave up");
        module.task("backup").entity("aborted before start").track().abort("stop");
        TrackedTask abortedWhileRunning = running(module.task("backup").entity("aborted while running"));
        abortedWhileRunning.abort("stop");
        abortedWhileRunning.complete();

        assertThat(events).containsExactly("ran started=true aborted=false",
                "never started started=false aborted=false",
                "aborted before start started=false aborted=true",
                "aborted while running started=true aborted=true");
    }

    @Test
    void aListenerOfTheOneArgumentFinishedEventStillHearsEveryFinish() {
        List<String> events = new CopyOnWriteArrayList<>();
        tm.addListener(new TaskListener() {
            @Override
            public void onFinished(TaskStatus status) {
                events.add(status.state().wireName());
            }
        });

        running(module.task("backup")).complete();
        module.task("backup").track().abort();

        assertThat(events).containsExactly("done", "failed");
    }

    @Test
    void aManagedTaskAbortedBeforeItsExecutorRunsItFinishesUnstarted() throws Exception {
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        try (TaskManager manager = time.builder().executor(queued::add).build()) {
            List<Boolean> started = new CopyOnWriteArrayList<>();
            manager.addListener(new TaskListener() {
                @Override
                public void onFinished(TaskStatus status, boolean wasStarted) {
                    started.add(wasStarted);
                }
            });
            Task task = manager.module("m").task("t").start(ctx -> {
            });
            task.abort("stop");
            queued.forEach(Runnable::run);

            assertThat(task.state()).isEqualTo(TaskState.FAILED);
            assertThat(started).containsExactly(false);
        }
    }
}
