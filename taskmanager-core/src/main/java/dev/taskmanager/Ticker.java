package dev.taskmanager;

/**
 * A monotonic time source in nanoseconds, used for durations and TTL deadlines, never for display
 * (SPEC §3.2). Injectable so that tests advance time instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
    /** The system ticker, {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
    long read();
}
