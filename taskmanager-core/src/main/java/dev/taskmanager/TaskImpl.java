package dev.taskmanager;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The live task: state machine, abort flag, children and progress. Owned by the engine; nothing
 * outside it sees these fields, only {@link TaskStatus} snapshots.
 *
 * <p><b>State.</b> One volatile control word, {@link #ctl}, holds the lifecycle state and the abort
 * bit and changes only by compare-and-set, so starting and completing a task take no lock. The
 * fields a transition sets are published by the volatile write of the word: the start time is
 * written just before the CAS to {@code RUNNING}; end time and error are written in
 * {@code COMPLETING}, which only the CAS winner can reach, before the write that leaves it. Readers
 * read the word first and trust only the fields it covers.
 *
 * <p><b>Locking.</b> Children, progress, abort callbacks and the interrupt target are guarded by
 * this object's monitor. The engine never holds two task monitors at once (a parent copies what it
 * needs, releases its lock, then touches its children), so there is no lock ordering to get wrong.
 */
final class TaskImpl implements TrackedTask, Progress {
    private static final System.Logger LOG = System.getLogger(TaskImpl.class.getName());
    private static final VarHandle DONE;
    private static final VarHandle CTL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DONE = lookup.findVarHandle(TaskImpl.class, "done", CompletableFuture.class);
            CTL = lookup.findVarHandle(TaskImpl.class, "ctl", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The control word: a lifecycle state in the low bits, plus the ABORT bit. Legal transitions:
    //   CREATED -> RUNNING -> COMPLETING -> DONE | FAILED
    //   CREATED -> COMPLETING -> DONE | FAILED   (aborted before start, or finished without starting)
    // COMPLETING is owned by the thread whose CAS entered it; readers see it as running. ABORT is
    // set at most once, and never once COMPLETING is reached, so leaving COMPLETING is a plain
    // volatile write. DONE and FAILED are final.
    private static final int CREATED = 0;
    private static final int RUNNING = 1;
    private static final int COMPLETING = 2;
    private static final int DONE_STATE = 3;
    private static final int FAILED_STATE = 4;
    private static final int STATE_MASK = 7;
    private static final int ABORT = 8;

    private static final byte ABORTABLE = 1;
    private static final byte USER_TASK = 2;
    private static final byte INTERNAL = 4;
    private static final byte REPORTS_OWN_PROGRESS = 1;
    private static final byte HAS_EXPECTED_TOTAL = 2;
    static final long NO_DEADLINE = Long.MIN_VALUE;

    final UUID id;
    final TaskModule module;
    final TaskImpl parent;
    final String type;
    final String scope;
    final String keyspace;
    final String table;
    final String entity;
    final String progressUnits;
    final long sequenceNumber;
    final int shard;
    private final byte flags;

    private volatile int ctl = CREATED;
    /** Why the task was aborted; written before the ABORT bit is set, so whoever sees the bit sees it. */
    private volatile String abortReason;
    private long startEpochNanos = EpochNanos.UNSET; // published by the CAS to RUNNING
    private long endEpochNanos = EpochNanos.UNSET;   // published by leaving COMPLETING
    private String error;                            // published by leaving COMPLETING

    private byte progressFlags;
    private double completed;
    private double expectedTotal;

    private LinkedHashSet<TaskImpl> liveChildren;
    private ArrayList<FoldedTask> foldedChildren;
    private ArrayList<Runnable> abortCallbacks;
    private Thread interruptOnAbort;

    /** Created on first wait only: most tasks are never waited for. */
    @SuppressWarnings("unused") // accessed through DONE
    private volatile CompletableFuture<TaskStatus> done;

    /**
     * Set once the task takes no more children: when it folds (under the monitor, so a child attaching
     * concurrently either gets in first or is refused) or leaves the registry (a child that slips in
     * then cannot fold later and is kept as an orphan, SPEC §7.4).
     */
    private volatile boolean sealed;
    /** The monotonic instant after which a retained task expires, or {@link #NO_DEADLINE}. */
    volatile long deadline = NO_DEADLINE;

    TaskImpl(UUID id, TaskModule module, TaskImpl parent, String type, String scope, String keyspace,
             String table, String entity, String progressUnits, long sequenceNumber, int shard,
             boolean abortable, boolean userTask, boolean internal) {
        this.id = id;
        this.module = module;
        this.parent = parent;
        this.type = type;
        this.scope = scope;
        this.keyspace = keyspace;
        this.table = table;
        this.entity = entity;
        this.progressUnits = progressUnits;
        this.sequenceNumber = sequenceNumber;
        this.shard = shard;
        this.flags = (byte) ((abortable ? ABORTABLE : 0) | (userTask ? USER_TASK : 0) | (internal ? INTERNAL : 0));
    }

    // ---------------------------------------------------------------- reads

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public String module() {
        return module.name();
    }

    @Override
    public TaskState state() {
        return publicState(ctl);
    }

    private static TaskState publicState(int ctl) {
        switch (ctl & STATE_MASK) {
            case CREATED:
                return TaskState.CREATED;
            case RUNNING:
            case COMPLETING:
                return TaskState.RUNNING;
            case DONE_STATE:
                return TaskState.DONE;
            default:
                return TaskState.FAILED;
        }
    }

    private static boolean isComplete(int ctl) {
        return (ctl & STATE_MASK) >= DONE_STATE;
    }

    private static boolean hasStarted(int ctl) {
        return (ctl & STATE_MASK) >= RUNNING;
    }

    @Override
    public boolean isAbortable() {
        return (flags & ABORTABLE) != 0;
    }

    boolean isUserTask() {
        return (flags & USER_TASK) != 0;
    }

    boolean isInternal() {
        return (flags & INTERNAL) != 0;
    }

    @Override
    public boolean isAbortRequested() {
        return (ctl & ABORT) != 0;
    }

    @Override
    public TaskStatus status() {
        return status(ctl, family());
    }

    /** The snapshot of this task in state {@code c}, with children and progress from {@code family}. */
    private TaskStatus status(int c, Family family) {
        long start = hasStarted(c) ? startEpochNanos : EpochNanos.UNSET;
        long end = isComplete(c) ? endEpochNanos : EpochNanos.UNSET;
        String err = isComplete(c) ? error : null;
        List<UUID> children = new ArrayList<>(family.live.size() + family.folded.size());
        for (TaskImpl child : family.live) {
            children.add(child.id);
        }
        for (FoldedTask child : family.folded) {
            children.add(child.id());
        }
        TaskState s = publicState(c);
        return new TaskStatus(id, module.name(), type, TaskKind.NODE, scope, s, isAbortable(),
                EpochNanos.toInstant(start), EpochNanos.toInstant(end), err == null ? "" : err,
                parent == null ? null : parent.id, sequenceNumber, shard, keyspace, table, entity,
                progressUnits, family.progress(s), children, isUserTask(), isInternal());
    }

    @Override
    public TaskStats stats() {
        int c = ctl;
        long start = hasStarted(c) ? startEpochNanos : EpochNanos.UNSET;
        long end = isComplete(c) ? endEpochNanos : EpochNanos.UNSET;
        return new TaskStats(id, module.name(), publicState(c), type, TaskKind.NODE, scope, keyspace, table, entity,
                sequenceNumber, shard, EpochNanos.toInstant(start), EpochNanos.toInstant(end));
    }

    @Override
    public List<TaskStatus> statusRecursive() {
        List<TaskStatus> result = new ArrayList<>();
        ArrayDeque<Object> queue = new ArrayDeque<>();
        queue.add(this);
        while (!queue.isEmpty()) {
            Object next = queue.poll();
            if (next instanceof TaskImpl) {
                TaskImpl task = (TaskImpl) next;
                Family family = task.family();
                result.add(task.status(task.ctl, family));
                queue.addAll(family.live);
                queue.addAll(family.folded);
            } else {
                FoldedTask record = (FoldedTask) next;
                result.add(record.toStatus());
                queue.addAll(record.failedChildren());
            }
        }
        return result;
    }

    /** Progress now (SPEC §8.2): the task's own report if it made one, else its children's sum. */
    TaskProgress currentProgress() {
        return family().progress(state());
    }

    /**
     * A consistent copy of the children and progress fields, taken under the monitor. A task that
     * never had children or progress (most leaves, every task polled before its work begins) is read
     * without the monitor, so pollers never contend: a stale peek shows the task as it was an
     * instant ago, and anything non-null takes the lock.
     */
    private Family family() {
        if (liveChildren == null && foldedChildren == null && progressFlags == 0) {
            return Family.NONE;
        }
        synchronized (this) {
            return new Family(liveChildren == null ? List.of() : List.copyOf(liveChildren),
                    foldedChildren == null ? List.of() : List.copyOf(foldedChildren), progressFlags,
                    completed, expectedTotal);
        }
    }

    /** Children and progress fields of one task, copied together. */
    private static final class Family {
        static final Family NONE = new Family(List.of(), List.of(), (byte) 0, 0, 0);

        final List<TaskImpl> live;
        final List<FoldedTask> folded;
        private final byte progressFlags;
        private final double completed;
        private final double expectedTotal;

        Family(List<TaskImpl> live, List<FoldedTask> folded, byte progressFlags, double completed,
               double expectedTotal) {
            this.live = live;
            this.folded = folded;
            this.progressFlags = progressFlags;
            this.completed = completed;
            this.expectedTotal = expectedTotal;
        }

        /**
         * SPEC §8.2: the task's own report if it made one (total 0 if it declared none); otherwise,
         * complete, the sum over its children; running, {@code 0/0} with no expected total and no
         * children, else the children's completed sum against the expected total if declared, or
         * the children's total.
         */
        TaskProgress progress(TaskState state) {
            boolean hasExpected = (progressFlags & HAS_EXPECTED_TOTAL) != 0;
            if ((progressFlags & REPORTS_OWN_PROGRESS) != 0) {
                return new TaskProgress(completed, hasExpected ? expectedTotal : 0);
            }
            if (!state.isTerminal() && !hasExpected && live.isEmpty() && folded.isEmpty()) {
                return TaskProgress.NONE;
            }
            double sumCompleted = 0;
            double sumTotal = 0;
            for (TaskImpl child : live) {
                TaskProgress p = child.currentProgress();
                sumCompleted += p.completed();
                sumTotal += p.total();
            }
            for (FoldedTask child : folded) {
                sumCompleted += child.progress().completed();
                sumTotal += child.progress().total();
            }
            return new TaskProgress(sumCompleted, state.isTerminal() || !hasExpected ? sumTotal : expectedTotal);
        }
    }

    // ---------------------------------------------------------------- progress

    @Override
    public void add(double delta) {
        TaskProgress.requireFiniteNonNegative("progress delta", delta);
        synchronized (this) {
            completed += delta;
            progressFlags |= REPORTS_OWN_PROGRESS;
        }
        module.manager().listeners().progress(this);
    }

    @Override
    public void set(double completed, double total) {
        TaskProgress.requireFiniteNonNegative("completed", completed);
        TaskProgress.requireFiniteNonNegative("total", total);
        synchronized (this) {
            this.completed = completed;
            this.expectedTotal = total;
            progressFlags |= REPORTS_OWN_PROGRESS | HAS_EXPECTED_TOTAL;
        }
        module.manager().listeners().progress(this);
    }

    @Override
    public void expectTotal(double total) {
        TaskProgress.requireFiniteNonNegative("expected total", total);
        synchronized (this) {
            this.expectedTotal = total;
            progressFlags |= HAS_EXPECTED_TOTAL;
        }
        module.manager().listeners().progress(this);
    }

    @Override
    public Progress progress() {
        return this;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        if (begin()) {
            module.manager().listeners().started(this);
        }
    }

    /**
     * Moves {@code created -> running}, or fails the task at once if it was aborted before starting.
     *
     * @return whether the task is now running
     * @throws IllegalStateException if the task was already started
     */
    boolean begin() {
        long now = module.manager().wallNow();
        for (;;) {
            int c = ctl;
            if ((c & STATE_MASK) != CREATED) {
                throw new IllegalStateException("task with id " + id + " was already started (state "
                        + publicState(c).wireName() + ")");
            }
            if ((c & ABORT) != 0) {
                if (CTL.compareAndSet(this, c, COMPLETING | ABORT)) {
                    completeAs(false, null, ABORT);
                    return false;
                }
            } else {
                // Written before the CAS that publishes it. Only a second, concurrent start (a
                // programming error, answered with an exception) could overwrite it, by nanoseconds.
                startEpochNanos = now;
                if (CTL.compareAndSet(this, c, RUNNING)) {
                    return true;
                }
            }
        }
    }

    @Override
    public boolean complete() {
        return finish(true, null);
    }

    @Override
    public boolean fail(Throwable cause) {
        return finish(false, Errors.render(cause));
    }

    @Override
    public boolean fail(String message) {
        return finish(false, message == null || message.isBlank() ? "failed" : message);
    }

    /** Completes the task once; returns false if it had already completed (or is completing). */
    boolean finish(boolean success, String failure) {
        for (;;) {
            int c = ctl;
            int state = c & STATE_MASK;
            if (state >= COMPLETING) {
                return false;
            }
            if (CTL.compareAndSet(this, c, COMPLETING | (c & ABORT))) {
                completeAs(success, failure, c & ABORT);
                return true;
            }
        }
    }

    /**
     * Runs in COMPLETING, owned by this thread: sets end time, outcome and error (a task that was asked
     * to abort fails with the abort error, SPEC §2.3 and §9.4), publishes them by leaving COMPLETING,
     * then does what follows completion.
     */
    private void completeAs(boolean success, String failure, int abortBit) {
        long now = module.manager().wallNow();
        if (startEpochNanos == EpochNanos.UNSET) {
            startEpochNanos = now;
        }
        endEpochNanos = now;
        if (abortBit != 0) {
            success = false;
            failure = Errors.render(new TaskAbortedException(abortReason));
        }
        error = success ? null : failure;
        ctl = (success ? DONE_STATE : FAILED_STATE) | abortBit;
        if (abortCallbacks != null) { // racy peek: a callback list we miss only costs memory
            synchronized (this) {
                abortCallbacks = null;
            }
        }
        afterFinish();
    }

    /**
     * Everything after the state change, in the order of SPEC §2.4: fold into the parent (or wait
     * for live children first), release the waiters, then start retention.
     */
    private void afterFinish() {
        TaskManager manager = module.manager();
        Fold fold = parent == null ? Fold.ROOT : foldIntoParent();
        CompletableFuture<TaskStatus> waiters = done;
        if (waiters != null || manager.listeners().any()) {
            TaskStatus last = status();
            if (waiters != null) {
                waiters.complete(last);
            }
            manager.listeners().finished(last);
        }
        if (fold == Fold.ROOT || fold == Fold.PARENT_GONE) {
            manager.retain(this, fold == Fold.PARENT_GONE);
        }
    }

    /** What became of a finished task when it tried to fold. */
    private enum Fold {
        /** It has no parent: retention applies. */
        ROOT,
        /** It now lives on as a record in its parent. */
        FOLDED,
        /** It still has live children; it folds when the last one does. */
        WAITING_FOR_CHILDREN,
        /** Its parent left the registry: it stays unfolded, with its subtree (SPEC §7.4). */
        PARENT_GONE
    }

    /**
     * Replaces this finished task in its parent's live children with a compact record and leaves the
     * registry (SPEC §7). If that leaves a finished parent without live children, the parent folds
     * in turn. Returns false if the parent is gone (SPEC §7.4).
     */
    private Fold foldIntoParent() {
        synchronized (this) {
            if (liveChildren != null && !liveChildren.isEmpty()) {
                return Fold.WAITING_FOR_CHILDREN;
            }
            sealed = true;
        }
        FoldedTask record = toRecord();
        boolean parentFoldsNext;
        synchronized (parent) {
            if (parent.sealed || parent.liveChildren == null || !parent.liveChildren.remove(this)) {
                // Expected while a module stops (everything leaves at once); worth a warning otherwise.
                LOG.log(module.isStopped() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                        "Cannot fold task {0} into parent {1}: the parent is no longer registered; keeping "
                        + "the task and its subtree unfolded", id, parent.id);
                return Fold.PARENT_GONE;
            }
            if (parent.foldedChildren == null) {
                parent.foldedChildren = new ArrayList<>(4);
            }
            parent.foldedChildren.add(record);
            parentFoldsNext = parent.parent != null && parent.liveChildren.isEmpty() && isComplete(parent.ctl);
        }
        module.manager().unregister(this);
        if (parentFoldsNext) {
            parent.lastChildFolded();
        }
        return Fold.FOLDED;
    }

    /** A finished child that was waiting for its own children folds now, or is kept if it cannot. */
    private void lastChildFolded() {
        if (foldIntoParent() == Fold.PARENT_GONE) {
            module.manager().retain(this, true);
        }
    }

    /** The record this finished task leaves in its parent; its start, end and error are published. */
    private FoldedTask toRecord() {
        Family family = family();
        TaskState state = state();
        return new FoldedTask(id, module.name(), type, state, isAbortable(), startEpochNanos, endEpochNanos,
                error == null ? "" : error, parent == null ? null : parent.id, sequenceNumber, shard, scope,
                keyspace, table, entity, progressUnits, family.progress(state), isUserTask(), isInternal(),
                FoldedTask.failuresAmong(family.folded));
    }

    // ---------------------------------------------------------------- children

    /**
     * Adds a new child to the live children. Runs under this task's lock, as do the abort flag's
     * check and sealing, so a child registering concurrently with an abort is always caught (SPEC
     * §9.3) and no child attaches to a task that has folded or left the registry.
     *
     * @throws IllegalArgumentException if this task takes no more children
     * @return whether this task was already asked to abort, so the child must be aborted too
     */
    boolean attachChild(TaskImpl child) {
        synchronized (this) {
            if (sealed) {
                throw new IllegalArgumentException("parent task with id " + id + " not found: it has "
                        + (isComplete(ctl) ? "finished and " : "") + "left the registry");
            }
            if (liveChildren == null) {
                liveChildren = new LinkedHashSet<>(4);
            }
            liveChildren.add(child);
            return isAbortRequested();
        }
    }

    /** Marks the task as gone from the registry: it takes no more children. */
    void seal() {
        sealed = true;
    }

    /** The live children and folded records, for consistency checks; weakly consistent. */
    synchronized List<Object> childrenForCheck() {
        List<Object> all = new ArrayList<>();
        if (liveChildren != null) {
            all.addAll(liveChildren);
        }
        if (foldedChildren != null) {
            all.addAll(foldedChildren);
        }
        return all;
    }

    /** Removes a child that failed to register after it was attached. */
    void detachChild(TaskImpl child) {
        synchronized (this) {
            if (liveChildren != null) {
                liveChildren.remove(child);
            }
        }
    }

    String abortReason() {
        return abortReason;
    }

    /** Snapshot of the live children; weakly consistent. */
    List<TaskImpl> liveChildren() {
        synchronized (this) {
            return liveChildren == null ? List.of() : List.copyOf(liveChildren);
        }
    }

    @Override
    public TaskBuilder child(String type) {
        return module.task(type).parent(this);
    }

    // ---------------------------------------------------------------- abort

    @Override
    public void abort(String reason) {
        ArrayDeque<TaskImpl> pending = new ArrayDeque<>();
        pending.add(this);
        while (!pending.isEmpty()) {
            pending.poll().abortOne(reason, pending);
        }
    }

    /**
     * Flags this task, then queues its live children. The flag is set before taking the lock that
     * {@link #attachChild} holds while it adds a child and reads the flag, so every child either sees
     * the flag or is seen here. Callbacks run outside the lock.
     */
    private void abortOne(String reason, ArrayDeque<TaskImpl> pending) {
        boolean flagged = false;
        for (;;) {
            int c = ctl;
            if ((c & ABORT) != 0) {
                return; // already aborted: its children were (or will be, at attach) aborted too
            }
            if ((c & STATE_MASK) >= COMPLETING) {
                break; // complete: nothing to flag, but children it left running still get the abort
            }
            if (abortReason == null) {
                abortReason = reason;
            }
            if (CTL.compareAndSet(this, c, c | ABORT)) {
                flagged = true;
                break;
            }
        }
        List<Runnable> callbacks = null;
        synchronized (this) {
            if (flagged) {
                callbacks = abortCallbacks;
                abortCallbacks = null;
                if (interruptOnAbort != null) {
                    // Under the lock: the body clears the field under the same lock when it returns, so
                    // a thread that has moved on to other work is never interrupted by mistake.
                    interruptOnAbort.interrupt();
                }
            }
            if (liveChildren != null) {
                pending.addAll(liveChildren);
            }
        }
        if (callbacks != null) {
            for (Runnable callback : callbacks) {
                runAbortCallback(callback);
            }
        }
    }

    @Override
    public void onAbort(Runnable callback) {
        synchronized (this) {
            if (!isAbortRequested()) {
                if ((ctl & STATE_MASK) < COMPLETING) {
                    if (abortCallbacks == null) {
                        abortCallbacks = new ArrayList<>(2);
                    }
                    abortCallbacks.add(callback);
                }
                return;
            }
        }
        runAbortCallback(callback);
    }

    private void runAbortCallback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "Abort callback of task " + id + " threw", e);
        }
    }

    void interruptOnAbort(Thread thread) {
        synchronized (this) {
            interruptOnAbort = thread;
            if (isAbortRequested()) {
                thread.interrupt();
            }
        }
    }

    /**
     * Stops further interrupts of the body's thread; called by that thread when the body returns,
     * so the plain read sees its own write.
     */
    void stopInterrupting() {
        if (interruptOnAbort != null) {
            synchronized (this) {
                interruptOnAbort = null;
            }
        }
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public CompletableFuture<TaskStatus> done() {
        CompletableFuture<TaskStatus> future = done;
        if (future == null) {
            CompletableFuture<TaskStatus> created = new CompletableFuture<>();
            future = DONE.compareAndSet(this, null, created) ? created : done;
        }
        if (isComplete(ctl) && !future.isDone()) {
            future.complete(status());
        }
        return future.copy();
    }

    @Override
    public TaskStatus await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return done().get(Durations.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting on task " + id + " failed", e.getCause());
        }
    }

    @Override
    public String toString() {
        return "Task[" + id + ", " + module.name() + "/" + type + ", " + state().wireName() + "]";
    }
}
