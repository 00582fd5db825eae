package dev.taskmanager.micrometer;

import dev.taskmanager.Task;
import dev.taskmanager.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one (module, type) pair, registered once and then only incremented: what an event
 * touches on a task thread. The running count is a {@link LongAdder}, so threads finishing tasks of
 * the same type do not contend on one cache line; its gauge sums it when scraped.
 */
final class TypeMeters {
    final LongAdder running;
    private final Counter done;
    private final Counter failed;
    private final Counter aborted;
    private final Counter stalls;
    private final Timer duration;
    /** Every meter above (and the running gauge), for removal. */
    final List<io.micrometer.core.instrument.Meter> all;

    TypeMeters(LongAdder running, Counter done, Counter failed, Counter aborted, Counter stalls, Timer duration,
               List<io.micrometer.core.instrument.Meter> all) {
        this.running = running;
        this.done = done;
        this.failed = failed;
        this.aborted = aborted;
        this.stalls = stalls;
        this.duration = duration;
        this.all = all;
    }

    void started() {
        running.increment();
    }

    /** Counts a finish; a task that had started leaves the running count and its run time is recorded. */
    void finished(Task task, boolean started) {
        if (task.isAbortRequested()) { // a finished task was aborted exactly when an abort was requested
            aborted.increment();
        } else if (task.state() == TaskState.DONE) {
            done.increment();
        } else {
            failed.increment();
        }
        if (started) {
            running.decrement();
            Instant start = task.startTime();
            Instant end = task.endTime();
            if (start != null && end != null) {
                duration.record(Math.max(0, nanosBetween(start, end)), TimeUnit.NANOSECONDS);
            }
        }
    }

    void stalled() {
        stalls.increment();
    }

    /** {@link Duration#between} without the object; saturates instead of overflowing (292 years). */
    private static long nanosBetween(Instant start, Instant end) {
        long seconds = end.getEpochSecond() - start.getEpochSecond();
        if (Math.abs(seconds) > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return seconds > 0 ? Long.MAX_VALUE : 0;
        }
        return seconds * 1_000_000_000L + (end.getNano() - start.getNano());
    }
}
