package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that goes away while tasks run: the task threads never notice, the writer keeps what it
 * could not write, reports the outage, and catches up without losing a final state once the store is
 * back.
 */
class OutageTest {
    private static final Duration WHILE_DOWN = Duration.ofMillis(600);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final TaskManager tm = TaskManager.builder().taskTtl(Duration.ofHours(1))
            .stopTimeout(Duration.ZERO).build();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        tm.close();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private List<TaskStatus> finishTasks(int count) throws Exception {
        List<TaskStatus> finals = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TrackedTask task = tm.module("m").task("t").entity("task " + i).track();
            task.start();
            if (i % 3 == 0) {
                task.fail("failure " + i);
            } else {
                task.complete();
            }
            finals.add(task.done().get());
        }
        return finals;
    }

    private static void assertStored(HistoryStore store, List<TaskStatus> finals) {
        for (TaskStatus last : finals) {
            assertThat(store.find(last.id())).as("task %s", last.entity()).get()
                    .extracting(StoredTask::status).isEqualTo(last);
        }
    }

    /** A SQLite database locked by another process (a backup, an operator's sqlite3): writes get SQLITE_BUSY. */
    @Test
    void aLockedSqliteDatabaseIsReportedDownAndCaughtUpWithOnceReleased() throws Exception {
        Path directory = temp.resolve("history");
        HistoryStore store = HistoryStore.builder().sqlite(directory).taskManager(tm)
                .connectTimeout(Duration.ofMillis(250)).open();
        open.add(store);
        List<TaskStatus> before = finishTasks(20);
        assertThat(store.flush(CATCH_UP)).isTrue();

        List<TaskStatus> during;
        try (Connection locker = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("tasks.db"));
             Statement s = locker.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            during = finishTasks(50);
            assertThat(store.flush(WHILE_DOWN)).as("nothing can be written while locked").isFalse();
            StoreHealth down = store.health();
            assertThat(down.state()).isEqualTo(StoreHealth.State.DOWN);
            assertThat(down.lastError()).containsIgnoringCase("locked");
            assertThat(down.pending()).isEqualTo(50);
            assertThat(down.failuresTotal()).isPositive();
            s.execute("COMMIT");
        }

        assertThat(store.flush(CATCH_UP)).isTrue();
        assertStored(store, before);
        assertStored(store, during);
        assertThat(store.health().state()).isEqualTo(StoreHealth.State.UP);
        assertThat(store.health().pending()).isZero();
    }

    @Test
    void postgresqlStoppedMidRunAndStartedAgainLosesNoFinalState() throws Exception {
        Path data = Files.createDirectories(temp.resolve("pgdata"));
        EmbeddedPostgres pg = Postgres.startOwn(data, 0);
        int port = pg.getPort();
        HistoryStore store = HistoryStore.builder().postgres(Postgres.url(pg, "postgres")).taskManager(tm)
                .connectTimeout(Duration.ofMillis(500)).open();
        open.add(store);
        TrackedTask longRunning = tm.module("m").task("long").track();
        longRunning.start();
        List<TaskStatus> before = finishTasks(30);
        assertThat(store.flush(CATCH_UP)).isTrue();

        pg.close(); // a clean stop of the server; the pool's connections break
        List<TaskStatus> during = finishTasks(100);
        longRunning.progress().set(5, 10);
        assertThat(store.flush(WHILE_DOWN)).isFalse();
        assertThat(store.health().state()).isEqualTo(StoreHealth.State.DOWN);
        assertThat(store.health().pending()).isEqualTo(101);

        EmbeddedPostgres restarted = Postgres.startOwn(data, port);
        open.add(0, restarted); // closed after the store
        assertThat(store.flush(CATCH_UP)).isTrue();

        assertStored(store, before);
        assertStored(store, during);
        assertThat(store.find(longRunning.id()).orElseThrow().status().progress().completed()).isEqualTo(5);
        assertThat(store.health().state()).isEqualTo(StoreHealth.State.UP);
    }

    @Test
    void pastThePendingBoundTasksAreDroppedAndCountedAndRunningOnesWrittenAgainOnceTheStoreIsBack() throws Exception {
        Path directory = temp.resolve("history");
        HistoryStore store = HistoryStore.builder().sqlite(directory).taskManager(tm).maxPending(10)
                .connectTimeout(Duration.ofMillis(250)).open();
        open.add(store);
        List<TrackedTask> running = new ArrayList<>();
        List<TaskStatus> finals;
        try (Connection locker = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("tasks.db"));
             Statement s = locker.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            for (int i = 0; i < 5; i++) {
                TrackedTask task = tm.module("m").task("running").track();
                task.start();
                running.add(task);
            }
            finals = finishTasks(30);
            assertThat(store.flush(WHILE_DOWN)).isFalse();
            assertThat(store.health().pending()).isLessThanOrEqualTo(10);
            s.execute("COMMIT");
        }

        assertThat(store.flush(CATCH_UP)).isTrue();
        assertThat(store.flush(CATCH_UP)).isTrue(); // the registry's tasks, marked again once back up

        long stored = finals.stream().filter(f -> store.find(f.id()).isPresent()).count();
        assertThat(stored).isBetween(1L, 10L);
        assertThat(store.health().droppedTotal()).as("every final state not stored is counted").isEqualTo(30 - stored);
        for (TrackedTask task : running) {
            assertThat(store.find(task.id())).as("running task").get()
                    .extracting(t -> t.status().state()).isEqualTo(TaskState.RUNNING);
        }
    }
}
