package dev.taskmanager;

import java.util.UUID;

/**
 * What a managed task's body sees while it runs: progress, abort checks and children.
 * Only the body's own thread should use it, except for {@link #isAbortRequested()}.
 */
public interface TaskContext {

    /** The id of the running task. */
    UUID id();

    /** The running task itself. */
    Task task();

    /** Where the body reports progress. */
    Progress progress();

    /** Whether an abort was requested; cheap enough to call in a tight loop. */
    boolean isAbortRequested();

    /**
     * Throws {@link TaskAbortedException} if an abort was requested. The usual way for a body to
     * cooperate with abort: call it between units of work.
     */
    void ensureNotAborted();

    /**
     * Starts building a child of this task. The child lives on shard 0 unless the builder says
     * otherwise, inherits the sequence number and progress units, and is internal by default.
     *
     * @param type what operation the child covers
     */
    TaskBuilder child(String type);

    /**
     * Blocks until every child that is live now has completed, then fails if any direct child
     * failed or was aborted: the same as {@code awaitChildren(ChildFailures.FAIL)}. The parent
     * usually calls this last, so that it ends after its children and fails with them:
     *
     * <pre>{@code
     * ctx.child("copy").start(c -> copy(a, c));
     * ctx.child("copy").start(c -> copy(b, c));
     * ctx.awaitChildren();   // throws if a copy failed: the parent then fails too
     * }</pre>
     *
     * Children created afterwards are not waited for. This holds the body's thread while it waits:
     * with a bounded executor, deep trees whose parents all wait can exhaust it, so size the pool for
     * the tree's depth (the default executor grows as needed).
     *
     * @throws TaskFailedException  if a direct child (live or already folded) ended failed or
     *                              aborted; its message counts them and names the first few with
     *                              their errors, e.g. {@code 2 of 16 child tasks failed: 5b0c... (disk
     *                              full); 77a1... (abort requested)}
     * @throws InterruptedException if the body's thread is interrupted (e.g. by an abort with
     *                              {@link #interruptOnAbort()})
     */
    void awaitChildren() throws InterruptedException;

    /**
     * Blocks until every child that is live now has completed; with {@link ChildFailures#IGNORE}
     * returns normally whatever became of them, for a body that tolerates partial failure or
     * reports its children's failures in its own words. See {@link #awaitChildren()}.
     *
     * @throws TaskFailedException  with {@link ChildFailures#FAIL}, if a direct child failed or was aborted
     * @throws InterruptedException if the body's thread is interrupted
     */
    void awaitChildren(ChildFailures onFailure) throws InterruptedException;

    /**
     * Runs {@code callback} when an abort is requested (at once if it already was). Callbacks run on
     * the aborting thread, outside locks; an exception from one is logged and ignored.
     */
    void onAbort(Runnable callback);

    /** Opts in to having the body's thread interrupted when an abort is requested. */
    void interruptOnAbort();
}
