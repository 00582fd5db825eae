package dev.taskmanager;

import java.time.Clock;
import java.time.Instant;

/**
 * Wall-clock instants stored as one {@code long} of nanoseconds since the epoch: full precision
 * without an object per timestamp, which matters for a million retained tasks.
 */
final class EpochNanos {
    /** Marks a time that is not set yet (a task not started, or not complete). */
    static final long UNSET = Long.MIN_VALUE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EpochNanos() {
    }

    static long now(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }

    /**
     * The instant in epoch nanoseconds, saturating beyond ~292 years from 1970; {@link #UNSET} for
     * {@code null}.
     */
    static long of(Instant instant) {
        if (instant == null) {
            return UNSET;
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException outOfRange) {
            return instant.getEpochSecond() < 0 ? UNSET + 1 : Long.MAX_VALUE;
        }
    }

    /** The instant, or {@code null} for {@link #UNSET}. */
    static Instant toInstant(long epochNanos) {
        return epochNanos == UNSET ? null : Instant.ofEpochSecond(0, epochNanos);
    }
}
