package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The event stream's settings: defaults, and bad values refused with the setting and the value named. */
class EventSettingsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        EventSettings settings = ApiOptions.builder().build().eventSettings();
        assertThat(settings.bufferEvents()).isEqualTo(10_000);
        assertThat(settings.bufferBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(settings.maxClientLag()).isEqualTo(10_000);
        assertThat(settings.progressPerSecond()).isEqualTo(4);
        assertThat(settings.progressIntervalNanos()).isEqualTo(250_000_000L);
        assertThat(settings.heartbeat()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void badValuesAreRefusedNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> ApiOptions.builder().eventBuffer(15)).hasMessage(
                "event buffer must be from 16 to 10000000 events, got 15");
        assertThatThrownBy(() -> ApiOptions.builder().maxEventClientLag(0)).hasMessage(
                "max event client lag must be at least 1 event, got 0");
        assertThatThrownBy(() -> ApiOptions.builder().progressEventsPerSecond(1001)).hasMessage(
                "progress events per second must be from 1 to 1000, got 1001");
        assertThatThrownBy(() -> ApiOptions.builder().eventHeartbeat(Duration.ZERO)).hasMessage(
                "event heartbeat must be positive, got PT0S");
        assertThatThrownBy(() -> ApiOptions.builder().eventBuffer(100).maxEventClientLag(101).build()).hasMessage(
                "max event client lag 101 exceeds the event buffer of 100 events: a client cannot be further "
                        + "behind than the buffer reaches");
    }
}
