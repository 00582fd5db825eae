package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TrackedTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** History retention: by age and by count, a small batch per transaction. */
class RetentionTest {
    @TempDir
    Path temp;

    private final FakeTime time = new FakeTime();
    private final TaskManager tm = time.builder().build();
    private HistoryStore store;

    @AfterEach
    void close() {
        tm.close();
        store.close();
    }

    private TrackedTask finished() {
        TrackedTask task = tm.module("m").task("t").track();
        task.start();
        task.complete();
        return task;
    }

    private boolean stored(TrackedTask task) {
        return store.find(task.id()).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void finishedTasksOlderThanTheRetentionArePurgedButUnfinishedOnesAreKept(Engine engine) {
        store = engine.newLocation(temp).builder().taskManager(tm).clock(time).ticker(time).manualWriter()
                .retention(Duration.ofDays(7)).open();
        List<TrackedTask> old = List.of(finished(), finished(), finished());
        TrackedTask longRunning = tm.module("m").task("t").track();
        longRunning.start();
        store.writeNow();

        time.advance(Duration.ofDays(7).minusSeconds(1));
        TrackedTask recent = finished();
        store.writeNow();
        assertThat(old).allMatch(this::stored);

        time.advance(Duration.ofMinutes(1)); // the next purge round, a minute after the last one
        store.writeNow();

        assertThat(old).noneMatch(this::stored);
        assertThat(stored(longRunning)).isTrue();
        assertThat(stored(recent)).isTrue();
        assertThat(store.health().purgedTotal()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void pastTheMaximumTheOldestFinishedTasksGoFirstAFewPerTransaction(Engine engine) {
        store = engine.newLocation(temp).builder().taskManager(tm).clock(time).ticker(time).manualWriter()
                .maxTasks(5).purgeBatch(2).open();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ids.add(finished().id());
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(store.writeNow()).as("more to purge after the first batch").isTrue();
        assertThat(store.health().purgedTotal()).isEqualTo(2);
        store.writeNow();

        assertThat(store.health().purgedTotal()).isEqualTo(4);
        for (int i = 0; i < 9; i++) {
            assertThat(store.find(ids.get(i)).isPresent()).as("task %d kept", i).isEqualTo(i >= 4);
        }
        assertThat(store.writeNow()).isFalse();
        assertThat(store.health().purgedTotal()).isEqualTo(4);
    }
}
