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
 * an event costs one volatile read; a registered listener adds its own work and, for the finished
 * event, the final snapshot only if it asks for one (see {@link #onFinished(Task, boolean)}).
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
     * A task completed: the cheap form of the finished event, for listeners that need little of the
     * final state or can read it later. {@code task} is the live handle of the completed task;
     * {@code started} is false for a task that ended straight from {@code created} (see
     * {@link #onFinished(TaskStatus, boolean)}).
     *
     * <p><b>What the handle shows.</b> The task's end is published before this call: from here on
     * {@link Task#state()} is {@code done} or {@code failed} and never changes, nor do its start and
     * end times, error, {@link Task#failure()}, abort request ({@link Task#isAbortRequested()} is true
     * exactly when the task was aborted) or its own progress (reports made after the end are ignored,
     * see {@link Progress}). So {@link Task#status()} returns the same final snapshot whenever and on
     * whatever thread it is called, now or after the task left the registry: a listener may keep the
     * handle and snapshot it later, off the task's thread (the history store's writer does). One
     * exception, by SPEC §8.2: a task that ended while children of its own still run sums their
     * progress as it is at the time of the snapshot, until the last of them has folded.
     *
     * <p><b>Cost.</b> Runs on the thread that ended the task, like every event. The identity reads
     * ({@link Task#id()}, {@link Task#module()}, {@link Task#type()}, {@link Task#kind()}) and
     * {@link Task#state()} cost a field read; {@link Task#stats()} builds a small summary;
     * {@link Task#status()} builds the full snapshot (children, progress, error, labels), which is
     * what this form lets a listener put off or skip.
     *
     * <p><b>Which form is called.</b> The engine calls exactly one finished method per listener,
     * chosen once, when the listener is added, from the methods its class overrides: this one if it
     * overrides it; otherwise {@link #onFinished(TaskStatus, boolean)}, with a snapshot built once for
     * all such listeners, if it overrides that or {@link #onFinished(TaskStatus)}; otherwise none. So a
     * listener written for the snapshot methods keeps working unchanged, and only it pays for the
     * snapshot. By default this method calls {@code onFinished(task.status(), started)}, for code that
     * calls it directly.
     */
    default void onFinished(Task task, boolean started) {
        onFinished(task.status(), started);
    }

    /**
     * A task completed; {@code status} is its final snapshot, with {@link TaskStatus#aborted()}
     * telling an aborted task from one that failed by itself. The snapshot is built for this call on
     * the thread that ended the task; {@link #onFinished(Task, boolean)} is the cheaper form.
     */
    default void onFinished(TaskStatus status) {
    }

    /**
     * A task completed, as {@link #onFinished(TaskStatus)}, saying also whether it had started:
     * {@code started} is false for a task that ended straight from {@code created} — aborted before it
     * started (SPEC §9.5, §15.3), or a tracked task completed or failed without {@code start()} — for
     * which {@link #onStarted} is never called. Its snapshot cannot tell: SPEC §9.5 sets its start time
     * too. A listener that pairs started and finished events (to count running tasks, say) overrides
     * this method or {@link #onFinished(Task, boolean)}; by default it calls
     * {@link #onFinished(TaskStatus)}.
     */
    default void onFinished(TaskStatus status, boolean started) {
        onFinished(status);
    }

    /** A task left the registry (TTL expiry, folding, drain, module stop or explicit removal). */
    default void onUnregistered(Task task) {
    }
}
