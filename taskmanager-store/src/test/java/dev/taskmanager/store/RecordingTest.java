package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the store records, and when: final states at once, running tasks once per checkpoint interval. */
class RecordingTest {
    private static final Duration FLUSH = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().taskTtl(Duration.ofHours(1)).build();
    private HistoryStore store;
    private Engine.Location location;

    @AfterEach
    void close() {
        tm.close();
        if (store != null) {
            store.close();
        }
    }

    private HistoryStore open(Engine engine, boolean manual) {
        location = engine.newLocation(temp);
        HistoryStore.Builder builder = location.builder().taskManager(tm).nodeName("node-a").clock(time).ticker(time);
        if (manual) {
            builder.manualWriter();
        }
        store = builder.open();
        return store;
    }

    private StoredTask stored(UUID id) {
        return store.find(id).orElseThrow(() -> new AssertionError("task " + id + " is not stored"));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFinishedTaskIsStoredWithExactlyItsFinalStatus(Engine engine) throws Exception {
        open(engine, false);
        TrackedTask task = tm.module("backup").task("backup").scope("node").keyspace("ks").table("t")
                .entity("/srv/data\0odd").progressUnits("bytes").userTask().abortable()
                .label("tenant", "acme \"corp\"").label("tier", "gold\nsilver").deadline(Duration.ofHours(2)).track();
        task.start();
        time.advance(Duration.ofMillis(1500).plusNanos(7));
        task.progress().set(2.5, 10);
        task.fail("java.io.IOException (disk full)");
        TaskStatus last = task.done().get();

        assertThat(store.flush(FLUSH)).isTrue();

        StoredTask stored = stored(task.id());
        TaskStatus expected = withEntity(last, "/srv/data\uFFFDodd"); // NUL is not storable in PostgreSQL text
        assertThat(stored.status()).isEqualTo(expected);
        assertThat(stored.node()).isEqualTo("node-a");
        assertThat(stored.written()).isEqualTo(time.instant());
    }

    private static TaskStatus withEntity(TaskStatus s, String entity) {
        return new TaskStatus(s.id(), s.module(), s.type(), s.kind(), s.scope(), s.state(), s.abortable(),
                s.startTime(), s.endTime(), s.error(), s.parentId(), s.sequenceNumber(), s.shard(), s.keyspace(),
                s.table(), entity, s.progressUnits(), s.progress(), s.children(), s.userTask(), s.internal(),
                s.createdTime(), s.updatedTime(), s.abortRequest(), s.rate(), s.eta(), s.stalled(), s.deadline(),
                s.labels());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAbortedTaskIsStoredWithItsAbortRequestApartFromOneThatFailedByItself(Engine engine) throws Exception {
        open(engine, false);
        TrackedTask aborted = tm.module("m").task("t").abortable().track();
        aborted.start();
        time.advance(Duration.ofSeconds(1));
        aborted.abort("operator asked", "req-42");
        aborted.complete();
        TrackedTask failed = tm.module("m").task("t").track();
        failed.start();
        failed.fail("disk full");
        assertThat(store.flush(FLUSH)).isTrue();

        TaskStatus storedAbort = stored(aborted.id()).status();
        assertThat(storedAbort).isEqualTo(aborted.done().get());
        assertThat(storedAbort.aborted()).isTrue();
        assertThat(storedAbort.abortRequest().reason()).isEqualTo("operator asked");
        assertThat(storedAbort.abortRequest().requestedBy()).isEqualTo("req-42");
        assertThat(stored(failed.id()).status().aborted()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyTaskOfAFinishedTreeIsStoredWithItsParentAndTheRootKeepsTheFailurePath(Engine engine) throws Exception {
        open(engine, false);
        List<TrackedTask> tree = new ArrayList<>();
        tree.add(tm.module("repair").task("repair").scope("node").track());
        for (int i = 1; i < 7; i++) {
            tree.add(tree.get((i - 1) / 2).child("repair").scope("level").entity("task " + i).track());
        }
        tree.forEach(TrackedTask::start);
        for (int i : new int[] {3, 4, 5, 6, 1, 2, 0}) {
            if (i == 5) {
                tree.get(i).fail("bad range");
            } else {
                tree.get(i).complete();
            }
        }
        TaskStatus root = tree.get(0).done().get();
        assertThat(store.flush(FLUSH)).isTrue();

        assertThat(stored(root.id()).status()).isEqualTo(root);
        for (int i = 1; i < 7; i++) {
            TaskStatus child = stored(tree.get(i).id()).status();
            assertThat(child.parentId()).isEqualTo(tree.get((i - 1) / 2).id());
            assertThat(child.state()).isEqualTo(i == 5 ? TaskState.FAILED : TaskState.DONE);
            assertThat(child.internal()).isTrue();
        }
        List<StoredTask> subtree = store.tree(root.id(), 100);
        assertThat(subtree).extracting(s -> s.status().id()).first().isEqualTo(root.id());
        assertThat(subtree).hasSize(7);
        assertThat(store.tree(tree.get(2).id(), 100)).extracting(s -> s.status().entity())
                .containsExactlyInAnyOrder("task 2", "task 5", "task 6");
        assertThat(store.tree(UUID.randomUUID(), 100)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRunningTaskIsCheckpointedAtMostOncePerIntervalAndItsEndAtOnce(Engine engine) {
        open(engine, true);
        TrackedTask task = tm.module("copy").task("copy").track();
        task.start();
        task.progress().set(1, 100);
        store.writeNow();
        assertThat(stored(task.id()).status().progress().completed()).isEqualTo(1);

        task.progress().set(50, 100);
        time.advance(Duration.ofMillis(999));
        store.writeNow();
        assertThat(stored(task.id()).status().progress().completed()).as("not due yet").isEqualTo(1);

        time.advance(Duration.ofMillis(1));
        store.writeNow();
        assertThat(stored(task.id()).status().progress().completed()).isEqualTo(50);
        assertThat(stored(task.id()).status().state()).isEqualTo(TaskState.RUNNING);

        task.progress().set(60, 100);
        task.complete();
        store.writeNow();
        assertThat(stored(task.id()).status().state()).as("a final state does not wait for the interval")
                .isEqualTo(TaskState.DONE);
        assertThat(stored(task.id()).status().progress().completed()).isEqualTo(60);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aParentWhoseProgressIsItsChildrensIsCheckpointedWithThemThoughOnlyTheLeafReports(Engine engine) {
        open(engine, true);
        TrackedTask root = tm.module("files").task("manifest").track();
        root.start();
        root.progress().expectTotal(100); // its last own report: from here on only the leaf reports
        TrackedTask directory = root.child("manifest").scope("directory").track();
        directory.start();
        TrackedTask leaf = directory.child("manifest").scope("file").track();
        leaf.start();
        store.writeNow();
        assertThat(stored(root.id()).status().progress().completed()).isZero();

        leaf.progress().set(40, 100);
        time.advance(Duration.ofSeconds(1));
        store.writeNow();
        for (TrackedTask task : List.of(leaf, directory, root)) {
            assertThat(stored(task.id()).status().progress().completed()).as(task.status().scope()).isEqualTo(40);
            assertThat(stored(task.id()).status().state()).isEqualTo(TaskState.RUNNING);
        }

        leaf.progress().set(70, 100);
        time.advance(Duration.ofMillis(999));
        store.writeNow();
        assertThat(stored(root.id()).status().progress().completed()).as("not due yet").isEqualTo(40);
        time.advance(Duration.ofMillis(1));
        store.writeNow();
        assertThat(stored(root.id()).status().progress().completed()).isEqualTo(70);
        assertThat(stored(directory.id()).status().progress().completed()).isEqualTo(70);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFinalRowIsNeverOverwrittenByALateSnapshot(Engine engine) throws Exception {
        open(engine, true);
        TrackedTask task = tm.module("m").task("t").track();
        task.start();
        TaskStatus running = task.status();
        task.complete();
        store.writeNow();

        store.read("upsert", c -> {
            try (var s = c.prepareStatement(TaskRows.UPSERT)) {
                TaskRows.bind(s, engine.dialect(), running, "node-a", 0, 0, true);
                s.executeUpdate();
            }
            return null;
        });

        assertThat(stored(task.id()).status().state()).isEqualTo(TaskState.DONE);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void tasksThatExistedBeforeTheStoreOpenedAreRecordedToo(Engine engine) throws Exception {
        TrackedTask before = tm.module("m").task("t").track();
        before.start();
        open(engine, false);
        before.complete();
        assertThat(store.flush(FLUSH)).isTrue();
        assertThat(stored(before.id()).status()).isEqualTo(before.status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void closingAfterTheTaskManagerWritesTheFinalStatesOfTheTasksItStopped(Engine engine) {
        open(engine, true);
        TrackedTask running = tm.module("m").task("t").abortable().track();
        running.onAbort(running::complete); // completing after an abort request ends it failed, aborted
        running.start();
        tm.close(); // stops the module, which aborts the task
        store.close();

        try (HistoryStore reopened = location.builder().open()) {
            assertThat(reopened.find(running.id()).orElseThrow().status().state()).isEqualTo(TaskState.FAILED);
            assertThat(reopened.find(running.id()).orElseThrow().status().error()).contains("abort");
            assertThat(reopened.interruptedAtOpen()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void manyTaskThreadsAndTheWriterTogetherLoseNoFinalState(Engine engine) throws Exception {
        open(engine, false);
        int threads = 4;
        int perThread = 1_500;
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentHashMap<UUID, TaskStatus> finals = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        TrackedTask task = tm.module("hammer").task("t").track();
                        task.start();
                        for (int p = 0; p < random.nextInt(5); p++) {
                            task.progress().set(p, 10);
                        }
                        if (random.nextBoolean()) {
                            task.complete();
                        } else {
                            task.fail("failure " + i);
                        }
                        finals.put(task.id(), task.done().get());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(store.flush(FLUSH)).isTrue();

        assertThat(finals).hasSize(threads * perThread);
        for (TaskStatus last : finals.values()) {
            assertThat(stored(last.id()).status()).isEqualTo(last);
        }
        assertThat(store.health().pending()).isZero();
        assertThat(store.health().state()).isEqualTo(StoreHealth.State.UP);
    }
}
