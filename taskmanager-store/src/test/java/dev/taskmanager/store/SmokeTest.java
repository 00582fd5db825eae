package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TrackedTask;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmokeTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFinishedTaskIsReadBack(Engine engine) throws Exception {
        try (TaskManager tm = TaskManager.builder().build();
             HistoryStore store = engine.newStore(temp).taskManager(tm).nodeName("n1").open()) {
            TrackedTask task = tm.module("m").task("t").scope("s").track();
            task.start();
            task.progress().set(3, 10);
            task.fail("boom");
            assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
            StoredTask stored = store.find(task.id()).orElseThrow();
            assertThat(stored.status().state()).isEqualTo(TaskState.FAILED);
            assertThat(stored.status().error()).contains("boom");
            assertThat(stored.node()).isEqualTo("n1");
            System.out.println(stored);
        }
    }
}
