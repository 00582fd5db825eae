package dev.taskmanager.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;

/**
 * The meters of an event stream, read from its {@link EventStreamStats}:
 * {@value #CLIENTS} (gauge: clients connected now) and {@value #DROPPED} (counter: clients disconnected
 * for falling behind; {@code taskmanager_events_clients_dropped_total} in Prometheus). No tags.
 *
 * <pre>{@code
 * EventStreamMetrics meters = new EventStreamMetrics(stream);   // stream implements EventStreamStats
 * meters.bindTo(registry);
 * ...
 * meters.close();                                               // when the stream stops
 * }</pre>
 *
 * <p>Thread-safe; binds to one registry; {@link #close()} removes the meters and is idempotent.
 */
public final class EventStreamMetrics implements MeterBinder, AutoCloseable {
    /** Gauge: clients connected to the event stream now. */
    public static final String CLIENTS = "taskmanager.events.clients.active";
    /** Counter: clients disconnected because they fell behind. */
    public static final String DROPPED = "taskmanager.events.clients.dropped";

    private final EventStreamStats stats;
    private MeterRegistry registry;
    private List<Meter> meters = List.of();
    private boolean closed;

    /** Meters for the stream that {@code stats} describes; nothing is registered until {@link #bindTo}. */
    public EventStreamMetrics(EventStreamStats stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * Registers the two meters on {@code registry}.
     *
     * @throws IllegalStateException if already bound or closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed || this.registry != null) {
            throw new IllegalStateException("these event stream metrics are already " + (closed ? "closed" : "bound"));
        }
        this.registry = registry;
        meters = List.of(
                Gauge.builder(CLIENTS, stats, EventStreamStats::connectedClients)
                        .description("Clients connected to the event stream now")
                        .strongReference(true).register(registry),
                FunctionCounter.builder(DROPPED, stats, EventStreamStats::droppedClients)
                        .description("Event stream clients disconnected because they fell behind")
                        .register(registry));
    }

    /** Removes the meters from the registry. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (registry != null) {
            meters.forEach(registry::remove);
            meters = List.of();
        }
    }
}
