package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/spec.md §15–16: outcomes that cannot lie — child failures, results, failures' Throwables. */
class OutcomeTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("backup");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void aParentThatAwaitsAFailedChildFailsNamingIt() throws Exception {
        Task parent = module.task("backup").start(ctx -> {
            ctx.child("copy").entity("a").start(c -> { });
            ctx.child("copy").entity("b").start(c -> {
                throw new IOException("disk full");
            });
            ctx.child("copy").entity("c").start(c -> { });
            ctx.awaitChildren();
        });

        TaskStatus status = parent.done().get(10, TimeUnit.SECONDS);
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        UUID failedChild = parent.statusRecursive().stream().filter(s -> s.entity().equals("b"))
                .findFirst().orElseThrow().id();
        assertThat(status.error()).isEqualTo("1 of 3 child tasks failed: " + failedChild
                + " (java.io.IOException (disk full))");
    }

    @Test
    void anAbortedChildFailsTheParentToo() throws Exception {
        CountDownLatch childRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Task parent = module.task("backup").start(ctx -> {
            Task child = ctx.child("copy").start(c -> {
                childRunning.countDown();
                release.await();
                c.ensureNotAborted();
            });
            childRunning.await();
            child.abort("operator asked");
            release.countDown();
            ctx.awaitChildren();
        });

        TaskStatus status = parent.done().get(10, TimeUnit.SECONDS);
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.error()).startsWith("1 of 1 child task failed: ").contains("abort requested: operator asked");
        assertThat(status.aborted()).as("the parent itself was not aborted").isFalse();
    }

    @Test
    void childrenThatFailedAndFoldedBeforeTheWaitStillFailTheParent() throws Exception {
        TrackedTask[] early = new TrackedTask[1];
        CountDownLatch failed = new CountDownLatch(1);
        Task parent = module.task("backup").start(ctx -> {
            early[0] = ctx.child("copy").track();
            early[0].start();
            early[0].fail("checksum mismatch");
            failed.countDown();
            ctx.awaitChildren(); // nothing live to wait for: the failure is already folded
        });

        TaskStatus status = parent.done().get(10, TimeUnit.SECONDS);
        assertThat(failed.getCount()).isZero();
        assertThat(status.error()).isEqualTo("1 of 1 child task failed: " + early[0].id() + " (checksum mismatch)");
    }

    @Test
    void theMessageNamesTheFirstThreeFailuresAndCountsTheRest() throws Exception {
        Task parent = module.task("backup").start(ctx -> {
            for (int i = 0; i < 6; i++) {
                int n = i;
                ctx.child("copy").start(c -> {
                    if (n > 0) {
                        throw new TaskFailedException("part " + n + " lost");
                    }
                });
            }
            ctx.awaitChildren();
        });

        String error = parent.done().get(10, TimeUnit.SECONDS).error();
        assertThat(error).startsWith("5 of 6 child tasks failed: ").endsWith("; and 2 more");
        assertThat(error.split("; ")).hasSize(4);
    }

    @Test
    void ignoringChildFailuresLetsTheParentDecide() throws Exception {
        Task parent = module.task("backup").start(ctx -> {
            ctx.child("copy").start(c -> {
                throw new TaskFailedException("one file unreadable");
            });
            ctx.awaitChildren(ChildFailures.IGNORE);
        });

        TaskStatus status = parent.done().get(10, TimeUnit.SECONDS);
        assertThat(status.state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aParentWhoseChildrenAllSucceedIsDone() throws Exception {
        Task parent = module.task("backup").start(ctx -> {
            for (int i = 0; i < 4; i++) {
                ctx.child("copy").start(c -> c.progress().add(1));
            }
            ctx.awaitChildren();
        });

        assertThat(parent.done().get(10, TimeUnit.SECONDS).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aSubmittedBodysReturnValueIsTheResult() throws Exception {
        ResultTask<Long> count = module.task("count").submit(ctx -> 42L);

        assertThat(count.result().get(10, TimeUnit.SECONDS)).isEqualTo(42L);
        assertThat(count.done().get(10, TimeUnit.SECONDS).state()).isEqualTo(TaskState.DONE);
        assertThat(count.failure()).isEmpty();
    }

    @Test
    void aFailedResultTaskCompletesItsResultWithTheFailure() {
        IllegalStateException boom = new IllegalStateException("boom");
        ResultTask<String> task = module.task("count").submit(ctx -> {
            throw boom;
        });

        assertThatThrownBy(() -> task.result().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isSameAs(boom);
        assertThat(task.failure()).containsSame(boom);
    }

    @Test
    void anAbortedResultTaskCompletesItsResultWithTheAbortKeepingTheBodysExceptionAsCause() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        IOException own = new IOException("interrupted copy");
        ResultTask<String> task = module.task("count").submit(ctx -> {
            running.countDown();
            aborted.await();
            throw own;
        });
        running.await();
        task.abort("enough");
        aborted.countDown();

        assertThatThrownBy(() -> task.result().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TaskAbortedException.class).hasMessage("abort requested: enough")
                .cause().isSameAs(own);
        assertThat(task.done().get(10, TimeUnit.SECONDS).error())
                .isEqualTo("dev.taskmanager.TaskAbortedException (abort requested: enough)");
    }

    @Test
    void theFailureKeepsTheBodysExceptionWithItsStackTrace() throws Exception {
        Task task = module.task("copy").start(ctx -> {
            throw new IOException("disk full");
        });
        task.done().get(10, TimeUnit.SECONDS);

        Throwable failure = task.failure().orElseThrow();
        assertThat(failure).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(failure.getStackTrace()).isNotEmpty();
        assertThat(task.status().error()).as("the wire keeps the text").isEqualTo("java.io.IOException (disk full)");
    }

    @Test
    void aTrackedTasksFailureIsWhatItWasFailedWith() {
        TrackedTask withException = module.task("copy").track();
        IllegalArgumentException cause = new IllegalArgumentException("bad range");
        withException.fail(cause);
        TrackedTask withText = module.task("copy").track();
        withText.fail("checksum mismatch");
        TrackedTask done = module.task("copy").track();
        done.complete();

        assertThat(withException.failure()).containsSame(cause);
        assertThat(withText.failure().orElseThrow()).isInstanceOf(TaskFailedException.class)
                .hasMessage("checksum mismatch");
        assertThat(done.failure()).isEmpty();
    }

    @Test
    void anUnexpectedExceptionIsLoggedOnceAtDebugWithItsStack() throws Exception {
        try (LogCapture log = new LogCapture(TaskManager.class)) {
            Task unexpected = module.task("copy").start(ctx -> {
                throw new IllegalStateException("bug");
            });
            Task expected = module.task("copy").start(ctx -> {
                throw new TaskFailedException("mismatch");
            });
            unexpected.done().get(10, TimeUnit.SECONDS);
            expected.done().get(10, TimeUnit.SECONDS);

            List<java.util.logging.LogRecord> debug = log.records.stream()
                    .filter(r -> r.getLevel().equals(Level.FINE)).toList();
            assertThat(debug).hasSize(1);
            assertThat(debug.get(0).getThrown()).isSameAs(unexpected.failure().orElseThrow());
            assertThat(debug.get(0).getMessage()).contains(unexpected.id().toString());
        }
    }

    @Test
    void aWaiterOfAParentSeesTheChildFailureOutcome() throws Exception {
        CompletableFuture<TaskStatus> waiter = module.task("backup").start(ctx -> {
            ctx.child("copy").start(c -> {
                throw new TaskFailedException("lost");
            });
            ctx.awaitChildren();
        }).done();

        assertThat(waiter.get(10, TimeUnit.SECONDS).state()).isEqualTo(TaskState.FAILED);
    }
}
