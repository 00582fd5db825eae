package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing with filters, across shards, and cluster-kind tasks (SPEC §5.3, §11, §12.1). */
class ListingTest {
    private final TaskManager tm = new FakeTime().builder().shards(3).taskTtl(Duration.ofHours(1)).build();
    private final TaskModule module = tm.module("compaction");

    @AfterEach
    void close() {
        tm.close();
    }

    private static List<UUID> ids(Stream<TaskStats> stats) {
        return stats.map(TaskStats::id).collect(Collectors.toList());
    }

    @Test
    void listingHidesInternalTasksUnlessAskedForThem() {
        TrackedTask root = module.task("c").shard(0).track();
        TrackedTask child = root.child("c").shard(2).track();

        assertThat(ids(module.tasks())).containsExactly(root.id());
        assertThat(ids(module.tasks(TaskFilter.DEFAULT.withInternal(true))))
                .containsExactlyInAnyOrder(root.id(), child.id());
    }

    @Test
    void keyspaceAndTableFiltersAreExactMatches() {
        TrackedTask ks1 = module.task("c").keyspace("ks1").table("t1").track();
        TrackedTask ks1t2 = module.task("c").keyspace("ks1").table("t2").shard(1).track();
        module.task("c").keyspace("ks10").table("t1").track();

        assertThat(ids(module.tasks(TaskFilter.DEFAULT.withKeyspace("ks1"))))
                .containsExactlyInAnyOrder(ks1.id(), ks1t2.id());
        assertThat(ids(module.tasks(TaskFilter.DEFAULT.withKeyspace("ks1").withTable("t2"))))
                .containsExactly(ks1t2.id());
        assertThat(ids(module.tasks(new TaskFilter(false, "", "")))).hasSize(3);
    }

    @Test
    void aModuleListsOnlyItsOwnTasks() {
        TrackedTask mine = module.task("c").track();
        tm.module("repair").task("r").track();

        assertThat(ids(module.tasks())).containsExactly(mine.id());
    }

    /** Regression: a listing buffered a whole shard's tasks per request (JDK-8196106, issue 11). */
    @Test
    void aListingIsLazyAndSeesTasksRegisteredInItsShardAfterItBegan() {
        TrackedTask first = module.task("c").shard(0).track();
        TrackedTask second = module.task("c").shard(0).track();
        java.util.Iterator<TaskStats> listing = module.tasks().iterator();
        assertThat(listing.next().id()).isEqualTo(first.id());

        TrackedTask third = module.task("c").shard(0).track();
        second.start();

        TaskStats next = listing.next();
        assertThat(next.id()).isEqualTo(second.id());
        assertThat(next.state()).as("read when reached, not when the listing began").isEqualTo(TaskState.RUNNING);
        assertThat(listing.next().id()).isEqualTo(third.id());
        assertThat(listing.hasNext()).isFalse();
    }

    @Test
    void aListingSkipsTasksUnregisteredAfterItBegan() {
        TrackedTask first = module.task("c").track();
        TrackedTask second = module.task("c").track();
        second.complete();
        java.util.Iterator<TaskStats> listing = module.tasks().iterator();
        assertThat(listing.next().id()).isEqualTo(first.id());

        tm.unregister(second.id());

        assertThat(listing.hasNext()).isFalse();
    }

    @Test
    void listingSummariesCarryEveryField() {
        TrackedTask task = module.task("major compaction").scope("keyspace").keyspace("ks").table("t")
                .entity("e").shard(1).track();
        task.start();

        TaskStats stats = module.tasks().findFirst().orElseThrow();
        assertThat(stats).isEqualTo(new TaskStats(task.id(), "compaction", TaskState.RUNNING, "major compaction",
                TaskKind.NODE, "keyspace", "ks", "t", "e", 1, 1, FakeTime.START, null, FakeTime.START, null, false,
                false, null, false, null, java.util.Map.of()));
    }

    @Test
    void clusterTasksAreListedAndFoundThroughTheirProvider() {
        UUID id = UUID.randomUUID();
        TaskStats clusterStats = new TaskStats(id, "compaction", TaskState.RUNNING, "global", TaskKind.CLUSTER,
                "cluster", "ks", "", "", 0, 0, FakeTime.START, null, FakeTime.START, null, false, false, null, false,
                null, java.util.Map.of());
        Task clusterTask = new ClusterTask(clusterStats);
        module.clusterTasks(new ClusterTaskProvider() {
            @Override
            public Stream<TaskStats> tasks() {
                return Stream.of(clusterStats);
            }

            @Override
            public Optional<Task> find(UUID wanted) {
                return wanted.equals(id) ? Optional.of(clusterTask) : Optional.empty();
            }
        });

        assertThat(ids(module.tasks())).containsExactly(id);
        assertThat(ids(module.tasks(TaskFilter.DEFAULT.withKeyspace("other")))).isEmpty();
        assertThat(tm.find(id)).containsSame(clusterTask);
        assertThat(tm.status(id).orElseThrow().kind()).isEqualTo(TaskKind.CLUSTER);
    }

    /** A minimal cluster-kind task, as a provider would hand out. */
    private static final class ClusterTask implements Task {
        private final TaskStats stats;

        ClusterTask(TaskStats stats) {
            this.stats = stats;
        }

        @Override
        public UUID id() {
            return stats.id();
        }

        @Override
        public String module() {
            return stats.module();
        }

        @Override
        public TaskState state() {
            return stats.state();
        }

        @Override
        public boolean isAbortable() {
            return false;
        }

        @Override
        public TaskStatus status() {
            return new TaskStatus(stats.id(), stats.module(), stats.type(), TaskKind.CLUSTER, stats.scope(),
                    stats.state(), false, stats.startTime(), null, "", null, 0, 0, stats.keyspace(), "", "", "",
                    TaskProgress.NONE, List.of(), false, false, stats.createdTime(), stats.createdTime(), null, null,
                    null, false, null, java.util.Map.of());
        }

        @Override
        public TaskStats stats() {
            return stats;
        }

        @Override
        public List<TaskStatus> statusRecursive() {
            return List.of(status());
        }

        @Override
        public CompletableFuture<TaskStatus> done() {
            return new CompletableFuture<>();
        }

        @Override
        public TaskStatus await(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort(String reason, String requestedBy) {
        }

        @Override
        public boolean isAbortRequested() {
            return false;
        }
    }
}
