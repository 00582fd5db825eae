package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §10: module stop and shutdown, with a bound. */
class StopTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = TaskManager.builder().clock(time).ticker(time)
            .housekeepingInterval(Duration.ZERO).taskTtl(Duration.ofHours(1)).stopTimeout(Duration.ofSeconds(5))
            .build();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        tm.close();
    }

    @Test
    void stoppingAModuleAbortsItsTasksWaitsForThemAndRemovesIt() throws Exception {
        TaskModule module = tm.module("repair");
        CountDownLatch started = new CountDownLatch(1);
        Task cooperative = module.task("repair").start(ctx -> {
            started.countDown();
            while (!ctx.isAbortRequested()) {
                Thread.onSpinWait();
            }
            ctx.ensureNotAborted();
        });
        started.await();

        StopReport report = module.stop(Duration.ofSeconds(30));

        assertThat(report.isClean()).isTrue();
        assertThat(cooperative.state()).isEqualTo(TaskState.FAILED);
        assertThat(tm.moduleNames()).doesNotContain("repair");
        assertThat(tm.find(cooperative.id())).as("its TTL was cut short").isEmpty();
    }

    @Test
    void aTaskThatIgnoresAbortDoesNotHoldTheStopPastItsBoundAndIsReported() throws Exception {
        TaskModule module = tm.module("repair");
        CountDownLatch started = new CountDownLatch(1);
        Task stubborn = module.task("repair").entity("stubborn").start(ctx -> {
            started.countDown();
            release.await();
        });
        started.await();

        StopReport report = module.stop(Duration.ofMillis(50));
        CountDownLatch unregistered = new CountDownLatch(1);
        tm.addListener(new TaskListener() {
            @Override
            public void onUnregistered(Task task) {
                if (task.id().equals(stubborn.id())) {
                    unregistered.countDown();
                }
            }
        });

        assertThat(report.module()).isEqualTo("repair");
        assertThat(report.stillRunning()).extracting(TaskStats::id).containsExactly(stubborn.id());
        assertThat(tm.moduleNames()).doesNotContain("repair");
        release.countDown();
        assertThat(stubborn.done().get(10, TimeUnit.SECONDS).state()).isEqualTo(TaskState.FAILED);
        // Waiters are released before retention starts (SPEC §2.4), so wait for the unregistration itself.
        assertThat(unregistered.await(10, TimeUnit.SECONDS))
                .as("a stopped module's late task leaves at completion").isTrue();
        assertThat(tm.find(stubborn.id())).isEmpty();
    }

    @Test
    void aStopLeavingManyTasksRunningCountsThemAllButCarriesOnlyTheFirstHundred() {
        TaskModule module = tm.module("repair");
        List<TrackedTask> stubborn = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            TrackedTask task = module.task("repair").entity("part-" + i).track();
            task.start(); // a tracked task that started ends only when its owner ends it
            stubborn.add(task);
        }

        StopReport report = module.stop(Duration.ZERO);

        assertThat(report.isClean()).isFalse();
        assertThat(report.stillRunningCount()).isEqualTo(250);
        assertThat(report.stillRunning()).extracting(TaskStats::id)
                .containsExactlyElementsOf(stubborn.subList(0, StopReport.MAX_REPORTED).stream().map(Task::id).toList());
        assertThat(stubborn).allSatisfy(task -> assertThat(task.status().abortRequested()).isTrue());
    }

    @Test
    void stoppingCutsPendingTtlsShort() {
        TaskModule module = tm.module("repair");
        TrackedTask done = module.task("repair").track();
        done.start();
        done.complete();

        module.stop(Duration.ZERO);

        assertThat(tm.find(done.id())).isEmpty();
    }

    @Test
    void registeringAModuleAgainReplacesTheOldOne() {
        TaskModule old = tm.module("test");
        TrackedTask task = old.task("test").track();
        task.start();

        TaskModule fresh = tm.registerModule("test");

        assertThat(fresh).isNotSameAs(old);
        assertThat(tm.findModule("test")).containsSame(fresh);
        assertThat(old.isStopped()).isTrue();
        assertThat(task.isAbortRequested()).isTrue();
    }

    @Test
    void closingTheManagerStopsEveryModule() {
        TrackedTask a = tm.module("a").task("t").track();
        a.onAbort(a::complete);
        a.start();
        TrackedTask b = tm.module("b").task("t").track();
        b.onAbort(b::complete);
        b.start();

        tm.close();

        assertThat(tm.moduleNames()).isEmpty();
        assertThat(a.isAbortRequested()).isTrue();
        assertThat(b.state()).isEqualTo(TaskState.FAILED);
    }
}
