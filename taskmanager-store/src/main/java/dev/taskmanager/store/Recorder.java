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
 * to write: the live handle, on creation, start, progress, abort request, stall and recovery
 * (snapshotted by the writer when it writes, so a thousand progress reports in between cost one row)
 * or, once the task ended, a {@link Final} holding the handle, which nothing replaces. The final
 * snapshot is built by the writer too, not on the task's thread: a finished task's status no longer
 * changes ({@link TaskListener#onFinished(Task, boolean)}), so the writer reads the same final state
 * whenever it gets to it. Memory is one entry per task waiting to be written, whatever the event
 * rate.
 *
 * <p><b>Departures.</b> When a task leaves the registry (TTL, fold, drain, module stop) its entry is
 * wrapped in a {@link Departure}, so that the writer clears the row's {@code in_memory} flag: from
 * then on the v2 list reads the task from history instead of from memory (docs/history.md). The wrap
 * replaces the entry, so memory stays one entry per task; a departure is never unwrapped by a later
 * event (a fold announces the departure before the task's final status) nor by a failed write put
 * back, and it carries the handle, whose snapshot is final by then, so that the row it writes is
 * terminal and no write of an older state can set the flag again (a terminal row never changes).
 *
 * <p>Under overload (see {@link #shedding}) it keeps the map within the writer's bound by dropping
 * instead. Thread-safe: any number of task threads call it at once, the writer drains the map
 * concurrently.
 */
final class Recorder implements TaskListener {
    /**
     * Task id to a {@link Task} handle (write its status when due), a {@link Final} (write it first),
     * or either wrapped in a {@link Departure} (the task left the registry).
     */
    final ConcurrentHashMap<UUID, Object> dirty;

    /**
     * Set by the writer while as many tasks wait as its bound allows: unfinished tasks are then not
     * marked at all (the writer marks every registered one again once the backlog is down to half),
     * and the final state of a task that is not waiting already is dropped and counted instead of
     * growing the map: memory stays within the bound however fast tasks finish.
     */
    volatile boolean shedding;
    /** Final states and departures dropped while shedding. */
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
            dirty.merge(task.id(), ended, Recorder::newer);
        } else if (dirty.computeIfPresent(task.id(), (id, current) -> newer(current, ended)) == null) {
            dropped.increment();
        }
    }

    /**
     * Wraps the task's entry in a {@link Departure}. A task that leaves unfinished (one whose creation
     * failed, never announced) is only wrapped if something of it waits to be written.
     */
    @Override
    public void onUnregistered(Task task) {
        Departure departure = new Departure(task);
        if (!shedding && task.state().isTerminal()) {
            dirty.merge(task.id(), departure, Recorder::newer);
        } else if (dirty.computeIfPresent(task.id(), (id, current) -> newer(current, departure)) == null
                && task.state().isTerminal()) {
            dropped.increment();
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

    /** Whether {@code pending}, a value of the dirty map (unwrapped from a departure), is a final state. */
    static boolean isFinal(Object pending) {
        return Departure.unwrap(pending) instanceof Final;
    }

    /** The status to write for {@code pending}, a value of the dirty map; builds the snapshot. */
    static TaskStatus snapshot(Object pending) {
        Object state = Departure.unwrap(pending);
        return state instanceof Final ? ((Final) state).task.status() : ((Task) state).status();
    }

    /** A task that ended: its handle, whose status is final (the same whenever it is read). */
    static final class Final {
        final Task task;

        Final(Task task) {
            this.task = task;
        }
    }

    /**
     * Puts back what the writer took but could not write, merged with what arrived meanwhile
     * ({@link #newer}).
     */
    void putBack(UUID id, Object pending) {
        dirty.merge(id, pending, Recorder::newer);
    }

    /**
     * Two entries for one task as one: departed if either is, holding a final state if either does
     * (the current one first: a task ends once), else the handle.
     */
    static Object newer(Object current, Object other) {
        boolean departed = current instanceof Departure || other instanceof Departure;
        Object a = Departure.unwrap(current);
        Object b = Departure.unwrap(other);
        Object state = a instanceof Final || !(b instanceof Final) ? a : b;
        return departed ? new Departure(state) : state;
    }

    /**
     * A task that left the registry, with what to write: its handle or its {@link Final}. Its row is
     * written with {@code in_memory} cleared.
     */
    record Departure(Object state) {
        /** What an entry holds to write: the wrapped state of a departure, else the entry itself. */
        static Object unwrap(Object entry) {
            return entry instanceof Departure ? ((Departure) entry).state : entry;
        }
    }
}
