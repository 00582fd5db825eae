package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: retention with both TTLs. */
class RetentionTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofSeconds(10))
            .userTaskTtl(Duration.ofSeconds(100)).build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    private TrackedTask finishedRoot(boolean userTask) {
        TrackedTask task = module.task("repair").userTask(userTask).track();
        task.start();
        task.complete();
        return task;
    }

    @Test
    void aRootIsKeptForTaskTtlAfterItFinishes() {
        TrackedTask task = finishedRoot(false);

        time.advance(Duration.ofSeconds(10).minusNanos(1));
        tm.cleanUp();
        assertThat(tm.find(task.id())).isPresent();

        time.advance(Duration.ofNanos(1));
        assertThat(tm.find(task.id())).as("a lookup at the deadline finds nothing, even before housekeeping")
                .isEmpty();
    }

    @Test
    void housekeepingUnregistersExpiredTasks() {
        TrackedTask task = finishedRoot(false);
        TaskStatus[] gone = new TaskStatus[1];
        tm.addListener(new TaskListener() {
            @Override
            public void onUnregistered(Task t) {
                gone[0] = t.status();
            }
        });
        time.advance(Duration.ofSeconds(10));

        assertThat(tm.cleanUp()).isEqualTo(1);
        assertThat(gone[0].id()).isEqualTo(task.id());
        assertThat(module.tasks()).isEmpty();
    }

    @Test
    void aUserTaskIsKeptForUserTaskTtl() {
        TrackedTask task = finishedRoot(true);

        time.advance(Duration.ofSeconds(99));
        tm.cleanUp();
        assertThat(tm.find(task.id())).isPresent();
        time.advance(Duration.ofSeconds(1));
        tm.cleanUp();
        assertThat(tm.find(task.id())).isEmpty();
    }

    @Test
    void changingTheTtlDoesNotMoveDeadlinesAlreadySet() {
        TrackedTask before = finishedRoot(false);
        assertThat(tm.setTaskTtl(Duration.ofSeconds(1000))).isEqualTo(Duration.ofSeconds(10));
        TrackedTask after = finishedRoot(false);

        time.advance(Duration.ofSeconds(10));
        tm.cleanUp();

        assertThat(tm.find(before.id())).isEmpty();
        assertThat(tm.find(after.id())).isPresent();
        time.advance(Duration.ofSeconds(990));
        tm.cleanUp();
        assertThat(tm.find(after.id())).isEmpty();
    }

    @Test
    void shorteningTheTtlExpiresNewTasksBeforeOlderOnes() {
        TrackedTask older = finishedRoot(false);
        tm.setTaskTtl(Duration.ofSeconds(1));
        TrackedTask newer = finishedRoot(false);

        time.advance(Duration.ofSeconds(1));
        tm.cleanUp();

        assertThat(tm.find(newer.id())).isEmpty();
        assertThat(tm.find(older.id())).isPresent();
    }

    @Test
    void ttlZeroUnregistersRightAfterCompletionButAWaiterStillGetsTheFinalStatus() throws Exception {
        tm.setTaskTtl(Duration.ZERO);
        TrackedTask task = module.task("repair").track();
        task.start();
        CompletableFuture<TaskStatus> waiter = task.done();

        task.fail("boom");

        assertThat(tm.find(task.id())).isEmpty();
        assertThat(waiter.get().state()).isEqualTo(TaskState.FAILED);
        assertThat(waiter.get().error()).isEqualTo("boom");
    }

    @Test
    void anInternalRootIsUnregisteredImmediately() {
        TrackedTask task = module.task("repair").internal(true).track();
        task.start();
        task.complete();

        assertThat(tm.find(task.id())).isEmpty();
    }

    @Test
    void readingATaskNeverUnregistersIt() {
        TrackedTask task = finishedRoot(false);

        tm.status(task.id());
        tm.statusRecursive(task.id());
        task.done();
        module.tasks().count();

        assertThat(tm.find(task.id())).isPresent();
    }

    @Test
    void seedModeUnregistersAFinishedTaskOnStatusRead() {
        try (TaskManager seed = new FakeTime().builder().taskTtl(Duration.ofHours(1))
                .unregisterFinishedOnRead(true).build()) {
            TrackedTask running = seed.module("m").task("t").track();
            running.start();
            TrackedTask finished = seed.module("m").task("t").track();
            finished.start();
            finished.complete();

            assertThat(seed.status(running.id())).isPresent();
            assertThat(seed.status(running.id())).as("a running task survives reads").isPresent();
            assertThat(seed.status(finished.id())).isPresent();
            assertThat(seed.status(finished.id())).as("one-shot read").isEmpty();
        }
    }

    @Test
    void drainUnregistersCompleteTasksOnlyIncludingInternalOnes() {
        TrackedTask done = finishedRoot(false);
        TrackedTask running = module.task("repair").track();
        running.start();
        TrackedTask internalParent = running.child("repair").track();
        internalParent.start();
        TrackedTask child = internalParent.child("r").track();
        child.start();
        internalParent.complete(); // complete, but waits for its child before folding: stays registered

        assertThat(module.drain()).isEqualTo(2);

        assertThat(tm.find(done.id())).isEmpty();
        assertThat(tm.find(internalParent.id())).isEmpty();
        assertThat(tm.find(running.id())).isPresent();
        assertThat(tm.find(child.id())).isPresent();
    }

    @Test
    void cleanUpCountsOnlyTasksItRemovedItself() {
        TrackedTask lookedUp = finishedRoot(false);
        finishedRoot(false);
        time.advance(Duration.ofSeconds(10));

        assertThat(tm.find(lookedUp.id())).isEmpty(); // lazy expiry removes it first

        assertThat(tm.cleanUp()).isEqualTo(1);
    }

    @Test
    void oneFinishedTaskCanBeUnregisteredRegardlessOfTtlButARunningOneCannot() {
        TrackedTask finished = finishedRoot(true);
        TrackedTask other = finishedRoot(true);
        TrackedTask running = module.task("repair").track();
        running.start();

        assertThat(tm.unregister(finished.id())).isTrue();
        assertThat(tm.unregister(finished.id())).isFalse();
        assertThat(tm.unregister(running.id())).isFalse();
        assertThat(tm.find(finished.id())).isEmpty();
        assertThat(tm.find(other.id())).isPresent();
        assertThat(tm.find(running.id())).isPresent();
    }

    @Test
    void negativeTtlsAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tm.setTaskTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskTtl");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tm.setUserTaskTtl(Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userTaskTtl");
        assertThat(tm.taskTtl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aMillionRetainedTasksExpireInOnePassWithoutATimerEach() {
        int count = 1_000_000;
        for (int i = 0; i < count; i++) {
            finishedRoot(false);
        }
        assertThat(tm.expiryQueued()).isEqualTo(count);

        time.advance(Duration.ofSeconds(10));

        assertThat(tm.cleanUp()).isEqualTo(count);
        assertThat(module.tasks()).isEmpty();
    }

    /** Regression: drained tasks stayed referenced by their expiry lane until their TTL deadline (issue 11). */
    @Test
    void tasksThatLeaveEarlyAreUnlinkedFromTheirExpiryLane() {
        TrackedTask drained = finishedRoot(false);
        TrackedTask removed = finishedRoot(true);
        TrackedTask kept = finishedRoot(false);
        assertThat(tm.expiryQueued()).isEqualTo(3);
        java.lang.ref.WeakReference<TrackedTask> drainedRef = new java.lang.ref.WeakReference<>(drained);

        tm.unregister(removed.id());
        assertThat(tm.expiryQueued()).isEqualTo(2);
        kept.abort(); // a no-op on a finished task: it stays queued
        module.drain();
        assertThat(tm.expiryQueued()).isZero();
        assertThat(tm.expiryLanes()).as("emptied lanes are removed").isZero();

        drained = null;
        for (int i = 0; i < 20 && drainedRef.get() != null; i++) {
            System.gc();
        }
        assertThat(drainedRef.get()).as("nothing in the engine keeps a drained task").isNull();
    }

    /** Regression: one expiry lane per distinct TTL value was never removed (issue 11). */
    @Test
    void lanesOfPastTtlValuesAreRemovedOnceTheyEmpty() {
        for (int i = 1; i <= 1000; i++) {
            tm.setTaskTtl(Duration.ofMillis(i));
            finishedRoot(false);
        }
        assertThat(tm.expiryLanes()).isEqualTo(1000);

        time.advance(Duration.ofMillis(500));
        tm.cleanUp();
        assertThat(tm.expiryLanes()).isEqualTo(500);
        time.advance(Duration.ofMillis(500));
        tm.cleanUp();

        assertThat(tm.expiryLanes()).isZero();
        assertThat(tm.expiryQueued()).isZero();
        finishedRoot(false);
        assertThat(tm.expiryLanes()).as("a retired lane's TTL gets a fresh lane").isEqualTo(1);
    }

    @Test
    void schedulingRacingWithLaneRetirementLosesNoTask() throws Exception {
        tm.setTaskTtl(Duration.ofNanos(1));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(3);
            java.util.concurrent.atomic.AtomicBoolean finishing = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (int w = 0; w < 2; w++) {
                work.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 20_000; i++) {
                        finishedRoot(false);
                    }
                    return null;
                }));
            }
            java.util.concurrent.Future<?> housekeeping = threads.submit(() -> {
                go.await();
                while (finishing.get()) {
                    time.advance(Duration.ofNanos(1));
                    tm.cleanUp();
                }
                return null;
            });
            for (java.util.concurrent.Future<?> f : work) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            finishing.set(false);
            housekeeping.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        time.advance(Duration.ofSeconds(1));
        tm.cleanUp();

        assertThat(tm.registeredCount()).as("every task found its lane and expired").isZero();
        assertThat(tm.expiryQueued()).isZero();
        assertThat(tm.expiryLanes()).isZero();
    }

    @Test
    void theIndexReleasesItsEmptiedChunks() {
        tm.setTaskTtl(Duration.ZERO);
        TrackedTask survivor = module.task("repair").track();
        for (int i = 0; i < 10_000; i++) {
            finishedRoot(false);
        }
        TrackedTask last = module.task("repair").track();
        int chunks = 0;
        for (TaskLog log : module.logs()) {
            chunks += log.chunkCount();
        }
        assertThat(chunks).as("appends sweep as they go").isLessThan(20);

        tm.cleanUp();

        int left = 0;
        for (TaskLog log : module.logs()) {
            left += log.chunkCount();
        }
        assertThat(left).as("the survivor's chunk and the tail").isEqualTo(2);
        assertThat(module.tasks()).extracting(TaskStats::id).containsExactly(survivor.id(), last.id());
        tm.assertConsistent();
    }
}
