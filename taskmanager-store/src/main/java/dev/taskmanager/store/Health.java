package dev.taskmanager.store;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The writer's state and counters behind {@link StoreHealth}. The writer thread changes the state;
 * any thread reads. Logs each change of state once, not each failed attempt.
 */
final class Health {
    private static final System.Logger LOG = System.getLogger(HistoryStore.class.getName());

    private final String description;
    private final Clock clock;
    private volatile LongSupplier pending;
    private volatile LongSupplier droppedAtSource = () -> 0;
    private volatile StoreHealth.State state = StoreHealth.State.UP;
    private volatile Instant since;
    private volatile String lastError = "";
    final AtomicLong written = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong purged = new AtomicLong();

    Health(String description, Clock clock, LongSupplier pending) {
        this.description = description;
        this.clock = clock;
        this.pending = pending;
        this.since = clock.instant();
    }

    /** Where the pending count, and the count of final states the listener dropped, come from. */
    void countsFrom(LongSupplier pending, LongSupplier droppedAtSource) {
        this.pending = pending;
        this.droppedAtSource = droppedAtSource;
    }

    StoreHealth snapshot() {
        return new StoreHealth(state, since, lastError, pending.getAsLong(), written.get(), failures.get(),
                rejected.get(), dropped.get() + droppedAtSource.getAsLong(), purged.get());
    }

    StoreHealth.State state() {
        return state;
    }

    /** A write went through; logs the recovery if the store was down. */
    void up() {
        if (state != StoreHealth.State.DOWN) {
            return;
        }
        Instant now = clock.instant();
        LOG.log(System.Logger.Level.INFO, "History store " + description + " is back up after "
                + java.time.Duration.between(since, now).toMillis() + " ms; writing "
                + pending.getAsLong() + " pending tasks");
        since = now;
        state = StoreHealth.State.UP;
    }

    /** A write failed: counts it, and logs it if the store was up. */
    void down(String error) {
        failures.incrementAndGet();
        lastError = error;
        if (state != StoreHealth.State.UP) {
            return;
        }
        since = clock.instant();
        state = StoreHealth.State.DOWN;
        LOG.log(System.Logger.Level.WARNING, "History store " + description + " is down: " + error
                + "; keeping " + pending.getAsLong() + " tasks in memory and retrying");
    }

    void closed() {
        since = clock.instant();
        state = StoreHealth.State.CLOSED;
    }
}
