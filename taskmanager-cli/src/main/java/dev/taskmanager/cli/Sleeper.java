package dev.taskmanager.cli;

import java.time.Duration;

/**
 * Waits between the repetitions of {@code list --iterations}. Injected so that tests record the
 * requested pauses instead of sleeping.
 */
@FunctionalInterface
interface Sleeper {

    /** Sleeps on the calling thread. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
