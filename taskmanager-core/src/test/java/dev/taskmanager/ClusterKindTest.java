package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §11: a cluster-kind operation coordinated by this node, and the children of one coordinated elsewhere. */
class ClusterKindTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().shards(2).build();
    private final TaskModule repair = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void aClusterTaskReportsItsKindSequenceNumberZeroAndShardZeroAndIsNeverInternal() {
        repair.task("t").track(); // draws 1: the cluster task must not draw
        TrackedTask cluster = repair.task("repair").kind(TaskKind.CLUSTER).track();
        TrackedTask next = repair.task("t").track();

        TaskStatus status = cluster.status();
        assertThat(status.kind()).isEqualTo(TaskKind.CLUSTER);
        assertThat(status.sequenceNumber()).isZero();
        assertThat(status.shard()).isZero();
        assertThat(status.internal()).isFalse();
        assertThat(status.parentId()).isNull();
        assertThat(cluster.stats().kind()).isEqualTo(TaskKind.CLUSTER);
        assertThat(next.status().sequenceNumber()).as("the counter did not move").isEqualTo(2);
    }

    @Test
    void aChildOfAClusterTaskIsVisibleAndDrawsItsOwnSequenceNumber() {
        TrackedTask cluster = repair.task("repair").kind(TaskKind.CLUSTER).track();
        TrackedTask child = cluster.child("repair").scope("node").track();
        TrackedTask grandchild = child.child("repair").scope("table").track();

        assertThat(child.status().kind()).isEqualTo(TaskKind.NODE);
        assertThat(child.status().internal()).as("SPEC 5.3: its parent is not a regular task").isFalse();
        assertThat(child.status().sequenceNumber()).isEqualTo(1);
        assertThat(grandchild.status().internal()).as("a child of a regular task").isTrue();
        assertThat(grandchild.status().sequenceNumber()).as("inherited").isEqualTo(1);
        assertThat(cluster.status().children()).containsExactly(child.id());
    }

    @Test
    void aChildOfAClusterTaskHeldElsewhereShowsItsParentAndLivesAsARootHere() {
        UUID remote = UUID.randomUUID();
        TrackedTask part = repair.task("repair").scope("node").clusterParent(remote).userTask().track();

        TaskStatus status = part.status();
        assertThat(status.parentId()).isEqualTo(remote);
        assertThat(part.stats().parentId()).isEqualTo(remote);
        assertThat(status.internal()).isFalse();
        assertThat(status.sequenceNumber()).isEqualTo(1);
        assertThat(repair.tasks()).extracting(TaskStats::id).containsExactly(part.id());
        assertThat(tm.query(TaskQuery.builder().parent(remote).build()).tasks()).as("registered children only")
                .isEmpty();

        part.start();
        part.complete();
        assertThat(tm.find(part.id())).as("kept for the user task TTL, as a root").isPresent();
    }

    @Test
    void queriesSelectClusterTasksHeldHereByKind() {
        TrackedTask cluster = repair.task("repair").kind(TaskKind.CLUSTER).track();
        TrackedTask node = repair.task("t").track();

        assertThat(tm.query(TaskQuery.builder().kind(TaskKind.CLUSTER).build()).tasks()).extracting(TaskStats::id)
                .containsExactly(cluster.id());
        assertThat(tm.query(TaskQuery.builder().kind(TaskKind.NODE).build()).tasks()).extracting(TaskStats::id)
                .containsExactly(node.id());
        assertThat(tm.count(TaskQuery.builder().kind(TaskKind.CLUSTER).build())).isEqualTo(1);
    }

    @Test
    void aClusterTaskCoordinatedHereIsAnsweredByItsModulesProviderWhichSeesItsPartsElsewhere() {
        TrackedTask cluster = repair.task("repair").kind(TaskKind.CLUSTER).track();
        TrackedTask node = repair.task("t").track();
        Task view = new TrackedView(cluster);
        repair.clusterTasks(new ClusterTaskProvider() {
            @Override
            public java.util.stream.Stream<TaskStats> tasks() {
                return java.util.stream.Stream.empty();
            }

            @Override
            public java.util.Optional<Task> find(UUID id) {
                return id.equals(cluster.id()) ? java.util.Optional.of(view) : java.util.Optional.empty();
            }
        });

        assertThat(tm.find(cluster.id())).containsSame(view);
        assertThat(tm.find(node.id())).as("node tasks are the registry's").containsSame(node);
        repair.clusterTasks(null);
        assertThat(tm.find(cluster.id())).containsSame(cluster);
    }

    /** A provider's view of a task: here, simply another handle on it. */
    private static final class TrackedView implements Task {
        private final Task task;

        TrackedView(Task task) {
            this.task = task;
        }

        @Override
        public UUID id() {
            return task.id();
        }

        @Override
        public String module() {
            return task.module();
        }

        @Override
        public TaskState state() {
            return task.state();
        }

        @Override
        public boolean isAbortable() {
            return task.isAbortable();
        }

        @Override
        public TaskStatus status() {
            return task.status();
        }

        @Override
        public TaskStats stats() {
            return task.stats();
        }

        @Override
        public java.util.List<TaskStatus> statusRecursive() {
            return task.statusRecursive();
        }

        @Override
        public java.util.concurrent.CompletableFuture<TaskStatus> done() {
            return task.done();
        }

        @Override
        public TaskStatus await(java.time.Duration timeout) throws java.util.concurrent.TimeoutException,
                InterruptedException {
            return task.await(timeout);
        }

        @Override
        public void abort(String reason, String requestedBy) {
            task.abort(reason, requestedBy);
        }

        @Override
        public boolean isAbortRequested() {
            return task.isAbortRequested();
        }
    }

    @Test
    void aClusterTaskRefusesWhatContradictsItNamingTheSetting() {
        TrackedTask parent = repair.task("t").track();
        assertThatThrownBy(() -> repair.task("t").parent(parent.id()).kind(TaskKind.CLUSTER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parent " + parent.id());
        assertThatThrownBy(() -> repair.task("t").kind(TaskKind.CLUSTER).internal(true).track())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("internal(true)");
        assertThatThrownBy(() -> repair.task("t").kind(TaskKind.CLUSTER).shard(1).track())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard 1");
        assertThatThrownBy(() -> repair.task("t").sequenceNumber(7).kind(TaskKind.CLUSTER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequenceNumber 7");
        assertThatThrownBy(() -> repair.task("t").kind(TaskKind.CLUSTER).kind(TaskKind.NODE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kind was already set to CLUSTER");
        assertThatThrownBy(() -> repair.task("t").clusterParent(UUID.randomUUID()).parent(parent.id()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("parent was already set");
    }
}
