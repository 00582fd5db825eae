package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
            TrackedTask task = tm.module(modules[i % 3]).task(i % 2 == 0 ? "copy" : "check").scope("node")
                    .keyspace("ks" + (i % 2)).table("t" + (i % 5)).entity("/data/" + (i % 6) + "/part-" + i)
                    .userTask(i % 5 == 0).track();
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
                task.fail("broken " + i);
            }
        }
        store.writeNow();
        // what the core's second round will write itself: an abort request, and labels
        store.read("mark", c -> {
            try (var s = c.createStatement()) {
                s.executeUpdate("UPDATE tasks SET abort_requested_at = 1 WHERE state = 'failed' AND error LIKE 'broken 5%'");
                s.executeUpdate("UPDATE tasks SET labels = " + (engine == Engine.POSTGRES ? "'{\"tenant\": \"acme\"}'::jsonb"
                        : "'{\"tenant\":\"acme\"}'") + " WHERE entity LIKE '/data/1/%'");
            }
            return null;
        });
        all = store.page(query(b -> b.includeInternal = true, 10_000)).tasks();
        assertThat(all).hasSize(60 + 8); // children of the started roots 0, 7, ..., 56 but 49
    }

    /** A mutable stand-in for the core's query builder. */
    static final class Q {
        String module;
        Set<String> states = Set.of();
        String type;
        String entityPrefix;
        UUID parent;
        Map<String, String> labels = Map.of();
        Instant createdFrom;
        Instant createdTo;
        Instant finishedFrom;
        Boolean userTask;
        boolean includeInternal;
        boolean bySequence;
        boolean descending;
    }

    private static QuerySpec query(java.util.function.Consumer<Q> settings, int limit) {
        Q q = new Q();
        settings.accept(q);
        return new QuerySpec(q.module, q.states, q.type, null, null, null, null, q.entityPrefix, q.parent, q.labels,
                q.createdFrom, q.createdTo, q.finishedFrom, null, q.userTask, q.includeInternal, q.bySequence,
                q.descending, limit, null);
    }

    private static QuerySpec after(QuerySpec q, StoredTask last) {
        TaskStatus s = last.status();
        return new QuerySpec(q.module(), q.states(), q.type(), q.kind(), q.scope(), q.keyspace(), q.table(),
                q.entityPrefix(), q.parent(), q.labels(), q.createdFrom(), q.createdTo(), q.finishedFrom(),
                q.finishedTo(), q.userTask(), q.includeInternal(), q.bySequence(), q.descending(), q.limit(),
                new QuerySpec.Key(s.sequenceNumber(), created(last), s.id()));
    }

    /** The stored creation time (until the core stamps it: the start time, else the first write). */
    private static Instant created(StoredTask task) {
        return task.status().startTime() != null ? task.status().startTime() : task.written();
    }

    /** Every page of the query, followed by cursor, concatenated. */
    private List<UUID> pages(QuerySpec first) {
        List<UUID> ids = new ArrayList<>();
        QuerySpec q = first;
        for (int pages = 0; pages < 100; pages++) {
            HistoryStore.Page page = store.page(q);
            page.tasks().forEach(t -> ids.add(t.status().id()));
            if (!page.more()) {
                return ids;
            }
            q = after(q, page.tasks().get(page.tasks().size() - 1));
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
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private void check(java.util.function.Consumer<Q> settings, Predicate<StoredTask> filter) {
        Q q = new Q();
        settings.accept(q);
        Predicate<StoredTask> visible = q.includeInternal ? filter : filter.and(t -> !t.status().internal());
        List<UUID> expected = expected(visible, q.bySequence, q.descending);
        assertThat(pages(query(settings, 7))).as("paged by 7").containsExactlyElementsOf(expected);
        assertThat(store.count(query(settings, 7))).isEqualTo(expected.size());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void pagesFollowTheCoresOrderWithTiesBrokenByIdAndEveryFilterMatchesLikeTheCore(Engine engine) {
        populate(engine);
        check(q -> { }, t -> true);
        check(q -> q.includeInternal = true, t -> true);
        check(q -> q.descending = true, t -> true);
        check(q -> q.bySequence = true, t -> true);
        check(q -> { q.bySequence = true; q.descending = true; q.includeInternal = true; }, t -> true);
        check(q -> q.module = "repair", t -> t.status().module().equals("repair"));
        check(q -> q.type = "check", t -> t.status().type().equals("check"));
        check(q -> q.entityPrefix = "/data/3/", t -> t.status().entity().startsWith("/data/3/"));
        check(q -> q.userTask = true, t -> t.status().userTask());
        check(q -> q.userTask = false, t -> !t.status().userTask());
        check(q -> q.labels = Map.of("tenant", "acme"), t -> t.status().entity().startsWith("/data/1/"));
        check(q -> q.labels = Map.of("tenant", "other"), t -> false);
        UUID parent = all.stream().filter(t -> !t.status().children().isEmpty()).findFirst().orElseThrow().status().id();
        check(q -> { q.parent = parent; q.includeInternal = true; }, t -> parent.equals(t.status().parentId()));
        Instant middle = created(all.get(all.size() / 2));
        check(q -> q.createdFrom = middle, t -> !created(t).isBefore(middle));
        check(q -> q.createdTo = middle, t -> created(t).isBefore(middle));
        check(q -> q.finishedFrom = FakeTime.START, t -> t.status().endTime() != null);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void statesTellAbortedFromFailedAndSelectAnyOfSeveral(Engine engine) {
        populate(engine);
        Predicate<StoredTask> aborted = t -> t.status().error().startsWith("broken 5");
        check(q -> q.states = Set.of("done"), t -> t.status().state() == TaskState.DONE);
        check(q -> q.states = Set.of("failed"), t -> t.status().state() == TaskState.FAILED && !aborted.test(t));
        check(q -> q.states = Set.of("aborted"), t -> t.status().state() == TaskState.FAILED && aborted.test(t));
        check(q -> q.states = Set.of("running", "created"), t -> !t.status().state().isTerminal());
        check(q -> { q.states = Set.of("running"); q.module = "files"; },
                t -> t.status().state() == TaskState.RUNNING && t.status().module().equals("files"));
        assertThat(store.count(query(q -> q.states = Set.of("aborted"), 7))).isPositive();
    }
}
