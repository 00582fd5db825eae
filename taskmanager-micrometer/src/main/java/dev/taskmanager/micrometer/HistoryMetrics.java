package dev.taskmanager.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of a history store, read from its health when the registry is scraped:
 * {@code taskmanager.history.state} (gauge tagged {@code state=up|down|closed}, 1 for the current
 * state and 0 for the others), {@code taskmanager.history.pending} (gauge) and the counters
 * {@code taskmanager.history.written}, {@code .failures}, {@code .rejected}, {@code .dropped},
 * {@code .purged} ({@code _total} in Prometheus). The store's last error is text, not a number: it
 * stays in the store's health record and log, not in a meter.
 *
 * <pre>{@code
 * new HistoryMetrics(() -> toHistoryHealth(store.health())).bindTo(registry);
 * }</pre>
 *
 * <p>Thread-safe; binds to one registry; {@link #close()} removes the meters and is idempotent.
 */
public final class HistoryMetrics implements MeterBinder, AutoCloseable {
    /** Prefix of every meter of this binder. */
    public static final String PREFIX = "taskmanager.history.";

    private final Supplier<HistoryHealth> health;
    private MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private boolean closed;

    /** Meters for the store whose health {@code health} reads; called on every scrape, once per meter. */
    public HistoryMetrics(Supplier<HistoryHealth> health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    /**
     * Registers the meters on {@code registry}.
     *
     * @throws IllegalStateException if already bound or closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed || this.registry != null) {
            throw new IllegalStateException("these history metrics are already " + (closed ? "closed" : "bound"));
        }
        this.registry = registry;
        for (String state : HistoryHealth.STATES) {
            meters.add(Gauge.builder(PREFIX + "state", health, h -> state.equals(h.get().state()) ? 1 : 0)
                    .description("1 for the history store's current state, 0 for the others")
                    .tag("state", state).strongReference(true).register(registry));
        }
        meters.add(Gauge.builder(PREFIX + "pending", health, h -> h.get().pending())
                .description("Tasks waiting to be written to the history store")
                .strongReference(true).register(registry));
        counter("written", "Rows written to the history store", HistoryHealth::writtenTotal);
        counter("failures", "History store write attempts that failed", HistoryHealth::failuresTotal);
        counter("rejected", "Rows the history store refused as malformed", HistoryHealth::rejectedTotal);
        counter("dropped", "Final states dropped while the history store was down past its bound",
                HistoryHealth::droppedTotal);
        counter("purged", "Rows removed by history retention", HistoryHealth::purgedTotal);
    }

    private void counter(String name, String description, ToDoubleFunction<HistoryHealth> value) {
        meters.add(FunctionCounter.builder(PREFIX + name, health, h -> value.applyAsDouble(h.get()))
                .description(description).register(registry));
    }

    /** Removes the meters from the registry. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
