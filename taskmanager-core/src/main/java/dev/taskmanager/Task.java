package dev.taskmanager;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A handle on one task. Every read returns an immutable snapshot; the handle stays usable after the
 * task has been unregistered (it then reports the task as it was last).
 *
 * <p>Thread-safe: any thread may read, wait on or abort a task.
 */
public interface Task {

    /** The task's id. */
    UUID id();

    /** The name of the module the task belongs to. */
    String module();

    /** The current state; cheaper than {@link #status()}. */
    TaskState state();

    /** Whether the API may abort this task (library code always may). */
    boolean isAbortable();

    /** A point-in-time snapshot of the task, with progress computed now. */
    TaskStatus status();

    /** The listing summary of the task. */
    TaskStats stats();

    /**
     * The task and all its descendants, breadth-first: the task first, then at each level live
     * children before folded ones (SPEC §12.1). Folded children appear as snapshots of their records.
     */
    List<TaskStatus> statusRecursive();

    /**
     * Completes with the final status when the task completes, done or failed; never completes
     * exceptionally. No thread is held per waiter. Each call returns a new dependent future, so
     * cancelling or completing it affects neither the task nor other waiters; callbacks attached to
     * different futures run in no guaranteed order.
     */
    CompletableFuture<TaskStatus> done();

    /**
     * Blocks until the task completes or the timeout elapses.
     *
     * @throws TimeoutException     if the task is still running after {@code timeout}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    TaskStatus await(Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * Requests an abort with no particular reason; see {@link #abort(String)}.
     */
    default void abort() {
        abort(null);
    }

    /**
     * Requests an abort and returns at once (SPEC §9). The flag is set first, then the abort cascades
     * to every registered descendant, including children created afterwards. Aborting an aborted or
     * complete task changes nothing. This ignores {@link #isAbortable()}: that flag only guards the
     * API, which checks it before calling here.
     *
     * @param reason recorded in the error, or {@code null}
     */
    void abort(String reason);

    /** Whether an abort was requested. */
    boolean isAbortRequested();
}
