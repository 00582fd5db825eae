package dev.taskmanager.store;

import dev.taskmanager.AbortRequest;
import dev.taskmanager.Task;
import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskStatus;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store's listener: the only code of the store that runs on task threads. It does no I/O and
 * takes no lock of its own; it marks the task dirty in one map keyed by id, holding the newest thing
 * to write: the live handle, on creation, start, progress, abort request, stall and recovery (snapshotted by the writer when it writes, so a thousand progress reports
 * in between cost one row) or, once the task ended, a {@link Final} holding the handle, which nothing
 * replaces. The final snapshot is built by the writer too, not on the task's thread: a finished task's
 * status no longer changes ({@link TaskListener#onFinished(Task, boolean)}), so the writer reads the
 * same final state whenever it gets to it. Memory is one entry per task waiting to be written,
 * whatever the event rate.
 *
 * <p>Under overload (see {@link #shedding}) it keeps the map within the writer's bound by dropping
 * instead. Thread-safe: any number of task threads call it at once, the writer drains the map
 * concurrently.
 */
final class Recorder implements TaskListener {
    /** Task id to a {@link Task} handle (write its status when due) or a {@link Final} (write it first). */
    final ConcurrentHashMap<UUID, Object> dirty;

    /**
     * Set by the writer while as many tasks wait as its bound allows: unfinished tasks are then not
     * marked at all (the writer marks every registered one again once the backlog is down to half),
     * and the final state of a task that is not waiting already is dropped and counted instead of
     * growing the map: memory stays within the bound however fast tasks finish.
     */
    volatile boolean shedding;
    /** Final states dropped while shedding. */
    final LongAdder dropped = new LongAdder();

    Recorder(ConcurrentHashMap<UUID, Object> dirty) {
        this.dirty = dirty;
    }

    @Override
    public void onCreated(Task task) {
        if (!shedding) {
            dirty.putIfAbsent(task.id(), task);
        }
    }

    @Override
    public void onStarted(Task task) {
        mark(task);
    }

    @Override
    public void onProgress(Task task) {
        mark(task);
    }

    @Override
    public void onAbortRequested(Task task, AbortRequest request) {
        mark(task);
    }

    @Override
    public void onStalled(Task task) {
        mark(task);
    }

    @Override
    public void onRecovered(Task task) {
        mark(task);
    }

    @Override
    public void onFinished(Task task, boolean started) {
        Final ended = new Final(task);
        if (!shedding) {
            dirty.put(task.id(), ended);
        } else if (dirty.replace(task.id(), ended) == null) {
            dropped.increment();
        }
    }

    /** Whether {@code pending}, a value of the dirty map, is a task's final state. */
    static boolean isFinal(Object pending) {
        return pending instanceof Final;
    }

    /** The status to write for {@code pending}, a value of the dirty map; builds the snapshot. */
    static TaskStatus snapshot(Object pending) {
        return pending instanceof Final ? ((Final) pending).task.status() : ((Task) pending).status();
    }

    /** A task that ended: its handle, whose status is final (the same whenever it is read). */
    static final class Final {
        final Task task;

        Final(Task task) {
            this.task = task;
        }
    }

    /**
     * Marks a task whose state changed. A read first, because the task is usually marked already
     * (progress reports come far more often than the writer writes) and a read does not contend.
     */
    void mark(Task task) {
        if (shedding) {
            return;
        }
        UUID id = task.id();
        if (dirty.get(id) == null) {
            dirty.putIfAbsent(id, task);
        }
    }

    /**
     * Puts back what the writer took but could not write, unless something newer arrived meanwhile:
     * a final state wins over a handle, and a newer final state (there is none: a task ends once)
     * over an older one.
     */
    void putBack(UUID id, Object pending) {
        dirty.merge(id, pending, (current, ours) -> isFinal(current) || !isFinal(ours) ? current : ours);
    }
}
