package dev.taskmanager.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The event stream's meters read what the stream reports, when read, and leave on close. */
class EventStreamMetricsTest {
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final EventStreamStats stats = new EventStreamStats() {
        @Override
        public int connectedClients() {
            return clients.get();
        }

        @Override
        public long droppedClients() {
            return dropped.get();
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void theGaugeAndCounterShowTheStreamsOwnCountsWhenRead() {
        EventStreamMetrics meters = new EventStreamMetrics(stats);
        meters.bindTo(registry);
        clients.set(3);
        dropped.set(2);

        assertThat(registry.get(EventStreamMetrics.CLIENTS).gauge().value()).isEqualTo(3);
        assertThat(registry.get(EventStreamMetrics.DROPPED).functionCounter().count()).isEqualTo(2);
        clients.set(1);
        dropped.set(5);
        assertThat(registry.get(EventStreamMetrics.CLIENTS).gauge().value()).isEqualTo(1);
        assertThat(registry.get(EventStreamMetrics.DROPPED).functionCounter().count()).isEqualTo(5);
    }

    @Test
    void closeRemovesBothMetersAndABinderBindsOnce() {
        EventStreamMetrics meters = new EventStreamMetrics(stats);
        meters.bindTo(registry);
        assertThatThrownBy(() -> meters.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already bound");

        meters.close();
        meters.close();

        assertThat(registry.getMeters()).isEmpty();
        assertThatThrownBy(() -> meters.bindTo(registry)).hasMessageContaining("closed");
    }
}
