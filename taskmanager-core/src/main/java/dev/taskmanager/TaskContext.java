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
     * Blocks until every child that is live now has completed. Children created afterwards are not
     * waited for. The parent usually calls this last, so that it ends after its children. This holds
     * the body's thread while it waits: with a bounded executor, deep trees whose parents all wait
     * can exhaust it, so size the pool for the tree's depth (the default executor grows as needed).
     *
     * @throws InterruptedException if the body's thread is interrupted (e.g. by an abort with
     *                              {@link #interruptOnAbort()})
     */
    void awaitChildren() throws InterruptedException;

    /**
     * Runs {@code callback} when an abort is requested (at once if it already was). Callbacks run on
     * the aborting thread, outside locks; an exception from one is logged and ignored.
     */
    void onAbort(Runnable callback);

    /** Opts in to having the body's thread interrupted when an abort is requested. */
    void interruptOnAbort();
}
