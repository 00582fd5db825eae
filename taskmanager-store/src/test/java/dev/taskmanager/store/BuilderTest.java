package dev.taskmanager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder refuses repeated, contradictory and out-of-range settings, naming them. */
class BuilderTest {
    @TempDir
    Path temp;

    @Test
    void anEngineIsRequiredAndChosenOnce() {
        assertThatThrownBy(() -> HistoryStore.builder().open()).isInstanceOf(IllegalStateException.class)
                .hasMessage("choose an engine: sqlite(directory) or postgres(url)");
        assertThatThrownBy(() -> HistoryStore.builder().sqlite(temp).postgres("jdbc:postgresql://db/x?password=secret"))
                .hasMessage("postgres: the engine was already chosen (sqlite " + temp + ")");
        assertThatThrownBy(() -> HistoryStore.builder().postgres("jdbc:mysql://db/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a PostgreSQL store needs a URL starting with jdbc:postgresql:, got 'jdbc:mysql://db/x?password=***'");
        assertThatThrownBy(() -> HistoryStore.builder().sqlite(temp).user("tm").open())
                .hasMessage("user and password are for postgres(url), not sqlite(directory)");
    }

    @Test
    void repeatedAndOutOfRangeSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> HistoryStore.builder().nodeName("a").nodeName("b"))
                .hasMessage("nodeName was already set to a");
        assertThatThrownBy(() -> HistoryStore.builder().nodeName(" "))
                .hasMessageStartingWith("nodeName must have 1 to 255 characters");
        assertThatThrownBy(() -> HistoryStore.builder().checkpointInterval(Duration.ofMillis(1)))
                .hasMessage("checkpointInterval must be between PT0.01S and PT1H, got PT0.001S");
        assertThatThrownBy(() -> HistoryStore.builder().retention(Duration.ofSeconds(-1)))
                .hasMessage("retention must not be negative, got PT-1S");
        assertThatThrownBy(() -> HistoryStore.builder().maxPending(0)).hasMessage("maxPending must be at least 1, got 0");
        assertThatThrownBy(() -> HistoryStore.builder().maxTasks(-1)).hasMessage("maxTasks must not be negative, got -1");
    }

    @Test
    void aStoreOpenedWithoutATaskManagerOnlyReads() throws Exception {
        try (HistoryStore reader = HistoryStore.builder().sqlite(temp.resolve("h")).open()) {
            assertThat(reader.flush(Duration.ofSeconds(1))).isFalse();
            assertThat(reader.recent("m", 10)).isEmpty();
            assertThat(reader.health().state()).isEqualTo(StoreHealth.State.UP);
            assertThatThrownBy(() -> reader.tree(java.util.UUID.randomUUID(), 0))
                    .hasMessage("maxTasks must be between 1 and 100000, got 0");
        }
    }
}
