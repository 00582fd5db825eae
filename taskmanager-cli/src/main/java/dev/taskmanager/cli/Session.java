package dev.taskmanager.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * What one {@code tasks} invocation prints to and how it passes time: results on {@code out},
 * errors and notes on {@code err}, pauses through the {@code sleeper}, the {@code terminal} that
 * {@code watch} draws on, and the monotonic clock ({@code nanoTime}, as
 * {@link System#nanoTime()}) that times {@code watch}'s timeout and throttling. Tests inject all of
 * it, so nothing sleeps and time moves when the test says.
 */
record Session(PrintStream out, PrintStream err, Sleeper sleeper, Terminal terminal,
        LongSupplier nanoTime) {

    /** {@link System#nanoTime()}; a class rather than a method reference, for start-up. */
    static final LongSupplier SYSTEM_TIME = new SystemTime();

    private static final class SystemTime implements LongSupplier {
        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }
}
