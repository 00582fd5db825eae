package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §2 and §3: states, times, errors. */
class LifecycleTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().executor(Runnable::run).build();
    private final TaskModule repair = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void aCreatedTaskIsVisibleBeforeItStartsWithNoTimes() {
        TrackedTask task = repair.task("repair").scope("node").track();

        TaskStatus status = tm.find(task.id()).orElseThrow().status();
        assertThat(status.state()).isEqualTo(TaskState.CREATED);
        assertThat(status.startTime()).isNull();
        assertThat(status.endTime()).isNull();
        assertThat(status.error()).isEmpty();
    }

    @Test
    void startingSetsTheStartTimeAndCompletingSetsTheEndTime() {
        TrackedTask task = repair.task("repair").track();
        time.advance(Duration.ofSeconds(3));
        task.start();
        TaskStatus running = task.status();
        time.advance(Duration.ofSeconds(5));
        task.complete();

        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.startTime()).isEqualTo(FakeTime.START.plusSeconds(3));
        assertThat(running.endTime()).isNull();
        TaskStatus done = task.status();
        assertThat(done.state()).isEqualTo(TaskState.DONE);
        assertThat(done.endTime()).isEqualTo(FakeTime.START.plusSeconds(8));
        assertThat(done.error()).isEmpty();
    }

    @Test
    void timesKeepFullPrecision() {
        TrackedTask task = repair.task("repair").track();
        time.advance(Duration.ofNanos(1_234_567));
        task.start();

        assertThat(task.status().startTime()).isEqualTo(FakeTime.START.plusNanos(1_234_567));
    }

    @Test
    void startingTwiceIsAProgrammingError() {
        TrackedTask task = repair.task("repair").track();
        task.start();

        assertThatThrownBy(task::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(task.id().toString()).hasMessageContaining("already started");
    }

    @Test
    void aBodyThatReturnsMakesTheTaskDone() {
        Task task = repair.task("repair").start(ctx -> { });

        assertThat(task.state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aBodyThatThrowsFailsTheTaskWithTypeAndMessage() {
        Task task = repair.task("repair").start(ctx -> {
            throw new IllegalStateException("disk full");
        });

        TaskStatus status = task.status();
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.error()).isEqualTo("java.lang.IllegalStateException (disk full)");
    }

    @Test
    void aTaskFailedExceptionBecomesTheErrorTextAsIs() {
        Task task = repair.task("repair").start(ctx -> {
            throw new TaskFailedException("sha256 mismatch: expected ab, got cd");
        });

        assertThat(task.status().error()).isEqualTo("sha256 mismatch: expected ab, got cd");
    }

    @Test
    void anExceptionWithoutMessageStillGivesANonEmptyError() {
        Task task = repair.task("repair").start(ctx -> {
            throw new UnsupportedOperationException();
        });

        assertThat(task.status().error()).isEqualTo("java.lang.UnsupportedOperationException");
    }

    @Test
    void failWithABlankTextStillLeavesANonEmptyError() {
        TrackedTask task = repair.task("repair").track();
        task.start();
        task.fail("  ");

        assertThat(task.status().error()).isNotBlank();
    }

    @Test
    void completionHappensAtMostOnce() {
        TrackedTask task = repair.task("repair").track();
        task.start();

        assertThat(task.fail("boom")).isTrue();
        assertThat(task.complete()).isFalse();
        assertThat(task.fail("again")).isFalse();
        assertThat(task.status().state()).isEqualTo(TaskState.FAILED);
        assertThat(task.status().error()).isEqualTo("boom");
    }

    @Test
    void aManagedTaskIsCreatedUntilTheExecutorRunsIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.List<Runnable> queued = new java.util.ArrayList<>();
        try (TaskManager manual = new FakeTime().builder().executor(queued::add).build()) {
            Task task = manual.module("m").task("t").start(ctx -> release.countDown());
            assertThat(task.state()).isEqualTo(TaskState.CREATED);

            queued.forEach(Runnable::run);

            assertThat(release.getCount()).isZero();
            assertThat(task.state()).isEqualTo(TaskState.DONE);
        }
    }

    @Test
    void aCreatedTaskThatNeverStartsIsNotSubjectToTtl() {
        tm.setTaskTtl(Duration.ofSeconds(1));
        TrackedTask task = repair.task("repair").track();
        time.advance(Duration.ofDays(1));
        tm.cleanUp();

        assertThat(tm.find(task.id())).isPresent();
    }

    @Test
    void suspendedSerialisesButIsNotTerminal() {
        assertThat(TaskState.SUSPENDED.wireName()).isEqualTo("suspended");
        assertThat(TaskState.SUSPENDED.isTerminal()).isFalse();
        assertThat(TaskState.DONE.isTerminal()).isTrue();
        assertThat(TaskState.FAILED.isTerminal()).isTrue();
        assertThat(TaskState.RUNNING.isTerminal()).isFalse();
    }

    @Test
    void idsAreRandomVersion4Uuids() {
        TrackedTask a = repair.task("repair").track();
        TrackedTask b = repair.task("repair").track();

        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.id().version()).isEqualTo(4);
        assertThat(a.id().variant()).isEqualTo(2);
    }

    @Test
    void aStoppedModuleRefusesNewTasks() {
        repair.stop(Duration.ZERO);

        assertThatThrownBy(() -> repair.task("repair").track())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("module repair is stopped");
        assertThat(tm.findModule("repair")).isEmpty();
    }

    @Test
    void aClosedManagerRefusesNewTasks() {
        tm.close();

        assertThatThrownBy(() -> repair.task("repair").track()).isInstanceOf(IllegalStateException.class);
    }
}
