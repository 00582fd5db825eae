package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskPage;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskState;
import dev.taskmanager.TrackedTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A recording store's reads leave out what its task manager still holds, so that the registry and
 * the store, merged, list and count every task once (docs/history.md): while the task is live, after
 * it left the registry (TTL, fold, drain), and after a restart.
 */
class LiveAndHistoryTest {
    private static final TaskQuery ALL = TaskQuery.builder().includeInternal(true).limit(3).build();

    @TempDir
    Path temp;

    private final FakeTime time = new FakeTime();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TaskManager taskManager() {
        TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
        open.add(tm);
        return tm;
    }

    private HistoryStore open(Engine.Location location, TaskManager tm) {
        HistoryStore store = location.builder().nodeName("node-a").taskManager(tm).clock(time).ticker(time)
                .manualWriter().open();
        open.add(store);
        return store;
    }

    /** Every id of every page of {@code query} in the registry, in order. */
    private static List<UUID> live(TaskManager tm, TaskQuery query) {
        List<UUID> ids = new ArrayList<>();
        TaskQuery q = query;
        while (true) {
            TaskPage page = tm.query(q);
            page.tasks().forEach(t -> ids.add(t.id()));
            if (page.next() == null) {
                return ids;
            }
            q = q.toBuilder().after(page.next()).build();
        }
    }

    /** Every id of every page of {@code query} in the store, in order. */
    private static List<UUID> stored(HistoryStore store, TaskQuery query) {
        List<UUID> ids = new ArrayList<>();
        TaskQuery q = query;
        while (true) {
            HistoryPage page = store.query(q);
            page.tasks().forEach(t -> ids.add(t.status().id()));
            if (page.next() == null) {
                return ids;
            }
            q = q.toBuilder().after(page.next()).build();
        }
    }

    /** The registry and the store together hold exactly {@code expected}, each once, and count it so. */
    private static void listedAndCountedOnce(TaskManager tm, HistoryStore store, Set<UUID> expected) {
        List<UUID> live = live(tm, ALL);
        List<UUID> stored = stored(store, ALL);
        List<UUID> both = new ArrayList<>(live);
        both.addAll(stored);
        assertThat(both).as("live %s, stored %s", live, stored).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tm.count(ALL) + store.count(ALL)).isEqualTo(expected.size());
        assertThat(store.count(ALL)).isEqualTo(stored.size());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTaskStoredWhileStillInMemoryIsListedAndCountedOnceFromMemory(Engine engine) {
        TaskManager tm = taskManager();
        HistoryStore store = open(engine.newLocation(temp), tm);
        Set<UUID> all = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            TrackedTask running = tm.module("m").task("t").track();
            running.start();
            running.progress().set(i, 10);
            TrackedTask finished = tm.module("m").task("t").track();
            finished.start();
            finished.complete();
            all.add(running.id());
            all.add(finished.id());
        }
        store.writeNow();

        assertThat(store.find(all.iterator().next())).as("stored, and found by id").isPresent();
        assertThat(stored(store, ALL)).as("the registry answers them").isEmpty();
        assertThat(store.count(ALL)).isZero();
        listedAndCountedOnce(tm, store, all);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTaskThatLeftTheRegistryByTtlFoldOrDrainIsListedAndCountedOnceFromHistory(Engine engine) {
        TaskManager tm = taskManager();
        HistoryStore store = open(engine.newLocation(temp), tm);
        TrackedTask expires = tm.module("m").task("t").track();
        expires.start();
        store.writeNow(); // a running checkpoint, in memory
        expires.complete();
        store.writeNow(); // its final state, in memory
        TrackedTask parent = tm.module("m").task("t").track();
        parent.start();
        TrackedTask child = parent.child("c").track();
        child.start();
        store.writeNow();
        child.complete(); // folds into its parent: leaves the registry before its final state is announced
        TrackedTask drained = tm.module("d").task("t").track();
        drained.start();
        drained.complete();
        store.writeNow();
        Set<UUID> all = Set.of(expires.id(), parent.id(), child.id(), drained.id());

        assertThat(stored(store, ALL)).containsExactly(child.id());
        listedAndCountedOnce(tm, store, all);

        tm.findModule("d").orElseThrow().drain();
        time.advance(Duration.ofHours(2));
        tm.cleanUp(); // the TTL of expires passes
        store.writeNow();

        assertThat(live(tm, ALL)).containsExactly(parent.id());
        assertThat(stored(store, ALL)).containsExactlyInAnyOrder(expires.id(), child.id(), drained.id());
        assertThat(store.find(child.id()).orElseThrow().status().state()).isEqualTo(TaskState.DONE);
        listedAndCountedOnce(tm, store, all);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aLateWriteOfAnOlderStateDoesNotBringADepartedTaskBackIntoMemory(Engine engine) throws Exception {
        TaskManager tm = taskManager();
        HistoryStore store = open(engine.newLocation(temp), tm);
        TrackedTask task = tm.module("m").task("t").track();
        task.start();
        store.writeNow();
        var running = task.status();
        task.complete();
        store.writeNow();
        tm.unregister(task.id());
        store.writeNow();

        store.read("write an old snapshot late", c -> {
            try (var s = c.prepareStatement(TaskRows.UPSERT)) {
                TaskRows.bind(s, engine.dialect(), running, "node-a", TaskRows.nanos(running.createdTime()), 0, true);
                s.executeUpdate();
            }
            return null;
        });

        assertThat(stored(store, ALL)).containsExactly(task.id());
        listedAndCountedOnce(tm, store, Set.of(task.id()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void afterARestartEveryRowOfThisNodeIsListedAndCountedOnceFromHistory(Engine engine) {
        Engine.Location location = engine.newLocation(temp);
        TaskManager first = taskManager();
        HistoryStore crashed = open(location, first);
        Set<UUID> all = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            TrackedTask task = first.module("m").task("t").track();
            task.start();
            if (i % 2 == 0) {
                task.complete();
            }
            all.add(task.id());
        }
        crashed.writeNow();
        assertThat(crashed.count(ALL)).isZero();
        crashed.abandon(); // kill -9: every row still says in memory

        TaskManager second = taskManager();
        HistoryStore restarted = open(location, second);
        TrackedTask fresh = second.module("m").task("t").track();
        fresh.start();
        restarted.writeNow();

        assertThat(restarted.count(ALL)).isEqualTo(5);
        assertThat(stored(restarted, ALL)).containsExactlyInAnyOrderElementsOf(all);
        all.add(fresh.id());
        listedAndCountedOnce(second, restarted, all);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStoreAttachedToARegistryThatAlreadyHoldsTasksKeepsTheirRowsInMemory(Engine engine) {
        Engine.Location location = engine.newLocation(temp);
        TaskManager tm = taskManager();
        HistoryStore first = open(location, tm);
        TrackedTask task = tm.module("m").task("t").track();
        task.start();
        first.writeNow();
        first.close(); // the store goes, the registry stays

        HistoryStore second = open(location, tm);
        second.writeNow();

        assertThat(second.count(ALL)).as("still registered: answered from memory").isZero();
        listedAndCountedOnce(tm, second, Set.of(task.id()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStoreThatOnlyReadsLeavesOutNothing(Engine engine) {
        Engine.Location location = engine.newLocation(temp);
        TaskManager tm = taskManager();
        HistoryStore recording = open(location, tm);
        TrackedTask task = tm.module("m").task("t").track();
        task.start();
        recording.writeNow();

        HistoryStore reader = location.builder().nodeName("node-a").open();
        open.add(reader);

        assertThat(recording.count(ALL)).isZero();
        assertThat(reader.count(ALL)).as("it holds no registry: every stored task is its to list").isEqualTo(1);
        assertThat(reader.query(ALL).tasks()).extracting(t -> t.status().id()).containsExactly(task.id());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void countsAndPagesAgreeUnderFiltersOnBothSidesOfTheBoundary(Engine engine) {
        TaskManager tm = taskManager();
        HistoryStore store = open(engine.newLocation(temp), tm);
        Set<UUID> failed = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            TrackedTask task = tm.module(i % 2 == 0 ? "a" : "b").task("t").track();
            task.start();
            if (i % 3 == 0) {
                task.fail("broken");
                if (i % 2 == 0) {
                    failed.add(task.id());
                }
                if (i % 4 == 0) {
                    store.writeNow();
                    tm.unregister(task.id()); // some failed ones leave memory, the others stay
                }
            }
        }
        store.writeNow();
        TaskQuery q = TaskQuery.builder().module("a").states(TaskQuery.State.FAILED).limit(1).build();

        List<UUID> both = new ArrayList<>(live(tm, q));
        both.addAll(stored(store, q));
        assertThat(both).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(failed);
        assertThat(tm.count(q) + store.count(q)).isEqualTo(failed.size());
        assertThat(store.count(q)).as("some from history, the rest from memory").isPositive()
                .isLessThan(failed.size());
    }
}
