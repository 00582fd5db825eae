package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §7: folding finished children into their parent. */
class FoldingTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    /** A complete binary tree of 15 started tasks, BFS-numbered, 0 the root. */
    private List<TrackedTask> binaryTree() {
        List<TrackedTask> tasks = new ArrayList<>();
        tasks.add(module.task("repair").scope("node").track());
        for (int i = 1; i < 15; i++) {
            tasks.add(tasks.get((i - 1) / 2).child("repair").scope("level").entity("task " + i).track());
        }
        tasks.forEach(TrackedTask::start);
        return tasks;
    }

    /** Leaves first, level by level, left to right within a level: 7..14, 3..6, 1, 2, 0. */
    private static final int[] LEAVES_FIRST = {7, 8, 9, 10, 11, 12, 13, 14, 3, 4, 5, 6, 1, 2, 0};

    private static List<String> entities(List<TaskStatus> statuses) {
        return statuses.stream().map(s -> s.entity().isEmpty() ? "task 0" : s.entity()).collect(Collectors.toList());
    }

    @Test
    void aTreeThatSucceedsKeepsOnlyTheRootsDirectChildren() {
        List<TrackedTask> tree = binaryTree();
        for (int i : LEAVES_FIRST) {
            tree.get(i).complete();
        }

        List<TaskStatus> recursive = tree.get(0).statusRecursive();

        assertThat(entities(recursive)).containsExactly("task 0", "task 1", "task 2");
        assertThat(recursive.get(1).children()).isEmpty();
        assertThat(recursive).allMatch(s -> s.state() == TaskState.DONE);
    }

    @Test
    void aFailedLeafKeepsThePathThatLeadsToIt() {
        List<TrackedTask> tree = binaryTree();
        for (int i : LEAVES_FIRST) {
            if (i == 7) {
                tree.get(i).fail("bad range");
            } else {
                tree.get(i).complete();
            }
        }

        List<TaskStatus> recursive = tree.get(0).statusRecursive();

        assertThat(entities(recursive)).containsExactly("task 0", "task 1", "task 2", "task 3", "task 7");
        assertThat(recursive.get(3).state()).isEqualTo(TaskState.DONE);
        assertThat(recursive.get(4).state()).isEqualTo(TaskState.FAILED);
        assertThat(recursive.get(4).error()).isEqualTo("bad range");
        assertThat(recursive.get(1).children()).as("a folded record lists only its failed children")
                .containsExactly(tree.get(3).id());
    }

    @Test
    void aFailureInTheMiddleOfTheTreeIsKeptWithoutItsSuccessfulChildren() {
        List<TrackedTask> tree = binaryTree();
        for (int i : LEAVES_FIRST) {
            if (i == 5) {
                tree.get(i).fail("keyspace repair failed");
            } else {
                tree.get(i).complete();
            }
        }

        List<TaskStatus> recursive = tree.get(0).statusRecursive();

        assertThat(entities(recursive)).containsExactly("task 0", "task 1", "task 2", "task 5");
        assertThat(recursive.get(3).children()).isEmpty();
    }

    @Test
    void aFoldedChildIsReachableOnlyThroughItsAncestors() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask child = root.child("repair").track();
        child.start();
        child.complete();

        assertThat(tm.find(child.id())).isEmpty();
        assertThat(tm.status(child.id())).isEmpty();
        assertThat(root.status().children()).containsExactly(child.id());
    }

    @Test
    void theFoldedRecordKeepsTheChildsFields() {
        TrackedTask root = module.task("repair").progressUnits("ranges").track();
        root.start();
        time.advance(Duration.ofSeconds(1));
        TrackedTask child = root.child("stream").scope("table").keyspace("ks").table("t").entity("e")
                .abortable().track();
        child.start();
        child.progress().set(3, 4);
        time.advance(Duration.ofSeconds(2));
        child.complete();

        TaskStatus record = root.statusRecursive().get(1);
        TaskStatus expected = new TaskStatus(child.id(), "repair", "stream", TaskKind.NODE, "table", TaskState.DONE,
                true, FakeTime.START.plusSeconds(1), FakeTime.START.plusSeconds(3), "", root.id(), 1, 0, "ks", "t",
                "e", "ranges", new TaskProgress(3, 4), List.of(), false, true, FakeTime.START.plusSeconds(1),
                FakeTime.START.plusSeconds(3), null, null, null, false, null, java.util.Map.of());
        assertThat(record).isEqualTo(expected);
    }

    @Test
    void aChildThatFinishesBeforeItsChildrenFoldsWhenItsLastChildFolds() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask mid = root.child("repair").track();
        mid.start();
        TrackedTask leaf = mid.child("repair").track();
        leaf.start();

        mid.complete();
        assertThat(tm.find(mid.id())).as("waits for its live child").isPresent();

        leaf.fail("late failure");

        assertThat(tm.find(mid.id())).isEmpty();
        List<UUID> ids = root.statusRecursive().stream().map(TaskStatus::id).collect(Collectors.toList());
        assertThat(ids).containsExactly(root.id(), mid.id(), leaf.id());
    }

    @Test
    void aChildWhoseParentIsGoneStaysUnfoldedWithItsSubtree() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask child = root.child("repair").track();
        child.start();
        TrackedTask grandchild = child.child("repair").track();
        grandchild.start();
        grandchild.fail("kept");
        root.complete();
        module.drain(); // the root leaves while its child still runs

        child.complete();

        assertThat(tm.find(child.id())).isPresent();
        List<TaskStatus> subtree = tm.find(child.id()).orElseThrow().statusRecursive();
        assertThat(subtree).extracting(TaskStatus::id).containsExactly(child.id(), grandchild.id());
    }

    @Test
    void aRootWithLiveChildrenIsRetainedAtCompletionAndStillCollectsThem() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask child = root.child("repair").track();
        child.start();
        root.complete();

        child.complete();

        assertThat(root.status().children()).containsExactly(child.id());
        assertThat(tm.find(child.id())).isEmpty();
    }

    /** Regression: a drained child stayed in its parent's live children, so the parent never folded. */
    @Test
    void aChildDrainedWhileWaitingForItsChildrenLeavesItsParentAsARecord() {
        TrackedTask root = module.task("repair").track();
        root.start();
        TrackedTask mid = root.child("repair").track();
        mid.start();
        TrackedTask leaf = mid.child("repair").track();
        leaf.start();
        mid.fail("partial");

        module.drain();

        assertThat(tm.find(mid.id())).isEmpty();
        assertThat(root.status().children()).containsExactly(mid.id());
        assertThat(root.statusRecursive().get(1).error()).isEqualTo("partial");
        tm.assertConsistent();
        leaf.complete();
        assertThat(tm.find(leaf.id())).as("an orphan now, kept under the TTL").isPresent();
        root.complete();
        tm.assertConsistent();
    }
}
