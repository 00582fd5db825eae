package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/spec.md §15.3: a distinct aborted outcome, who asked, and tracked tasks aborted before start. */
class AbortOutcomeTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void anAbortedTaskSaysWhoAskedWhyAndWhenWhileTheCompatViewStillSaysFailed() {
        TrackedTask task = module.task("repair").abortable().track();
        task.start();
        time.advance(Duration.ofSeconds(2));
        task.abort("maintenance window over", "req-7f3a");
        time.advance(Duration.ofSeconds(1));
        task.complete();

        TaskStatus status = task.status();
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.error()).isEqualTo("dev.taskmanager.TaskAbortedException (abort requested: maintenance window over)");
        assertThat(status.aborted()).isTrue();
        assertThat(status.abortRequested()).isFalse();
        assertThat(status.abortRequest()).isEqualTo(new AbortRequest("maintenance window over", "req-7f3a",
                FakeTime.START.plusSeconds(2)));
        assertThat(task.stats().aborted()).isTrue();
    }

    @Test
    void aRunningTaskShowsThatAnAbortWasRequestedUntilItEnds() {
        TrackedTask task = module.task("repair").track();
        task.start();
        task.abort();

        TaskStatus running = task.status();
        assertThat(running.abortRequested()).isTrue();
        assertThat(running.aborted()).isFalse();
        assertThat(running.abortRequest().reason()).isEmpty();
        assertThat(running.abortRequest().requestedBy()).isEmpty();
        assertThat(task.stats().abortRequested()).isTrue();
    }

    @Test
    void aTaskThatFailedOnItsOwnIsNotAborted() {
        TrackedTask task = module.task("repair").track();
        task.start();
        task.fail("bad range");

        assertThat(task.status().aborted()).isFalse();
        assertThat(task.status().abortRequest()).isNull();
    }

    @Test
    void aCompleteTaskIgnoresALaterAbortRequest() {
        TrackedTask task = module.task("repair").track();
        task.start();
        task.complete();
        task.abort("too late", "someone");

        assertThat(task.status().abortRequest()).isNull();
        assertThat(task.status().aborted()).isFalse();
    }

    @Test
    void theFirstRequestIsKept() {
        TrackedTask task = module.task("repair").track();
        task.start();
        task.abort("first", "a");
        task.abort("second", "b");

        assertThat(task.status().abortRequest().requestedBy()).isEqualTo("a");
    }

    @Test
    void theCascadeCarriesTheSameRequestAndFoldedChildrenKeepIt() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask child = root.child("repair").track();
        child.start();
        root.abort("stop", "op-1");
        child.complete();

        TaskStatus folded = root.statusRecursive().get(1);
        assertThat(folded.id()).isEqualTo(child.id());
        assertThat(folded.aborted()).isTrue();
        assertThat(folded.abortRequest()).isEqualTo(root.status().abortRequest());
    }

    @Test
    void aTrackedTaskAbortedBeforeItStartsEndsAtOnceAndALaterStartIsANoOp() {
        TrackedTask task = module.task("repair").track();
        time.advance(Duration.ofSeconds(4));
        task.abort("not needed", "cli");

        TaskStatus ended = task.status();
        assertThat(ended.state()).isEqualTo(TaskState.FAILED);
        assertThat(ended.aborted()).isTrue();
        assertThat(ended.startTime()).isEqualTo(FakeTime.START.plusSeconds(4));
        assertThat(ended.endTime()).isEqualTo(FakeTime.START.plusSeconds(4));

        time.advance(Duration.ofSeconds(1));
        task.start();
        assertThat(task.status()).isEqualTo(ended);
    }

    @Test
    void stoppingAModuleDoesNotWaitForATrackedTaskThatNeverStarted() {
        TrackedTask created = module.task("repair").track();

        StopReport report = module.stop(Duration.ofDays(365)); // would hang the test if it waited

        assertThat(report.isClean()).isTrue();
        assertThat(created.state()).isEqualTo(TaskState.FAILED);
        assertThat(created.status().aborted()).isTrue();
    }

    @Test
    void aTrackedChildCreatedUnderAnAbortedParentEndsRightAfterItsCreationIsAnnounced() {
        TrackedTask root = module.task("repair").track();
        root.start();
        root.abort("stop");
        List<String> events = new CopyOnWriteArrayList<>();
        tm.addListener(new TaskListener() {
            @Override
            public void onCreated(Task task) {
                events.add("created");
            }

            @Override
            public void onAbortRequested(Task task, AbortRequest request) {
                events.add("abort requested " + request.reason());
            }

            @Override
            public void onFinished(TaskStatus status) {
                events.add("finished aborted=" + status.aborted());
            }
        });

        TrackedTask child = root.child("repair").track();

        assertThat(events).containsExactly("created", "abort requested stop", "finished aborted=true");
        assertThat(child.state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void listenersHearEveryAbortRequestOfTheCascadeAndAnAbortedFinish() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask child = root.child("repair").track();
        child.start();
        List<String> events = new ArrayList<>();
        tm.addListener(new TaskListener() {
            @Override
            public void onAbortRequested(Task task, AbortRequest request) {
                events.add((task.id().equals(root.id()) ? "root" : "child") + " " + request.requestedBy());
            }

            @Override
            public void onFinished(TaskStatus status) {
                events.add((status.id().equals(root.id()) ? "root" : "child") + " finished aborted=" + status.aborted());
            }
        });

        root.abort("stop", "op");
        root.abort("again", "op2");
        child.complete();
        root.complete();

        assertThat(events).containsExactly("root op", "child op", "child finished aborted=true",
                "root finished aborted=true");
    }

    @Test
    void theStopWarningCountsTheLateTasksAndNamesAtMostTen() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(12);
        try (TaskManager manager = TaskManager.builder().clock(time).ticker(time).housekeepingInterval(Duration.ZERO)
                .build(); LogCapture log = new LogCapture(TaskModule.class)) {
            TaskModule stubborn = manager.module("stubborn");
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                tasks.add(stubborn.task("t").start(ctx -> {
                    started.countDown();
                    release.await();
                }));
            }
            started.await();

            StopReport report = stubborn.stop(Duration.ofMillis(20));
            release.countDown();

            assertThat(report.stillRunning()).hasSize(12);
            List<String> warnings = log.messages(Level.WARNING);
            assertThat(warnings).hasSize(1);
            String warning = warnings.get(0);
            assertThat(warning).contains("12 task(s) still running").endsWith(" and 2 more");
            long named = tasks.stream().filter(t -> warning.contains(t.id().toString())).count();
            assertThat(named).isEqualTo(10);
        }
    }
}
