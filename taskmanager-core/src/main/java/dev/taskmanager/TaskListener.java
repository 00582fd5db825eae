package dev.taskmanager;

/**
 * Observes task changes, so that an event stream, metrics or a history store can attach without
 * touching the engine (SPEC §23). All methods do nothing by default.
 *
 * <p><b>Contract.</b> Callbacks run synchronously on the thread that caused the change (a task's
 * body, the thread that aborted it, housekeeping), after the change is visible and outside the
 * engine's locks. They must be fast and must never block: a listener that needs to do I/O hands the
 * event to its own bounded queue and coalesces (keeps the newest state per task) when it falls
 * behind. An exception thrown by a listener is logged and ignored. When no listener is registered,
 * an event costs one volatile read.
 *
 * <p>Each event carries the live handle: {@link Task#status()} builds the task's full snapshot at
 * the time the listener asks, and works even after the task left the registry. Events of one task
 * arrive in the order its changes happened, except that progress events may interleave with others
 * when several threads report for the same task. Progress events can be frequent (one per report);
 * readers that only need the latest state should coalesce them.
 */
public interface TaskListener {

    /** A task was registered (state {@code created}). */
    default void onCreated(Task task) {
    }

    /** A task started running. */
    default void onStarted(Task task) {
    }

    /**
     * A task reported progress (or declared a total). Called on every report; a listener that only
     * needs a sample should throttle or coalesce.
     */
    default void onProgress(Task task) {
    }

    /**
     * A task was asked to abort; called once per task, for every task the abort cascades to, before
     * the task ends. A tracked task aborted before it started ends right after this event.
     */
    default void onAbortRequested(Task task, AbortRequest request) {
    }

    /** A running task with a stall threshold made no progress for that long (SPEC §19). */
    default void onStalled(Task task) {
    }

    /** A stalled task made progress again; a stalled task that ends gets {@link #onFinished} instead. */
    default void onRecovered(Task task) {
    }

    /**
     * A task completed; {@code status} is its final snapshot, with {@link TaskStatus#aborted()}
     * telling an aborted task from one that failed by itself.
     */
    default void onFinished(TaskStatus status) {
    }

    /**
     * A task completed, as {@link #onFinished(TaskStatus)}, saying also whether it had started:
     * {@code started} is false for a task that ended straight from {@code created} — aborted before it
     * started (SPEC §9.5, §15.3), or a tracked task completed or failed without {@code start()} — for
     * which {@link #onStarted} is never called. Its snapshot cannot tell: SPEC §9.5 sets its start time
     * too. A listener that pairs started and finished events (to count running tasks, say) overrides
     * this method; the engine calls only this one, and by default it calls
     * {@link #onFinished(TaskStatus)}.
     */
    default void onFinished(TaskStatus status, boolean started) {
        onFinished(status);
    }

    /** A task left the registry (TTL expiry, folding, drain, module stop or explicit removal). */
    default void onUnregistered(Task task) {
    }
}
