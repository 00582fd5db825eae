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
}
