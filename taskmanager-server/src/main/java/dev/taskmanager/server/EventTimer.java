package dev.taskmanager.server;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The one-shot timers of the event stream (heartbeats, coalesced progress), so that tests can run
 * them on a fake clock instead of waiting. A timer's task must be short: it only hands work on.
 */
@FunctionalInterface
interface EventTimer {
    /** Runs {@code task} once, {@code delayNanos} from now; the handle cancels it. */
    Cancel schedule(Runnable task, long delayNanos);

    /** Cancels a scheduled task; harmless once it ran. */
    @FunctionalInterface
    interface Cancel {
        void cancel();
    }

    /** Timers on a Jetty scheduler (the server's, shared with waits and idle timeouts). */
    static EventTimer on(Scheduler scheduler) {
        return (task, delayNanos) -> {
            Scheduler.Task scheduled = scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return scheduled::cancel;
        };
    }
}
