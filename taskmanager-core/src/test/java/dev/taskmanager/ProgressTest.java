package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §8: progress, reported and aggregated. */
class ProgressTest {
    private final TaskManager tm = new FakeTime().builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("backup");

    @AfterEach
    void close() {
        tm.close();
    }

    private TrackedTask started(TaskBuilder builder) {
        TrackedTask task = builder.track();
        task.start();
        return task;
    }

    @Test
    void aRunningTaskWithNothingReportedAndNoChildrenShowsZeroOfZero() {
        TrackedTask task = started(module.task("backup").progressUnits("bytes"));

        assertThat(task.status().progress()).isEqualTo(TaskProgress.NONE);
    }

    @Test
    void aTaskThatReportsItselfShowsItsOwnFigures() {
        TrackedTask task = started(module.task("backup").progressUnits("bytes"));
        task.progress().expectTotal(1000);
        task.progress().add(100);
        task.progress().add(150);

        assertThat(task.status().progress()).isEqualTo(new TaskProgress(250, 1000));
        task.progress().set(900, 1000);
        assertThat(task.status().progress()).isEqualTo(new TaskProgress(900, 1000));
    }

    @Test
    void aRunningParentSumsItsChildrenAgainstItsExpectedTotal() {
        TrackedTask parent = started(module.task("backup").progressUnits("bytes"));
        parent.progress().expectTotal(1000);
        TrackedTask a = started(parent.child("copy"));
        TrackedTask b = started(parent.child("copy"));
        a.progress().set(100, 300);
        b.progress().set(50, 200);

        assertThat(parent.status().progress()).isEqualTo(new TaskProgress(150, 1000));
    }

    @Test
    void aRunningParentWithoutExpectedTotalUsesItsChildrensTotal() {
        TrackedTask parent = started(module.task("backup"));
        TrackedTask a = started(parent.child("copy"));
        TrackedTask b = started(parent.child("copy"));
        a.progress().set(100, 300);
        b.progress().set(50, 200);
        b.complete();

        assertThat(parent.status().progress()).as("live child's current plus folded child's stored progress")
                .isEqualTo(new TaskProgress(150, 500));
    }

    @Test
    void aCompleteParentShowsTheSumOverAllItsChildren() {
        TrackedTask parent = started(module.task("backup"));
        parent.progress().expectTotal(5000);
        TrackedTask a = started(parent.child("copy"));
        TrackedTask b = started(parent.child("copy"));
        a.progress().set(300, 300);
        b.progress().set(150, 200);
        a.complete();
        b.complete();
        parent.complete();

        assertThat(parent.status().progress()).isEqualTo(new TaskProgress(450, 500));
    }

    @Test
    void progressIsAggregatedThroughGrandchildren() {
        TrackedTask root = started(module.task("backup"));
        TrackedTask mid = started(root.child("dir"));
        TrackedTask leaf = started(mid.child("file"));
        leaf.progress().set(7, 10);

        assertThat(root.status().progress()).isEqualTo(new TaskProgress(7, 10));
    }

    @Test
    void nanInfiniteAndNegativeFiguresAreRefused() {
        TrackedTask task = started(module.task("backup"));

        assertThatThrownBy(() -> task.progress().add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> task.progress().add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> task.progress().set(1, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("total");
        assertThatThrownBy(() -> task.progress().expectTotal(Double.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(task.status().progress()).isEqualTo(TaskProgress.NONE);
    }

    @Test
    void progressFromManyThreadsAddsUp() throws Exception {
        TrackedTask task = started(module.task("backup"));
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                for (int j = 0; j < 10_000; j++) {
                    task.progress().add(1);
                }
            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(task.status().progress().completed()).isEqualTo(80_000);
    }
}
