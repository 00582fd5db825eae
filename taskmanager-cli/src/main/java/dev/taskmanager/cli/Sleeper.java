package dev.taskmanager.cli;

import java.time.Duration;

/**
 * How the CLI waits between two requests: between the listings of {@code list --iterations} and
 * between two looks at a task in {@code tasks watch}. Injected
 * ({@link TasksCli#run(java.io.PrintStream, java.io.PrintStream, Sleeper, Terminal, String...)}) so
 * that tests record the pauses, or wait for a condition of their own, instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /**
     * Returns after {@code duration}, or sooner or later as the implementation sees fit (a test's
     * returns when it has seen what it waits for).
     *
     * @throws InterruptedException if the thread is interrupted; the command then ends
     */
    void sleep(Duration duration) throws InterruptedException;
}
