package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Waiting on a task: a future, no thread per waiter. */
class WaitTest {
    private final TaskManager tm = new FakeTime().builder().build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void aWaiterIsReleasedWithTheFinalStatusWhenTheTaskCompletes() throws Exception {
        TrackedTask task = module.task("repair").track();
        task.start();
        CompletableFuture<TaskStatus> waiter = task.done();
        assertThat(waiter).isNotDone();

        task.complete();

        assertThat(waiter.get().state()).isEqualTo(TaskState.DONE);
        assertThat(waiter.get().endTime()).isNotNull();
    }

    @Test
    void waitingOnACompleteTaskReturnsAtOnce() throws Exception {
        TrackedTask task = module.task("repair").track();
        task.start();
        task.fail("boom");

        assertThat(task.await(Duration.ZERO).state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void waitingWithATimeoutOnARunningTaskTimesOut() {
        TrackedTask task = module.task("repair").track();
        task.start();

        assertThatThrownBy(() -> task.await(Duration.ofMillis(1))).isInstanceOf(TimeoutException.class);
    }

    @Test
    void anAbsurdlyLongTimeoutIsAcceptedAsForever() throws Exception {
        TrackedTask task = module.task("repair").track();
        task.start();
        task.complete();

        assertThat(task.await(Duration.ofSeconds(Long.MAX_VALUE)).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void cancellingOneWaiterDoesNotAffectTheOthers() throws Exception {
        TrackedTask task = module.task("repair").track();
        task.start();
        CompletableFuture<TaskStatus> impatient = task.done();
        CompletableFuture<TaskStatus> patient = task.done();

        impatient.cancel(true);
        task.complete();

        assertThat(patient.get().state()).isEqualTo(TaskState.DONE);
        assertThat(task.done().get().state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void manyWaitersAreAllReleased() {
        TrackedTask task = module.task("repair").track();
        task.start();
        CompletableFuture<?>[] waiters = new CompletableFuture<?>[10_000];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = task.done();
        }

        task.complete();

        assertThat(CompletableFuture.allOf(waiters)).isCompleted();
    }

    /** Regression: each timed-out wait_task left its cancelled future attached until the task ended (issue 11). */
    @Test
    void aHundredThousandAbandonedWaitsLeaveNothingAttachedToARunningTask() throws Exception {
        TrackedTask task = module.task("repair").track();
        task.start();
        java.lang.ref.WeakReference<CompletableFuture<TaskStatus>> firstAbandoned = null;
        for (int i = 0; i < 100_000; i++) {
            CompletableFuture<TaskStatus> waiter = task.done();
            if (i == 0) {
                firstAbandoned = new java.lang.ref.WeakReference<>(waiter);
            }
            waiter.cancel(false);
        }

        assertThat(((TaskImpl) task).waiterCount()).isZero();
        for (int i = 0; i < 20 && firstAbandoned.get() != null; i++) {
            System.gc();
        }
        assertThat(firstAbandoned.get()).as("nothing keeps an abandoned waiter reachable").isNull();
        CompletableFuture<TaskStatus> patient = task.done();
        task.complete();
        assertThat(patient.get().state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aWaitThatTimesOutDetachesItself() throws Exception {
        TrackedTask task = module.task("repair").track();
        task.start();
        CompletableFuture<TaskStatus> timed = task.done().orTimeout(1, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThatThrownBy(timed::get).hasCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> task.await(Duration.ofMillis(1))).isInstanceOf(TimeoutException.class);
        task.done().completeOnTimeout(null, 1, java.util.concurrent.TimeUnit.MILLISECONDS).get();

        assertThat(((TaskImpl) task).waiterCount()).isZero();
    }

    @Test
    void aWaiterCompletedByItsCallerIsDetachedAndDerivedFuturesAreNotLinked() {
        TrackedTask task = module.task("repair").track();
        task.start();
        CompletableFuture<TaskStatus> waiter = task.done();
        CompletableFuture<String> derived = waiter.thenApply(status -> status.state().wireName());
        assertThat(((TaskImpl) task).waiterCount()).isEqualTo(1);

        waiter.complete(task.status());

        assertThat(((TaskImpl) task).waiterCount()).isZero();
        assertThat(derived).isCompletedWithValue("running");
    }

    @Test
    void waitersLinkedWhileTheTaskCompletesAreAllReleased() throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                TrackedTask task = module.task("repair").track();
                task.start();
                java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(4);
                java.util.List<java.util.concurrent.Future<CompletableFuture<TaskStatus>>> waits = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    waits.add(threads.submit(() -> {
                        go.await();
                        return task.done();
                    }));
                }
                java.util.concurrent.Future<?> completion = threads.submit(() -> {
                    go.await();
                    return task.complete();
                });
                completion.get(10, java.util.concurrent.TimeUnit.SECONDS);
                for (java.util.concurrent.Future<CompletableFuture<TaskStatus>> wait : waits) {
                    assertThat(wait.get(10, java.util.concurrent.TimeUnit.SECONDS)
                            .get(10, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(TaskState.DONE);
                }
                assertThat(((TaskImpl) task).waiterCount()).isZero();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
