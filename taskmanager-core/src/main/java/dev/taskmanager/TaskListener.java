package dev.taskmanager;

/**
 * Observes task state changes, so that metrics, an event stream or persistence can attach without
 * touching the engine. Callbacks run synchronously on the thread that caused the change, outside the
 * engine's locks; keep them fast and non-blocking. An exception thrown by a listener is logged and
 * ignored. All methods do nothing by default.
 */
public interface TaskListener {

    /** A task was registered (state {@code created}). */
    default void onCreated(Task task) {
    }

    /** A task started running. */
    default void onStarted(Task task) {
    }

    /**
     * A task reported progress. Called on every report; a listener that only needs a sample should
     * throttle itself.
     */
    default void onProgress(Task task) {
    }

    /** A task completed; {@code status} is its final snapshot. */
    default void onFinished(TaskStatus status) {
    }

    /** A task left the registry (TTL expiry, folding, drain, module stop or explicit removal). */
    default void onUnregistered(Task task) {
    }
}
