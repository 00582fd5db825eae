package dev.taskmanager;

/**
 * A task whose work runs somewhere the task manager does not control: its owner starts it, reports
 * progress and completes or fails it from outside. The test API is built on this.
 *
 * <p>Thread-safe: completion happens at most once, whichever thread gets there first.
 */
public interface TrackedTask extends Task {

    /**
     * Moves the task from {@code created} to {@code running}. If an abort already ended the task
     * before it started (SPEC §15.3), this does nothing.
     *
     * @throws IllegalStateException if the task was already started
     */
    void start();

    /**
     * Completes the task successfully, or as failed if an abort was requested (SPEC §2.3).
     *
     * @return false if the task had already completed
     */
    boolean complete();

    /**
     * Fails the task, rendering {@code error} as "type (message)" (a {@link TaskFailedException} as
     * its message alone); {@link Task#failure()} then returns {@code error} itself.
     *
     * @return false if the task had already completed
     */
    boolean fail(Throwable error);

    /**
     * Fails the task with {@code error} as its error text (a blank text becomes "failed").
     *
     * @return false if the task had already completed
     */
    boolean fail(String error);

    /** Where the owner reports progress. */
    Progress progress();

    /** Starts building a child of this task; see {@link TaskContext#child(String)}. */
    TaskBuilder child(String type);

    /** Runs {@code callback} when an abort is requested; see {@link TaskContext#onAbort(Runnable)}. */
    void onAbort(Runnable callback);
}
