package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/spec.md §21: labels set at creation, immutable, in every snapshot. */
class LabelsTest {
    private final TaskManager tm = new FakeTime().builder().taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("backup");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void labelsAppearInStatusStatsListingsAndFoldedRecordsInKeyOrder() {
        TrackedTask root = module.task("backup").label("tenant", "acme").label("by", "alice")
                .labels(Map.of("ticket", "OPS-12")).track();
        root.start();
        TrackedTask child = root.child("copy").label("part", "1").track();
        child.start();
        child.complete();

        Map<String, String> expected = Map.of("tenant", "acme", "by", "alice", "ticket", "OPS-12");
        assertThat(root.status().labels()).isEqualTo(expected);
        assertThat(List.copyOf(root.status().labels().keySet())).containsExactly("by", "tenant", "ticket");
        assertThat(root.stats().labels()).isEqualTo(expected);
        assertThat(module.tasks().findFirst().orElseThrow().labels()).isEqualTo(expected);
        assertThat(root.statusRecursive().get(1).labels()).as("not inherited; kept in the folded record")
                .isEqualTo(Map.of("part", "1"));
    }

    @Test
    void aTaskWithoutLabelsHasAnEmptyMap() {
        assertThat(module.task("backup").track().status().labels()).isEmpty();
    }

    @Test
    void labelsCannotBeChangedThroughASnapshotOrTheBuildersMap() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("tenant", "acme");
        TrackedTask task = module.task("backup").labels(given).track();
        given.put("tenant", "other");

        assertThat(task.status().labels()).containsEntry("tenant", "acme");
        assertThatThrownBy(() -> task.status().labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void snapshotsWithTheSameLabelsAreEqual() {
        TaskStats a = module.task("backup").label("k", "v").track().stats();

        assertThat(a.labels()).isEqualTo(Map.of("k", "v")).hasSameHashCodeAs(Map.of("k", "v"));
        TaskStats copy = new TaskStats(a.id(), a.module(), a.state(), a.type(), a.kind(), a.scope(), a.keyspace(),
                a.table(), a.entity(), a.sequenceNumber(), a.shard(), a.startTime(), a.endTime(), a.createdTime(),
                a.parentId(), a.userTask(), a.internal(), a.abortRequest(), a.stalled(), a.deadline(),
                new java.util.HashMap<>(Map.of("k", "v")));
        assertThat(copy).isEqualTo(a);
    }
}
