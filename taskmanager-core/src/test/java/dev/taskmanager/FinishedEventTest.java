package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The finished event's two forms: the handle form, whose status read later is the final one, and the
 * snapshot form, which listeners written for it keep receiving, with the snapshot built only for them.
 */
class FinishedEventTest {

    @Test
    void aListenerOverridingOnlyTheOldSnapshotMethodStillReceivesTheFinalStatus() throws Exception {
        try (TaskManager tm = new FakeTime().builder().build()) {
            List<TaskStatus> received = new ArrayList<>();
            tm.addListener(new TaskListener() {
                @Override
                public void onFinished(TaskStatus status) {
                    received.add(status);
                }
            });
            TrackedTask task = tm.module("m").task("t").track();
            task.start();
            task.progress().set(3, 10);
            task.fail("broken");

            assertThat(received).containsExactly(task.done().get());
            assertThat(received.get(0).state()).isEqualTo(TaskState.FAILED);
            assertThat(received.get(0).error()).contains("broken");
            assertThat(received.get(0).progress()).isEqualTo(new TaskProgress(3, 10));
        }
    }

    @Test
    void aListenerOverridingTheSnapshotMethodWithTheStartedFlagHearsWhetherTheTaskStarted() {
        try (TaskManager tm = new FakeTime().builder().build()) {
            List<String> received = new ArrayList<>();
            tm.addListener(new TaskListener() {
                @Override
                public void onFinished(TaskStatus status, boolean started) {
                    received.add(status.state().wireName() + " " + started);
                }
            });
            TrackedTask started = tm.module("m").task("t").track();
            started.start();
            started.complete();
            tm.module("m").task("t").track().abort("never ran");

            assertThat(received).containsExactly("done true", "failed false");
        }
    }

    @Test
    void theHandleFormReceivesAHandleWhoseStatusReadLaterIsTheFinalOne() throws Exception {
        FakeTime wall = new FakeTime();
        FakeTime ticker = new FakeTime(); // moved apart from the wall clock below, as NTP may move it
        try (TaskManager tm = TaskManager.builder().clock(wall).ticker(ticker).housekeepingInterval(Duration.ZERO)
                .stopTimeout(Duration.ZERO).taskTtl(Duration.ZERO).build()) {
            List<Task> handles = new ArrayList<>();
            List<TaskStatus> atFinish = new ArrayList<>();
            List<Boolean> startedFlags = new ArrayList<>();
            tm.addListener(new TaskListener() {
                @Override
                public void onFinished(Task task, boolean started) {
                    handles.add(task);
                    atFinish.add(task.status());
                    startedFlags.add(started);
                }
            });
            TrackedTask task = tm.module("m").task("t").labels(Map.of("k", "v")).track();
            task.start();
            ticker.advance(Duration.ofSeconds(1));
            wall.advance(Duration.ofSeconds(1));
            task.progress().set(4, 8);
            task.complete();

            // what could still move a finished task's snapshot: late reports, late aborts, the clocks,
            // and leaving the registry (TTL 0: it left at once)
            task.progress().add(2);
            task.progress().set(100, 100);
            task.progress().expectTotal(1000);
            task.abort("too late");
            wall.advance(Duration.ofHours(1));
            ticker.advance(Duration.ofMinutes(1));
            tm.cleanUp();

            assertThat(tm.find(task.id())).isEmpty();
            assertThat(handles).containsExactly(task);
            assertThat(startedFlags).containsExactly(true);
            TaskStatus later = handles.get(0).status();
            assertThat(later).isEqualTo(atFinish.get(0)).isEqualTo(task.done().get());
            assertThat(later.state()).isEqualTo(TaskState.DONE);
            assertThat(later.progress()).isEqualTo(new TaskProgress(4, 8));
            assertThat(later.aborted()).isFalse();
            assertThat(later.updatedTime()).isEqualTo(later.endTime());
        }
    }

    @Test
    void theHandleShowsAnAbortedTaskAsAbortedWithItsTimesWithoutASnapshot() {
        FakeTime time = new FakeTime();
        try (TaskManager tm = time.builder().build()) {
            List<String> received = new ArrayList<>();
            tm.addListener(new TaskListener() {
                @Override
                public void onFinished(Task task, boolean started) {
                    received.add(task.state().wireName() + " aborted=" + task.isAbortRequested() + " ran="
                            + Duration.between(task.startTime(), task.endTime()));
                }
            });
            TrackedTask task = tm.module("m").task("t").track();
            task.start();
            time.advance(Duration.ofSeconds(3));
            task.abort("stop");
            task.complete(); // too late: it ends aborted

            assertThat(received).containsExactly("failed aborted=true ran=PT3S");
        }
    }

    @Test
    void progressReportedAfterTheEndIsIgnoredAndFiresNoEvent() {
        try (TaskManager tm = new FakeTime().builder().build()) {
            AtomicInteger progressEvents = new AtomicInteger();
            tm.addListener(new TaskListener() {
                @Override
                public void onProgress(Task task) {
                    progressEvents.incrementAndGet();
                }
            });
            TrackedTask task = tm.module("m").task("t").track();
            task.start();
            task.progress().add(1);
            task.complete();
            TaskStatus last = task.status();

            task.progress().add(1);

            assertThat(task.status()).isEqualTo(last);
            assertThat(progressEvents).hasValue(1);
        }
    }

    @Test
    void theSnapshotIsBuiltOnceForAllSnapshotListenersAndNeverForHandleOrUninterestedListeners() {
        CountingTask task;
        try (TaskManager tm = new FakeTime().builder().build()) {
            TrackedTask real = tm.module("m").task("t").track();
            real.complete();
            task = new CountingTask(real.status());
        }
        AtomicInteger snapshotCalls = new AtomicInteger();
        AtomicInteger handleCalls = new AtomicInteger();
        Listeners listeners = new Listeners();
        listeners.add(new TaskListener() { });
        listeners.add(new TaskListener() {
            @Override
            public void onFinished(Task t, boolean started) {
                handleCalls.incrementAndGet();
            }
        });
        listeners.finished(task, true, null);
        assertThat(task.statusCalls).as("no listener asked for the snapshot").isZero();
        assertThat(handleCalls).hasValue(1);

        listeners.add(new TaskListener() {
            @Override
            public void onFinished(TaskStatus status) {
                snapshotCalls.incrementAndGet();
            }
        });
        listeners.add(new TaskListener() {
            @Override
            public void onFinished(TaskStatus status, boolean started) {
                snapshotCalls.incrementAndGet();
            }
        });
        listeners.finished(task, true, null);
        assertThat(task.statusCalls).as("one snapshot for both").isEqualTo(1);
        assertThat(snapshotCalls).hasValue(2);

        listeners.finished(task, true, task.snapshot); // the waiters' snapshot is reused
        assertThat(task.statusCalls).isEqualTo(1);
        assertThat(snapshotCalls).hasValue(4);
    }

    @Test
    void aListenerOverridingBothFormsGetsOnlyTheHandleForm() {
        assertThat(Listeners.finishedForm(new TaskListener() {
            @Override
            public void onFinished(Task task, boolean started) {
            }

            @Override
            public void onFinished(TaskStatus status) {
            }
        }.getClass())).isEqualTo(Listeners.finishedForm(new TaskListener() {
            @Override
            public void onFinished(Task task, boolean started) {
            }
        }.getClass())).isNotEqualTo(Listeners.finishedForm(new TaskListener() {
            @Override
            public void onFinished(TaskStatus status) {
            }
        }.getClass()));
    }

    /** A task handle that counts the snapshots built of it. */
    private static final class CountingTask implements Task {
        final TaskStatus snapshot;
        int statusCalls;

        CountingTask(TaskStatus snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public UUID id() {
            return snapshot.id();
        }

        @Override
        public String module() {
            return "m";
        }

        @Override
        public TaskState state() {
            return TaskState.DONE;
        }

        @Override
        public boolean isAbortable() {
            return false;
        }

        @Override
        public TaskStatus status() {
            statusCalls++;
            return snapshot;
        }

        @Override
        public TaskStats stats() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TaskStatus> statusRecursive() {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.concurrent.CompletableFuture<TaskStatus> done() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskStatus await(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort(String reason, String requestedBy) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isAbortRequested() {
            return false;
        }
    }
}
