package dev.taskmanager.files;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    @Test
    void defaultsAreAMebibyteThresholdAQuarterMebibyteBufferAndAFewReaders() {
        FilesWorkload.Options defaults = FilesWorkload.Options.defaults();

        assertThat(defaults.largeFileThreshold()).isEqualTo(1 << 20);
        assertThat(defaults.bufferSize()).isEqualTo(256 << 10);
        assertThat(defaults.maxConcurrentReads()).isBetween(2, 4);
        assertThat(defaults.parallelDirectories()).isEqualTo(8);
        assertThat(defaults.maxBytesPerSecond()).isZero();
        assertThat(defaults.stallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.workDirectory()).isEqualTo(PrivateDirectory.defaultDataDirectory().resolve("files"));
    }

    @Test
    void theDefaultDataDirectoryFollowsXdgStateHomeAndIgnoresARelativeOne() {
        assertThat(PrivateDirectory.defaultDataDirectory(Map.of("XDG_STATE_HOME", "/var/state"), "/home/ann"))
                .isEqualTo(Path.of("/var/state/taskmanager"));
        assertThat(PrivateDirectory.defaultDataDirectory(Map.of(), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.local/state/taskmanager"));
        assertThat(PrivateDirectory.defaultDataDirectory(Map.of("XDG_STATE_HOME", "state"), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.local/state/taskmanager"));
        assertThat(PrivateDirectory.defaultDataDirectory(Map.of("XDG_STATE_HOME", " "), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.local/state/taskmanager"));
    }

    @Test
    void outOfRangeSettingsAreRejectedNamingTheSettingTheValueAndTheLimits() {
        FilesWorkload.Options.Builder builder = FilesWorkload.Options.builder();

        assertThatThrownBy(() -> builder.largeFileThreshold(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("largeFileThreshold must be at least 1 byte, got 0");
        assertThatThrownBy(() -> builder.bufferSize(1024))
                .hasMessage("bufferSize must be between 4096 and 16777216, got 1024");
        assertThatThrownBy(() -> builder.maxConcurrentReads(0))
                .hasMessage("maxConcurrentReads must be between 1 and 256, got 0");
        assertThatThrownBy(() -> builder.parallelDirectories(2000))
                .hasMessage("parallelDirectories must be between 1 and 1024, got 2000");
        assertThatThrownBy(() -> builder.maxBytesPerSecond(100))
                .hasMessage("maxBytesPerSecond must be 0 (no cap) or at least 1024, got 100");
        assertThatThrownBy(() -> builder.stallTimeout(Duration.ofMillis(5)))
                .hasMessage("stallTimeout must be between 10 ms and 1 hour, got PT0.005S");
    }

    @Test
    void aSettingGivenTwiceIsRejectedNamingTheFirstValue() {
        FilesWorkload.Options.Builder builder = FilesWorkload.Options.builder().bufferSize(8192);

        assertThatThrownBy(() -> builder.bufferSize(4096))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bufferSize was already set to 8192");
    }
}
