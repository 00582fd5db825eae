package dev.taskmanager.benchmarks;

import java.time.Clock;
import java.time.Instant;

/**
 * The wall clock a floor reads: the same arithmetic as the core's default clock (an anchor from
 * {@link Clock#systemUTC()} plus {@link System#nanoTime()} elapsed since), so a floor pays for its
 * timestamps exactly what the engine pays.
 */
final class FloorClock {
    private final long anchorEpochNanos;
    private final long anchorMonotonic;

    FloorClock() {
        Instant now = Clock.systemUTC().instant();
        anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        anchorMonotonic = System.nanoTime();
    }

    long epochNanos() {
        return anchorEpochNanos + (System.nanoTime() - anchorMonotonic);
    }
}
