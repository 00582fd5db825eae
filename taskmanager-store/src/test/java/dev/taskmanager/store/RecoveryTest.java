package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskProgress;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.TrackedTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A server that stopped without finishing its tasks: the next start records them as interrupted. */
class RecoveryTest {
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
        TaskManager tm = time.builder().build();
        open.add(tm);
        return tm;
    }

    private HistoryStore open(Engine.Location location, String node, TaskManager tm) {
        HistoryStore store = location.builder().nodeName(node).taskManager(tm).clock(time).ticker(time)
                .manualWriter().open();
        open.add(store);
        return store;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void unfinishedTasksOfThisNodeFailAsInterruptedWithTheirLastCheckpointedProgress(Engine engine) {
        Engine.Location location = engine.newLocation(temp);
        TaskManager first = taskManager();
        HistoryStore crashed = open(location, "node-a", first);
        TrackedTask running = first.module("copy").task("copy").progressUnits("bytes").track();
        running.start();
        running.progress().set(40, 100);
        TrackedTask neverStarted = first.module("copy").task("copy").track();
        TrackedTask finished = first.module("copy").task("copy").track();
        finished.start();
        finished.complete();
        crashed.writeNow(); // the last checkpoint, at START
        TaskStatus checkpoint = running.status();
        time.advance(Duration.ofMillis(400));
        running.progress().set(70, 100); // after the last checkpoint: lost with the process
        crashed.abandon();

        time.advance(Duration.ofMinutes(5));
        HistoryStore restarted = open(location, "node-a", taskManager());

        assertThat(restarted.interruptedAtOpen()).isEqualTo(2);
        TaskStatus interrupted = restarted.find(running.id()).orElseThrow().status();
        assertThat(interrupted.state()).isEqualTo(TaskState.FAILED);
        assertThat(interrupted.error()).isEqualTo("interrupted: the server stopped (last seen at 2025-01-16T16:12:11Z)");
        assertThat(interrupted.progress()).isEqualTo(new TaskProgress(40, 100));
        assertThat(interrupted.startTime()).isEqualTo(checkpoint.startTime());
        assertThat(interrupted.endTime()).as("it ended when its server was last seen").isEqualTo(FakeTime.START);
        TaskStatus created = restarted.find(neverStarted.id()).orElseThrow().status();
        assertThat(created.state()).isEqualTo(TaskState.FAILED);
        assertThat(created.error()).startsWith("interrupted: the server stopped");
        assertThat(restarted.find(finished.id()).orElseThrow().status()).isEqualTo(finished.status());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theLastSeenTimeIsTheLastHeartbeatEvenWhenNothingChanged(Engine engine) {
        Engine.Location location = engine.newLocation(temp);
        TaskManager first = taskManager();
        HistoryStore crashed = open(location, "node-a", first);
        TrackedTask idle = first.module("m").task("t").track();
        idle.start();
        crashed.writeNow();
        time.advance(Duration.ofSeconds(3));
        crashed.writeNow(); // nothing to write: a heartbeat alone
        time.advance(Duration.ofMillis(500));
        crashed.abandon();

        HistoryStore restarted = open(location, "node-a", taskManager());

        assertThat(restarted.find(idle.id()).orElseThrow().status().error())
                .isEqualTo("interrupted: the server stopped (last seen at 2025-01-16T16:12:14Z)");
    }

    @Test
    void aSecondServerRecordingIntoTheSameSqliteDirectoryIsRefusedButReadersAreNot() {
        Engine.Location location = Engine.SQLITE.newLocation(temp);
        HistoryStore first = open(location, "node-a", taskManager());

        assertThatThrownBy(() -> open(location, "node-a", taskManager()))
                .isInstanceOf(HistoryStoreException.class)
                .hasMessageContaining("is recorded into by another server")
                .hasMessageContaining("give each server its own --data-dir");
        try (HistoryStore reader = location.builder().open()) {
            assertThat(reader.find(java.util.UUID.randomUUID())).isEmpty();
        }

        first.close();
        assertThat(open(location, "node-a", taskManager()).interruptedAtOpen()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anotherNodesTasksAndTasksRunningNowAreLeftAlone(Engine engine) {
        Engine.Location location = engine.newLocation(temp);
        TaskManager nodeB = taskManager();
        HistoryStore storeB = open(location, "node-b", nodeB);
        TrackedTask elsewhere = nodeB.module("m").task("t").track();
        elsewhere.start();
        storeB.writeNow();
        storeB.abandon(); // node b stops too (one SQLite directory takes one recording store at a time)

        TaskManager nodeA = taskManager();
        HistoryStore first = open(location, "node-a", nodeA);
        TrackedTask survivor = nodeA.module("m").task("t").track();
        survivor.start();
        first.writeNow();
        first.abandon();

        // the same task manager, still running the task, attaches a new store: the task is not interrupted
        HistoryStore again = open(location, "node-a", nodeA);

        assertThat(again.interruptedAtOpen()).isZero();
        assertThat(again.find(survivor.id()).orElseThrow().status().state()).isEqualTo(TaskState.RUNNING);
        assertThat(again.find(elsewhere.id()).orElseThrow().status().state()).isEqualTo(TaskState.RUNNING);
        survivor.complete();
        again.writeNow();
        assertThat(again.find(survivor.id()).orElseThrow().status().state()).isEqualTo(TaskState.DONE);
    }
}
