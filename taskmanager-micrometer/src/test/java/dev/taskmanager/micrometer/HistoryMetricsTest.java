package dev.taskmanager.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The history store's meters follow its health readings; the state is a one-hot gauge. */
class HistoryMetricsTest {
    private final AtomicReference<HistoryHealth> health = new AtomicReference<>(
            new HistoryHealth("UP", 3, 100, 0, 1, 0, 7));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double state(String state) {
        return registry.get(HistoryMetrics.PREFIX + "state").tag("state", state).gauge().value();
    }

    private double counter(String name) {
        return registry.get(HistoryMetrics.PREFIX + name).functionCounter().count();
    }

    @Test
    void metersReadTheStoresHealthWhenRead() {
        try (HistoryMetrics meters = new HistoryMetrics(health::get)) {
            meters.bindTo(registry);
            assertThat(state("up")).isEqualTo(1);
            assertThat(state("down")).isZero();
            assertThat(registry.get(HistoryMetrics.PREFIX + "pending").gauge().value()).isEqualTo(3);
            assertThat(counter("written")).isEqualTo(100);
            assertThat(counter("rejected")).isEqualTo(1);
            assertThat(counter("purged")).isEqualTo(7);

            health.set(new HistoryHealth("down", 500, 120, 4, 1, 2, 7));
            assertThat(state("up")).isZero();
            assertThat(state("down")).isEqualTo(1);
            assertThat(state("closed")).isZero();
            assertThat(registry.get(HistoryMetrics.PREFIX + "pending").gauge().value()).isEqualTo(500);
            assertThat(counter("failures")).isEqualTo(4);
            assertThat(counter("dropped")).isEqualTo(2);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void anUnknownStateIsRefusedNamingIt() {
        assertThatThrownBy(() -> new HistoryHealth("sideways", 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("state must be one of [up, down, closed], got 'sideways'");
    }
}
