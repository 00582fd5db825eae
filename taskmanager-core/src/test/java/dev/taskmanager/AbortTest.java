package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §9: cooperative, cascading, race-free abort. */
class AbortTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void abortSetsTheFlagAndReturnsWithoutWaiting() {
        TrackedTask task = module.task("repair").abortable().track();
        task.start();

        task.abort();

        assertThat(task.isAbortRequested()).isTrue();
        assertThat(task.state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void aTaskThatCompletesAfterAnAbortFailsWithTheAbortError() {
        TrackedTask task = module.task("repair").track();
        task.start();
        task.abort("operator asked");
        task.complete();

        TaskStatus status = task.status();
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.error()).contains("abort requested").contains("operator asked");
    }

    @Test
    void abortCascadesToEveryDescendantAbortableOrNot() {
        TrackedTask root = module.task("repair").abortable().track();
        TrackedTask child = root.child("repair").track();
        TrackedTask grandchild = child.child("repair").track();

        root.abort();

        assertThat(child.isAbortRequested()).isTrue();
        assertThat(grandchild.isAbortRequested()).isTrue();
    }

    @Test
    void abortCascadesToChildrenCreatedAfterTheAbort() {
        TrackedTask root = module.task("repair").track();
        root.start();
        root.abort();

        TrackedTask late = root.child("repair").track();
        late.start();

        assertThat(late.isAbortRequested()).isTrue();
        TaskStatus status = tm.find(root.id()).orElseThrow().statusRecursive().get(1);
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.error()).contains("abort requested");
    }

    @Test
    void aTaskAbortedBeforeItStartsFailsAtStartWithoutRunningAndHasBothTimes() {
        List<Runnable> queued = new ArrayList<>();
        try (TaskManager manual = time.builder().executor(queued::add).taskTtl(Duration.ofHours(1)).build()) {
            AtomicInteger ran = new AtomicInteger();
            Task task = manual.module("m").task("t").start(ctx -> ran.incrementAndGet());
            task.abort();
            time.advance(Duration.ofSeconds(2));
            queued.forEach(Runnable::run);

            TaskStatus status = task.status();
            assertThat(ran).hasValue(0);
            assertThat(status.state()).isEqualTo(TaskState.FAILED);
            assertThat(status.error()).contains("abort requested");
            assertThat(status.startTime()).isEqualTo(FakeTime.START.plusSeconds(2));
            assertThat(status.endTime()).isEqualTo(FakeTime.START.plusSeconds(2));
        }
    }

    @Test
    void aTrackedTaskAbortedBeforeStartFailsAtStart() {
        TrackedTask task = module.task("repair").track();
        task.abort();
        task.start();

        assertThat(task.state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void abortingAnAbortedOrCompleteTaskChangesNothing() {
        TrackedTask done = module.task("repair").track();
        done.start();
        done.complete();
        done.abort();
        done.abort();

        assertThat(done.status().state()).isEqualTo(TaskState.DONE);
        assertThat(done.isAbortRequested()).isFalse();
    }

    @Test
    void theBodySeesTheAbortThroughEnsureNotAborted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        Task task = module.task("repair").start(ctx -> {
            started.countDown();
            aborted.await();
            ctx.ensureNotAborted();
            throw new AssertionError("not reached");
        });
        started.await();
        task.abort();
        aborted.countDown();

        TaskStatus status = task.done().get(10, TimeUnit.SECONDS);
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.error()).isEqualTo("dev.taskmanager.TaskAbortedException (abort requested)");
    }

    @Test
    void aBodyThatOptedInIsInterruptedByAbort() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Task task = module.task("repair").start(ctx -> {
            ctx.interruptOnAbort();
            waiting.countDown();
            new CountDownLatch(1).await(); // blocks until interrupted
        });
        waiting.await();
        task.abort();

        assertThat(task.done().get(10, TimeUnit.SECONDS).error()).contains("abort requested");
    }

    @Test
    void abortCallbacksRunOnceAndAtOnceIfAlreadyAborted() {
        TrackedTask task = module.task("repair").track();
        task.start();
        AtomicInteger calls = new AtomicInteger();
        task.onAbort(calls::incrementAndGet);
        task.onAbort(() -> {
            throw new IllegalStateException("a bad callback does not stop the others");
        });
        task.onAbort(calls::incrementAndGet);

        task.abort();
        task.abort();
        assertThat(calls).hasValue(2);
        task.onAbort(calls::incrementAndGet);
        assertThat(calls).hasValue(3);
    }

    @Test
    void anAbortCallbackMayFailATrackedTask() {
        TrackedTask task = module.task("repair").abortable().track();
        task.start();
        task.onAbort(() -> task.fail(new TaskAbortedException(null)));

        task.abort();

        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.status().error()).contains("abort requested");
    }

    @Test
    void childRegistrationRacingWithAbortAlwaysEndsAborted() throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            raceChildrenAgainstAbort(threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private void raceChildrenAgainstAbort(java.util.concurrent.ExecutorService threads) throws Exception {
        for (int round = 0; round < 200; round++) {
            TrackedTask root = module.task("repair").track();
            root.start();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<TrackedTask>> children = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                children.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return root.child("repair").track();
                }, threads));
            }
            CompletableFuture<Void> abort = CompletableFuture.runAsync(() -> {
                await(go);
                root.abort();
            }, threads);
            go.countDown();
            abort.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<TrackedTask> child : children) {
                assertThat(child.get(10, TimeUnit.SECONDS).isAbortRequested()).isTrue();
            }
        }
    }

    @Test
    void ensureNotAbortedIsANoOpWhileNotAborted() {
        Task task = module.task("repair").start(TaskContext::ensureNotAborted);

        assertThat(task.done().join().state()).isEqualTo(TaskState.DONE);
        assertThatThrownBy(() -> new ManagedContext((TaskImpl) abortedTask()).ensureNotAborted())
                .isInstanceOf(TaskAbortedException.class).hasMessage("abort requested");
    }

    private TrackedTask abortedTask() {
        TrackedTask task = module.task("repair").track();
        task.abort();
        return task;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
