package dev.taskmanager.server;

import dev.taskmanager.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Timers on a {@link FakeTime}: a task runs, on the test's thread, when the test advances past its time. */
final class FakeTimer implements EventTimer {
    private final FakeTime time;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(Comparator.comparingLong((Entry e) -> e.at)
            .thenComparingLong(e -> e.order));
    private long order;

    FakeTimer(FakeTime time) {
        this.time = time;
    }

    private static final class Entry {
        final long at;
        final long order;
        final Runnable task;
        volatile boolean cancelled;

        Entry(long at, long order, Runnable task) {
            this.at = at;
            this.order = order;
            this.task = task;
        }
    }

    @Override
    public synchronized Cancel schedule(Runnable task, long delayNanos) {
        Entry entry = new Entry(time.read() + delayNanos, order++, task);
        queue.add(entry);
        return () -> entry.cancelled = true;
    }

    /** Moves the fake time forward and runs every timer due by then, in time order. */
    void advance(Duration duration) {
        time.advance(duration);
        while (true) {
            List<Runnable> due = new ArrayList<>();
            synchronized (this) {
                while (!queue.isEmpty() && queue.peek().at <= time.read()) {
                    Entry entry = queue.poll();
                    if (!entry.cancelled) {
                        due.add(entry.task);
                    }
                }
            }
            if (due.isEmpty()) {
                return;
            }
            due.forEach(Runnable::run);
        }
    }
}
