package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lazy breadth-first traversal behind task_status_recursive (issue 11). */
class StatusTreeTest {
    private final TaskManager tm = new FakeTime().builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void theStreamYieldsWhatTheListHoldsInTheSameOrder() {
        List<TrackedTask> tasks = new ArrayList<>();
        tasks.add(module.task("repair").track());
        for (int i = 1; i < 15; i++) {
            tasks.add(tasks.get((i - 1) / 2).child("repair").entity("task " + i).track());
        }
        tasks.forEach(TrackedTask::start);
        tasks.get(7).fail("bad range");
        tasks.get(8).complete();
        tasks.get(3).complete();
        tasks.get(14).complete();

        List<TaskStatus> list = tasks.get(0).statusRecursive();
        List<TaskStatus> streamed = tasks.get(0).statusTree().collect(Collectors.toList());

        assertThat(streamed).isEqualTo(list);
        assertThat(streamed).extracting(TaskStatus::id).doesNotHaveDuplicates();
        assertThat(streamed).as("11 live tasks, 3 and its failed child 7 folded under 1, 14 folded under 6")
                .hasSize(14);
    }

    @Test
    void eachSnapshotIsTakenWhenTheStreamReachesIt() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask child = root.child("repair").track();
        child.start();
        Iterator<TaskStatus> tree = root.statusTree().iterator();
        assertThat(tree.next().id()).isEqualTo(root.id());

        child.progress().set(3, 4);

        assertThat(tree.next().progress()).isEqualTo(new TaskProgress(3, 4));
        assertThat(tree.hasNext()).isFalse();
    }

    @Test
    void theManagersStreamFindsTheTaskAndInSeedModeUnregistersAFinishedOne() {
        try (TaskManager seed = new FakeTime().builder().taskTtl(Duration.ofHours(1)).unregisterFinishedOnRead(true)
                .build()) {
            TrackedTask root = seed.module("m").task("t").track();
            root.start();
            TrackedTask child = root.child("t").track();
            child.start();
            child.complete();
            root.complete();

            List<TaskStatus> read = seed.statusTree(root.id()).orElseThrow().collect(Collectors.toList());

            assertThat(read).extracting(TaskStatus::id).containsExactly(root.id(), child.id());
            assertThat(seed.find(root.id())).isEmpty();
            assertThat(seed.statusTree(root.id())).isEmpty();
        }
    }
}
