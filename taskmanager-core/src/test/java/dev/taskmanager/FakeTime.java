package dev.taskmanager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock and a monotonic ticker that move together, only when a test says so. Shared with the
 * other modules' tests through the core test-jar.
 */
public final class FakeTime extends Clock implements Ticker {
    /** Where every test's wall clock starts: 2025-01-16T16:12:11Z, a whole second. */
    public static final Instant START = Instant.parse("2025-01-16T16:12:11Z");

    private final AtomicLong elapsedNanos = new AtomicLong();

    /** Moves both clocks forward. */
    public void advance(Duration duration) {
        elapsedNanos.addAndGet(duration.toNanos());
    }

    @Override
    public long read() {
        return elapsedNanos.get();
    }

    @Override
    public Instant instant() {
        return START.plusNanos(elapsedNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("FakeTime is always UTC");
    }

    /**
     * A builder preset for tests: this fake time, no periodic housekeeping, and no waiting at close
     * for tasks a test left running.
     */
    public TaskManager.Builder builder() {
        return TaskManager.builder().clock(this).ticker(this).housekeepingInterval(Duration.ZERO)
                .stopTimeout(Duration.ZERO);
    }
}
