package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/spec.md §19–20: stall detection and deadlines, driven by the fake clock and cleanUp(). */
class StallAndDeadlineTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("repair");
    private final List<String> events = new CopyOnWriteArrayList<>();

    StallAndDeadlineTest() {
        tm.addListener(new TaskListener() {
            @Override
            public void onStalled(Task task) {
                events.add("stalled " + task.status().entity());
            }

            @Override
            public void onRecovered(Task task) {
                events.add("recovered " + task.status().entity());
            }

            @Override
            public void onAbortRequested(Task task, AbortRequest request) {
                events.add("abort " + task.status().entity() + ": " + request.reason() + " by " + request.requestedBy());
            }
        });
    }

    @AfterEach
    void close() {
        tm.close();
    }

    private TrackedTask running(TaskBuilder builder) {
        TrackedTask task = builder.track();
        task.start();
        return task;
    }

    private void pass(Duration duration) {
        time.advance(duration);
        tm.cleanUp();
    }

    @Test
    void stallDetectionIsOffByDefault() {
        TrackedTask task = running(module.task("repair"));
        pass(Duration.ofDays(1));

        assertThat(task.status().stalled()).isFalse();
        assertThat(tm.watchedCount()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void aRunningTaskWithoutChangeForTheModulesThresholdStallsOnceAndRecoversOnProgress() {
        module.setStallThreshold(Duration.ofSeconds(30));
        TrackedTask task = running(module.task("repair").entity("t"));

        pass(Duration.ofSeconds(29));
        assertThat(task.status().stalled()).isFalse();
        pass(Duration.ofSeconds(1));
        assertThat(task.status().stalled()).isTrue();
        assertThat(task.stats().stalled()).isTrue();
        pass(Duration.ofSeconds(30));
        assertThat(events).containsExactly("stalled t");

        task.progress().add(1);
        assertThat(task.status().stalled()).isFalse();
        assertThat(events).containsExactly("stalled t", "recovered t");

        pass(Duration.ofSeconds(30));
        assertThat(events).containsExactly("stalled t", "recovered t", "stalled t");
    }

    @Test
    void aTasksOwnThresholdOverridesTheModulesAndZeroTurnsItOff() {
        module.setStallThreshold(Duration.ofSeconds(30));
        TrackedTask off = running(module.task("repair").entity("off").stallThreshold(Duration.ZERO));
        TrackedTask quick = running(module.task("repair").entity("quick").stallThreshold(Duration.ofSeconds(5)));

        pass(Duration.ofSeconds(5));
        assertThat(quick.status().stalled()).isTrue();
        pass(Duration.ofMinutes(5));
        assertThat(off.status().stalled()).isFalse();
        assertThat(events).containsExactly("stalled quick");
    }

    @Test
    void theModuleDefaultAppliesToTasksCreatedAfterItIsSet() {
        TrackedTask before = running(module.task("repair"));
        assertThat(module.setStallThreshold(Duration.ofSeconds(10))).isEqualTo(Duration.ZERO);
        TrackedTask after = running(module.task("repair"));

        pass(Duration.ofSeconds(10));
        assertThat(before.status().stalled()).isFalse();
        assertThat(after.status().stalled()).isTrue();
        assertThat(module.stallThreshold()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aCreatedTaskDoesNotStallAndTheClockStartsWhenItStarts() {
        TrackedTask task = module.task("repair").stallThreshold(Duration.ofSeconds(10)).track();
        pass(Duration.ofSeconds(100));
        assertThat(task.status().stalled()).isFalse();

        task.start();
        pass(Duration.ofSeconds(9));
        assertThat(task.status().stalled()).isFalse();
        pass(Duration.ofSeconds(1));
        assertThat(task.status().stalled()).isTrue();
    }

    @Test
    void aChildsProgressKeepsItsParentFromStallingAndRecoversIt() {
        TrackedTask parent = running(module.task("repair").entity("parent").stallThreshold(Duration.ofSeconds(10)));
        TrackedTask child = running(parent.child("repair").entity("child"));

        pass(Duration.ofSeconds(8));
        child.progress().add(1);
        pass(Duration.ofSeconds(8));
        assertThat(parent.status().stalled()).isFalse();

        pass(Duration.ofSeconds(2));
        assertThat(parent.status().stalled()).isTrue();
        child.progress().add(1);
        assertThat(events).containsExactly("stalled parent", "recovered parent");
    }

    @Test
    void aStalledTaskThatEndsIsNoLongerStalledOrWatched() {
        TrackedTask task = running(module.task("repair").entity("t").stallThreshold(Duration.ofSeconds(1)));
        pass(Duration.ofSeconds(1));
        task.complete();
        tm.cleanUp();

        assertThat(task.status().stalled()).isFalse();
        assertThat(tm.watchedCount()).isZero();
        assertThat(events).containsExactly("stalled t");
    }

    @Test
    void aTaskPastItsDeadlineIsAbortedWithTheDeadlineAsReason() {
        TrackedTask task = running(module.task("repair").entity("t").deadline(Duration.ofSeconds(30)));
        assertThat(task.status().deadline()).isEqualTo(FakeTime.START.plusSeconds(30));
        assertThat(task.stats().deadline()).isEqualTo(FakeTime.START.plusSeconds(30));

        pass(Duration.ofSeconds(29));
        assertThat(task.isAbortRequested()).isFalse();
        pass(Duration.ofSeconds(1));
        pass(Duration.ofSeconds(1));

        assertThat(task.status().abortRequest()).isEqualTo(new AbortRequest("deadline exceeded (PT30S)", "deadline",
                FakeTime.START.plusSeconds(30)));
        assertThat(events).containsExactly("abort t: deadline exceeded (PT30S) by deadline");
        task.complete();
        assertThat(task.status().aborted()).isTrue();
        assertThat(task.status().error()).contains("abort requested: deadline exceeded (PT30S)");
    }

    @Test
    void theDeadlineCountsFromCreationAndEndsATrackedTaskThatNeverStarted() {
        TrackedTask late = module.task("repair").deadline(Duration.ofSeconds(30)).track();
        TrackedTask never = module.task("repair").deadline(Duration.ofSeconds(30)).track();
        pass(Duration.ofSeconds(20));
        late.start();
        pass(Duration.ofSeconds(10));

        assertThat(late.isAbortRequested()).isTrue();
        assertThat(never.state()).isEqualTo(TaskState.FAILED);
        assertThat(never.status().aborted()).isTrue();
    }

    @Test
    void aTaskThatEndsBeforeItsDeadlineIsLeftAloneAndForgotten() {
        TrackedTask task = running(module.task("repair").deadline(Duration.ofSeconds(30)));
        task.complete();
        pass(Duration.ofMinutes(1));

        assertThat(task.status().state()).isEqualTo(TaskState.DONE);
        assertThat(tm.watchedCount()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void theDeadlineOfAChildAbortsItsSubtreeOnly() {
        TrackedTask root = running(module.task("repair").entity("root"));
        TrackedTask child = running(root.child("repair").entity("child").deadline(Duration.ofSeconds(5)));
        TrackedTask grandchild = running(child.child("repair").entity("grandchild"));
        pass(Duration.ofSeconds(5));

        assertThat(root.isAbortRequested()).isFalse();
        assertThat(child.isAbortRequested()).isTrue();
        assertThat(grandchild.isAbortRequested()).isTrue();
    }
}
