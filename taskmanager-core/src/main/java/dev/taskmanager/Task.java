package dev.taskmanager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

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

    /**
     * The task's type (SPEC §1.3), without building a snapshot: a listener that keys something by
     * module and type reads it on every event. The default reads it from {@link #stats()}.
     */
    default String type() {
        return stats().type();
    }

    /** The current state; cheaper than {@link #status()}. */
    TaskState state();

    /**
     * When the task started, as in its snapshot ({@link TaskStatus#startTime()}), or null if it has
     * not; without building a snapshot (a metrics listener reads it on every finished event). The
     * default reads it from {@link #stats()}.
     */
    default Instant startTime() {
        return stats().startTime();
    }

    /**
     * When the task ended, as in its snapshot ({@link TaskStatus#endTime()}), or null if it has not;
     * without building a snapshot. The default reads it from {@link #stats()}.
     */
    default Instant endTime() {
        return stats().endTime();
    }

    /** Whether the API may abort this task (library code always may). */
    boolean isAbortable();

    /** A point-in-time snapshot of the task, with progress computed now. */
    TaskStatus status();

    /** The listing summary of the task. */
    TaskStats stats();

    /**
     * The task and all its descendants, breadth-first: the task first, then at each level live
     * children before folded ones (SPEC §12.1). Folded children appear as snapshots of their records.
     * Builds the whole list; {@link #statusTree()} streams the same snapshots one at a time.
     */
    List<TaskStatus> statusRecursive();

    /**
     * The same snapshots as {@link #statusRecursive()}, in the same order, built lazily as the stream
     * is consumed: it holds the breadth-first frontier (task handles of the level being read), never
     * the snapshots, so a tree of any size can be rendered as it is read. Weakly consistent: each
     * snapshot shows its task when the stream reaches it.
     */
    default Stream<TaskStatus> statusTree() {
        return statusRecursive().stream();
    }

    /**
     * Completes with the final status when the task completes, done or failed; never completes
     * exceptionally on its own. No thread is held per waiter.
     *
     * <p>Each call returns a new future that belongs to the caller: cancelling or completing it
     * affects neither the task nor other waiters. A waiter that gives up must say so — cancel the
     * future, or let {@code orTimeout}/{@code completeOnTimeout} end it — and it is then detached from
     * the task at once, so abandoned waits on a long-running task leave nothing behind. (A future
     * derived from it with {@code thenApply} and the like does not detach it: cancel this one.)
     * Callbacks attached to different futures run in no guaranteed order.
     */
    CompletableFuture<TaskStatus> done();

    /**
     * Blocks until the task completes or the timeout elapses; a wait that times out or is interrupted
     * leaves nothing attached to the task.
     *
     * @throws TimeoutException     if the task is still running after {@code timeout}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    TaskStatus await(Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * The exception that failed the task, with its stack trace, once it has failed: what the body
     * threw, what {@link TrackedTask#fail(Throwable)} was given, a {@link TaskFailedException} for
     * {@link TrackedTask#fail(String)}, or for an aborted task a {@link TaskAbortedException} whose
     * cause is what the body threw, if anything. Empty unless the task is {@code failed}. The
     * snapshots carry only its text ({@link TaskStatus#error()}).
     */
    default Optional<Throwable> failure() {
        return Optional.empty();
    }

    /** Requests an abort with no particular reason or requester; see {@link #abort(String, String)}. */
    default void abort() {
        abort(null, null);
    }

    /** Requests an abort with a reason and no particular requester; see {@link #abort(String, String)}. */
    default void abort(String reason) {
        abort(reason, null);
    }

    /**
     * Requests an abort and returns at once (SPEC §9). The flag is set first, then the abort cascades
     * to every registered descendant, including children created afterwards; each gets the same
     * {@link AbortRequest}. Aborting an aborted or complete task changes nothing. A tracked task
     * that was never started ends at once ({@code failed}, aborted). This ignores
     * {@link #isAbortable()}: that flag only guards the API, which checks it before calling here.
     *
     * @param reason      recorded in the error and the abort request, or {@code null}
     * @param requestedBy who asks, free-form (e.g. an HTTP request id), or {@code null}
     */
    void abort(String reason, String requestedBy);

    /** Whether an abort was requested. */
    boolean isAbortRequested();

    /**
     * Whether this is a node task or a cluster-wide operation (SPEC §11); cheaper than
     * {@link #stats()}, which the default reads.
     */
    default TaskKind kind() {
        return stats().kind();
    }
}
