package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskBuilder;
import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Queries on stored tasks: every filter, both orders and directions, and paging by cursor, checked
 * against the same filter applied in Java to every stored row.
 */
class QueryTest {
    @TempDir
    Path temp;

    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private HistoryStore store;
    private List<StoredTask> all;

    @AfterEach
    void close() {
        tm.close();
        store.close();
    }

    /** 60 roots over 3 modules, several created at the same instant, in every state; some children. */
    private void populate(Engine engine) {
        store = engine.newLocation(temp).builder().taskManager(tm).clock(time).ticker(time).manualWriter().open();
        String[] modules = {"backup", "repair", "files"};
        for (int i = 0; i < 60; i++) {
            if (i % 4 == 0) {
                time.advance(Duration.ofMillis(1)); // the others share an instant: ordered by id
            }
            TaskBuilder builder = tm.module(modules[i % 3]).task(i % 2 == 0 ? "copy" : "check").scope("node")
                    .keyspace("ks" + (i % 2)).table("t" + (i % 5)).entity("/data/" + (i % 6) + "/part-" + i)
                    .userTask(i % 5 == 0);
            if (i % 6 == 1) {
                builder.label("tenant", "acme");
            }
            TrackedTask task = builder.track();
            if (i % 10 == 9) {
                continue; // created, never started
            }
            task.start();
            if (i % 7 == 0) {
                TrackedTask child = task.child("copy").scope("table").track();
                child.start();
            }
            if (i % 3 == 1) {
                task.complete();
            } else if (i % 3 == 2) {
                if (i % 5 == 0) {
                    task.abort("stop", "test"); // ends failed, aborted
                    task.complete();
                } else {
                    task.fail("broken " + i);
                }
            }
        }
        store.writeNow();
        all = store.query(TaskQuery.builder().includeInternal(true).limit(10_000).build()).tasks();
        assertThat(all).hasSize(60 + 8); // children of the started roots 0, 7, ..., 56 but 49
    }

    private static Instant created(StoredTask task) {
        return task.status().createdTime();
    }

    /** Every page of the query, followed by cursor, concatenated. */
    private List<UUID> pages(TaskQuery first) {
        List<UUID> ids = new ArrayList<>();
        TaskQuery q = first;
        for (int pages = 0; pages < 100; pages++) {
            HistoryPage page = store.query(q);
            page.tasks().forEach(t -> ids.add(t.status().id()));
            assertThat(page.toTaskPage().tasks()).extracting(TaskStats::id)
                    .containsExactlyElementsOf(page.tasks().stream().map(t -> t.status().id()).toList());
            if (!page.hasNext()) {
                return ids;
            }
            q = q.withCursor(page.next());
        }
        throw new AssertionError("more than 100 pages");
    }

    private List<UUID> expected(Predicate<StoredTask> filter, boolean bySequence, boolean descending) {
        Comparator<StoredTask> order = Comparator.comparing(QueryTest::created)
                .thenComparing((a, b) -> compareIds(a.status().id(), b.status().id()));
        if (bySequence) {
            order = Comparator.<StoredTask>comparingLong(t -> t.status().sequenceNumber()).thenComparing(order);
        }
        if (descending) {
            order = order.reversed();
        }
        return all.stream().filter(filter).sorted(order).map(t -> t.status().id()).toList();
    }

    private static int compareIds(UUID a, UUID b) {
        return TaskCursor.compareIds(a, b);
    }

    private void check(Consumer<TaskQuery.Builder> settings, Predicate<StoredTask> filter) {
        TaskQuery.Builder builder = TaskQuery.builder().limit(7);
        settings.accept(builder);
        TaskQuery q = builder.build();
        Predicate<StoredTask> visible = q.includeInternal() ? filter : filter.and(t -> !t.status().internal());
        List<UUID> expected = expected(visible, q.order() == TaskQuery.Order.SEQUENCE, q.descending());
        assertThat(pages(q)).as("%s paged by 7", q).containsExactlyElementsOf(expected);
        assertThat(store.count(q)).isEqualTo(expected.size());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void pagesFollowTheCoresOrderWithTiesBrokenByIdAndEveryFilterMatchesLikeTheCore(Engine engine) {
        populate(engine);
        check(q -> { }, t -> true);
        check(q -> q.includeInternal(true), t -> true);
        check(q -> q.descending(true), t -> true);
        check(q -> q.order(TaskQuery.Order.SEQUENCE), t -> true);
        check(q -> q.order(TaskQuery.Order.SEQUENCE).descending(true).includeInternal(true), t -> true);
        check(q -> q.module("repair"), t -> t.status().module().equals("repair"));
        check(q -> q.type("check"), t -> t.status().type().equals("check"));
        check(q -> q.kind(TaskKind.NODE).scope("node").keyspace("ks1").table("t3"),
                t -> t.status().keyspace().equals("ks1") && t.status().table().equals("t3"));
        check(q -> q.entityPrefix("/data/3/"), t -> t.status().entity().startsWith("/data/3/"));
        check(q -> q.userTask(true), t -> t.status().userTask());
        check(q -> q.userTask(false), t -> !t.status().userTask());
        check(q -> q.label("tenant", "acme"), t -> "acme".equals(t.status().labels().get("tenant")));
        check(q -> q.label("tenant", "other"), t -> false);
        UUID parent = all.stream().filter(t -> !t.status().children().isEmpty()).findFirst().orElseThrow().status().id();
        check(q -> q.parent(parent).includeInternal(true), t -> parent.equals(t.status().parentId()));
        Instant middle = created(all.get(all.size() / 2));
        check(q -> q.created(middle, null), t -> !created(t).isBefore(middle));
        check(q -> q.created(null, middle), t -> created(t).isBefore(middle));
        check(q -> q.finished(FakeTime.START, null), t -> t.status().endTime() != null);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void statesTellAbortedFromFailedAndSelectAnyOfSeveral(Engine engine) {
        populate(engine);
        Predicate<StoredTask> aborted = t -> t.status().aborted();
        check(q -> q.states(TaskQuery.State.DONE), t -> t.status().state() == TaskState.DONE);
        check(q -> q.states(TaskQuery.State.FAILED), t -> t.status().state() == TaskState.FAILED && !aborted.test(t));
        check(q -> q.states(TaskQuery.State.ABORTED), aborted);
        check(q -> q.states(TaskQuery.State.RUNNING, TaskQuery.State.CREATED), t -> !t.status().state().isTerminal());
        check(q -> q.states(TaskQuery.State.RUNNING).module("files"),
                t -> t.status().state() == TaskState.RUNNING && t.status().module().equals("files"));
        assertThat(store.count(TaskQuery.builder().states(TaskQuery.State.ABORTED).build())).isPositive();
    }
}
