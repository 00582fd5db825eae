package dev.taskmanager;

import java.time.Clock;

/**
 * The system wall clock at nanosecond resolution for the price of one {@link System#nanoTime()}:
 * an anchor pairs a reading of {@link Clock#systemUTC()} with a monotonic reading, and the time is
 * the anchor plus the monotonic time elapsed since. {@code Clock.systemUTC().instant()} is a native
 * call that costs about as much as a whole task lifecycle should; this is an intrinsic.
 *
 * <p>The anchor is renewed after a second of use, so a change of the system time shows within a
 * second and slewing never accumulates. Start and end times are for display; TTLs never use them.
 */
final class SystemWallClock {
    private static final long REANCHOR_AFTER_NANOS = 1_000_000_000L;

    private volatile Anchor anchor = new Anchor();

    long epochNanos() {
        Anchor current = anchor;
        long elapsed = System.nanoTime() - current.monotonicNanos;
        if (elapsed >= REANCHOR_AFTER_NANOS) {
            current = new Anchor();
            anchor = current;
            elapsed = System.nanoTime() - current.monotonicNanos;
        }
        return current.epochNanos + elapsed;
    }

    /** A wall-clock reading and the monotonic reading taken right after it. */
    private static final class Anchor {
        final long epochNanos = EpochNanos.now(Clock.systemUTC());
        final long monotonicNanos = System.nanoTime();
    }
}
