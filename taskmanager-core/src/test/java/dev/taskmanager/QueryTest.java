package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/spec.md §22: every query filter, both orders, cursor paging and counting. */
class QueryTest {
    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().shards(3).taskTtl(Duration.ofHours(1)).build();
    private final TaskModule backup = tm.module("backup");
    private final TaskModule repair = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    private static TaskQuery.Builder query() {
        return TaskQuery.builder();
    }

    private List<UUID> ids(TaskQuery query) {
        return tm.query(query).tasks().stream().map(TaskStats::id).collect(Collectors.toList());
    }

    /** Creates a task one second after the previous one, on the given shard. */
    private TrackedTask created(TaskModule module, int shard) {
        time.advance(Duration.ofSeconds(1));
        return module.task("t").shard(shard).track();
    }

    /** Reads every page of {@code query} in turn, checking the page size and the cursors. */
    private List<UUID> allPages(TaskQuery query) {
        List<UUID> seen = new ArrayList<>();
        TaskPage page = tm.query(query);
        while (true) {
            assertThat(page.tasks().size()).isLessThanOrEqualTo(query.limit());
            page.tasks().forEach(t -> seen.add(t.id()));
            if (!page.hasNext()) {
                return seen;
            }
            assertThat(page.tasks()).hasSize(query.limit());
            assertThat(page.next()).isEqualTo(TaskCursor.after(page.tasks().get(page.tasks().size() - 1)));
            page = tm.query(query.withCursor(page.next()));
        }
    }

    @Test
    void createdOrderIsRegistrationOrderAcrossShardsAndModules() {
        List<UUID> expected = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            expected.add(created(i % 2 == 0 ? backup : repair, i % 3).id());
        }

        assertThat(ids(query().build())).containsExactlyElementsOf(expected);
        assertThat(ids(query().descending(true).build())).containsExactlyElementsOf(reversed(expected));
        assertThat(ids(query().module("repair").build())).containsExactly(expected.get(1), expected.get(3),
                expected.get(5), expected.get(7));
        assertThat(repair.query(TaskQuery.all()).tasks()).extracting(TaskStats::id)
                .containsExactly(expected.get(1), expected.get(3), expected.get(5), expected.get(7));
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void tasksCreatedAtTheSameInstantOnDifferentShardsAreOrderedByIdText() {
        try (TaskManager frozen = TaskManager.builder().shards(4).housekeepingInterval(Duration.ZERO)
                .clock(Clock.fixed(Instant.parse("2025-01-16T16:12:11Z"), ZoneOffset.UTC)).build()) {
            List<TaskStats> tasks = new ArrayList<>();
            for (int shard = 0; shard < 4; shard++) {
                tasks.add(frozen.module("m").task("t").shard(shard).track().stats());
            }
            assertThat(tasks).extracting(TaskStats::createdTime).containsOnly(Instant.parse("2025-01-16T16:12:11Z"));
            List<UUID> byText = tasks.stream().map(TaskStats::id).sorted(Comparator.comparing(UUID::toString))
                    .collect(Collectors.toList());

            assertThat(frozen.query(TaskQuery.all()).tasks()).extracting(TaskStats::id).containsExactlyElementsOf(byText);
        }
    }

    @Test
    void pagesFollowTheCursorWithoutRepeatsOrGapsInBothDirections() {
        List<UUID> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add(created(backup, i % 3).id());
        }

        assertThat(allPages(query().limit(10).build())).containsExactlyElementsOf(expected);
        assertThat(allPages(query().limit(7).descending(true).build())).containsExactlyElementsOf(reversed(expected));
        assertThat(allPages(query().limit(1).build())).containsExactlyElementsOf(expected);
    }

    @Test
    void theNextCursorIsAbsentExactlyWhenNothingFollows() {
        for (int i = 0; i < 10; i++) {
            created(backup, 0);
        }

        assertThat(tm.query(query().limit(10).build()).next()).isNull();
        assertThat(tm.query(query().limit(9).build()).next()).isNotNull();
        assertThat(tm.query(query().module("nothing-here").build()).tasks()).isEmpty();
    }

    @Test
    void aCursorStillWorksWhenItsTaskIsGone() {
        List<TrackedTask> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(created(backup, i % 3));
        }
        TaskPage first = tm.query(query().limit(3).build());
        tasks.get(2).complete();
        tm.unregister(tasks.get(2).id());

        assertThat(tm.query(query().limit(3).after(first.next()).build()).tasks()).extracting(TaskStats::id)
                .containsExactly(tasks.get(3).id(), tasks.get(4).id(), tasks.get(5).id());
    }

    @Test
    void statesTellAbortedFromFailedAndStalledFromRunning() {
        TrackedTask created = created(backup, 0);
        TrackedTask running = created(backup, 1);
        running.start();
        time.advance(Duration.ofSeconds(1));
        TrackedTask stalled = backup.task("t").shard(2).stallThreshold(Duration.ofSeconds(30)).track();
        stalled.start();
        TrackedTask aborting = created(backup, 0);
        aborting.start();
        aborting.abort();
        TrackedTask done = created(backup, 1);
        done.complete();
        TrackedTask failed = created(backup, 2);
        failed.fail("boom");
        TrackedTask aborted = created(backup, 0);
        aborted.start();
        aborted.abort();
        aborted.complete();
        time.advance(Duration.ofSeconds(30));
        tm.cleanUp();

        assertThat(ids(query().states(TaskQuery.State.CREATED).build())).containsExactly(created.id());
        assertThat(ids(query().states(TaskQuery.State.RUNNING).build()))
                .containsExactly(running.id(), stalled.id(), aborting.id());
        assertThat(ids(query().states(TaskQuery.State.STALLED).build())).containsExactly(stalled.id());
        assertThat(ids(query().states(TaskQuery.State.ABORT_REQUESTED).build())).containsExactly(aborting.id());
        assertThat(ids(query().states(TaskQuery.State.DONE).build())).containsExactly(done.id());
        assertThat(ids(query().states(TaskQuery.State.FAILED).build())).containsExactly(failed.id());
        assertThat(ids(query().states(TaskQuery.State.ABORTED).build())).containsExactly(aborted.id());
        assertThat(ids(query().states(TaskQuery.State.DONE, TaskQuery.State.FAILED, TaskQuery.State.ABORTED).build()))
                .containsExactly(done.id(), failed.id(), aborted.id());
        assertThat(TaskQuery.State.fromWireName("Abort_Requested")).isEqualTo(TaskQuery.State.ABORT_REQUESTED);
        assertThat(TaskQuery.State.fromWireName("paused")).isNull();
    }

    @Test
    void attributeFiltersAreExactAndTheEntityFilterIsAPrefix() {
        TrackedTask a = backup.task("backup").scope("node").keyspace("ks").table("t1").entity("/srv/data/a").track();
        TrackedTask b = backup.task("backup").scope("table").keyspace("ks").table("t2").entity("/srv/data/b").shard(1)
                .track();
        TrackedTask c = backup.task("verify").scope("node").keyspace("ks2").entity("/srv/other").shard(2).track();

        assertThat(ids(query().type("backup").build())).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(ids(query().scope("node").build())).containsExactlyInAnyOrder(a.id(), c.id());
        assertThat(ids(query().keyspace("ks").table("t2").build())).containsExactly(b.id());
        assertThat(ids(query().entityPrefix("/srv/data/").build())).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(ids(query().entityPrefix("/srv/data/b").type("backup").build())).containsExactly(b.id());
        assertThat(ids(query().type("back").build())).isEmpty();
    }

    @Test
    void parentLabelUserAndInternalFilters() {
        TrackedTask root = backup.task("backup").userTask().label("tenant", "acme").label("by", "alice").track();
        time.advance(Duration.ofSeconds(1));
        TrackedTask child = root.child("copy").shard(1).label("tenant", "acme").track();
        time.advance(Duration.ofSeconds(1));
        TrackedTask visibleChild = root.child("copy").shard(2).internal(false).track();
        time.advance(Duration.ofSeconds(1));
        TrackedTask other = repair.task("repair").label("tenant", "other").track();

        assertThat(ids(query().parent(root.id()).build())).containsExactly(visibleChild.id());
        assertThat(ids(query().parent(root.id()).includeInternal(true).build()))
                .containsExactly(child.id(), visibleChild.id());
        assertThat(ids(query().parent(root.id()).includeInternal(true).descending(true).build()))
                .containsExactly(visibleChild.id(), child.id());
        assertThat(ids(query().parent(root.id()).module("repair").includeInternal(true).build())).isEmpty();
        assertThat(ids(query().parent(UUID.randomUUID()).build())).isEmpty();
        assertThat(ids(query().label("tenant", "acme").includeInternal(true).build()))
                .containsExactly(root.id(), child.id());
        assertThat(ids(query().label("tenant", "acme").label("by", "alice").build())).containsExactly(root.id());
        assertThat(ids(query().label("tenant", "acme").label("by", "bob").build())).isEmpty();
        assertThat(ids(query().userTask(true).build())).containsExactly(root.id());
        assertThat(ids(query().userTask(false).build())).containsExactly(visibleChild.id(), other.id());
        assertThat(ids(query().build())).as("internal tasks are left out by default")
                .containsExactly(root.id(), visibleChild.id(), other.id());
    }

    @Test
    void createdAndFinishedRangesIncludeTheirStartAndExcludeTheirEnd() {
        TrackedTask t1 = created(backup, 0);
        TrackedTask t2 = created(backup, 1);
        TrackedTask t3 = created(backup, 2);
        time.advance(Duration.ofSeconds(10));
        t1.complete();
        time.advance(Duration.ofSeconds(1));
        t3.complete();
        Instant second = FakeTime.START.plusSeconds(2);

        assertThat(ids(query().created(second, second.plusSeconds(1)).build())).containsExactly(t2.id());
        assertThat(ids(query().created(second, null).build())).containsExactly(t2.id(), t3.id());
        assertThat(ids(query().created(null, second).build())).containsExactly(t1.id());
        assertThat(ids(query().finished(FakeTime.START.plusSeconds(13), null).build())).containsExactly(t1.id(), t3.id());
        assertThat(ids(query().finished(FakeTime.START.plusSeconds(14), FakeTime.START.plusSeconds(15)).build()))
                .containsExactly(t3.id());
        assertThat(ids(query().finished(null, FakeTime.START.plusSeconds(14)).build())).containsExactly(t1.id());
    }

    @Test
    void sequenceOrderSortsByNumberThenCreation() {
        TrackedTask s0a = created(backup, 0);                    // 1 on shard 0
        TrackedTask s1a = created(backup, 1);                    // 1 on shard 1
        TrackedTask s0b = created(backup, 0);                    // 2 on shard 0
        TrackedTask child = s0a.child("t").internal(false).shard(2).track(); // inherits 1, created last
        TrackedTask supplied = backup.task("t").sequenceNumber(0).shard(2).track();

        TaskQuery bySequence = query().order(TaskQuery.Order.SEQUENCE).build();
        assertThat(ids(bySequence)).containsExactly(supplied.id(), s0a.id(), s1a.id(), child.id(), s0b.id());
        assertThat(allPages(query().order(TaskQuery.Order.SEQUENCE).limit(2).build()))
                .containsExactly(supplied.id(), s0a.id(), s1a.id(), child.id(), s0b.id());
        assertThat(allPages(query().order(TaskQuery.Order.SEQUENCE).limit(2).descending(true).build()))
                .containsExactly(s0b.id(), child.id(), s1a.id(), s0a.id(), supplied.id());
    }

    @Test
    void countCountsEveryMatchIgnoringCursorAndLimit() {
        for (int i = 0; i < 7; i++) {
            created(i < 5 ? backup : repair, i % 3);
        }
        TaskQuery limited = query().limit(2).build();

        assertThat(tm.count(limited)).isEqualTo(7);
        assertThat(tm.count(limited.withCursor(tm.query(limited).next()))).isEqualTo(7);
        assertThat(backup.count(TaskQuery.all())).isEqualTo(5);
        assertThat(tm.count(query().module("repair").build())).isEqualTo(2);
    }

    @Test
    void tasksPastTheirTtlAreNotReturned() {
        TrackedTask finished = created(backup, 0);
        finished.complete();
        TrackedTask running = created(backup, 1);
        running.start();
        time.advance(Duration.ofHours(1));

        assertThat(ids(query().build())).containsExactly(running.id());
        assertThat(tm.count(TaskQuery.all())).isEqualTo(1);
    }

    @Test
    void aModuleRefusesAQueryForAnotherModule() {
        assertThatThrownBy(() -> backup.query(query().module("repair").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the query is for module repair, not backup");
        assertThat(backup.query(query().module("backup").build()).tasks()).isEmpty();
    }

    @Test
    void clusterTasksMergeIntoTheOrderAndTheKindFilterSelectsThem() {
        TrackedTask before = created(backup, 0);
        time.advance(Duration.ofSeconds(1));
        Instant clusterCreated = time.instant();
        TrackedTask after = created(backup, 1);
        UUID clusterId = UUID.randomUUID();
        TaskStats cluster = new TaskStats(clusterId, "backup", TaskState.RUNNING, "global", TaskKind.CLUSTER, "cluster",
                "", "", "", 0, 0, clusterCreated, null, clusterCreated, null, false, false, null, false, null, null);
        backup.clusterTasks(new ClusterTaskProvider() {
            @Override
            public Stream<TaskStats> tasks() {
                return Stream.of(cluster);
            }

            @Override
            public Optional<Task> find(UUID id) {
                return Optional.empty();
            }
        });

        assertThat(ids(query().build())).containsExactly(before.id(), clusterId, after.id());
        assertThat(allPages(query().limit(1).build())).containsExactly(before.id(), clusterId, after.id());
        assertThat(ids(query().kind(TaskKind.CLUSTER).build())).containsExactly(clusterId);
        assertThat(ids(query().kind(TaskKind.NODE).build())).containsExactly(before.id(), after.id());
        assertThat(ids(query().type("global").build())).containsExactly(clusterId);
    }

    @Test
    void theQueryBuilderValidatesAndRejectsRepeatedSettings() {
        assertThatThrownBy(() -> query().limit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> query().limit(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query().type("a").type("b")).isInstanceOf(IllegalStateException.class)
                .hasMessage("type was already set to a");
        assertThatThrownBy(() -> query().states()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> query().created(FakeTime.START.plusSeconds(1), FakeTime.START))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("created range is empty");
        TaskQuery base = query().type("a").limit(5).build();
        assertThat(base.toBuilder().type("b").build().type()).isEqualTo("b");
        assertThat(base.toString()).contains("type=a").contains("limit=5");
    }

    @Test
    void idsCompareInTheOrderOfTheirText() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            UUID a = new UUID(random.nextLong(), random.nextLong());
            UUID b = new UUID(random.nextLong(), random.nextLong());
            assertThat(Integer.signum(TaskCursor.compareIds(a, b)))
                    .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
        }
    }
}
