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
 * <p><b>Locking.</b> Every mutable field is guarded by this object's monitor, and the engine never
 * holds two task monitors at once (a parent copies what it needs, releases its lock, then touches
 * its children), so there is no lock ordering to get wrong. {@link #state} and
 * {@link #abortRequested} are also volatile so that hot checks need no lock.
 */
final class TaskImpl implements TrackedTask, Progress {
    private static final System.Logger LOG = System.getLogger(TaskImpl.class.getName());
    private static final VarHandle DONE;

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(TaskImpl.class, "done", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    // Transitions, all under the monitor: CREATED -> RUNNING -> DONE | FAILED, and CREATED -> FAILED
    // (aborted before start, or completed from outside without starting). Terminal states are final.
    private volatile TaskState state = TaskState.CREATED;
    private volatile boolean abortRequested;
    private String abortReason;
    private long startEpochNanos = EpochNanos.UNSET;
    private long endEpochNanos = EpochNanos.UNSET;
    private String error;

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
     * Set once the task takes no more children: when it folds or leaves the registry. Guarded by the
     * monitor, so a child attaching concurrently either gets in first or is refused.
     */
    private boolean sealed;
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
        return state;
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
        return abortRequested;
    }

    @Override
    public TaskStatus status() {
        TaskState s;
        long start;
        long end;
        String err;
        List<TaskImpl> live;
        List<FoldedTask> folded;
        TaskProgress own;
        synchronized (this) {
            s = state;
            start = startEpochNanos;
            end = endEpochNanos;
            err = error;
            live = liveChildren == null ? List.of() : List.copyOf(liveChildren);
            folded = foldedChildren == null ? List.of() : List.copyOf(foldedChildren);
            own = ownProgressLocked();
        }
        List<UUID> children = new ArrayList<>(live.size() + folded.size());
        for (TaskImpl child : live) {
            children.add(child.id);
        }
        for (FoldedTask child : folded) {
            children.add(child.id());
        }
        TaskProgress progress = own != null ? own : childrenProgress(s, live, folded);
        return new TaskStatus(id, module.name(), type, TaskKind.NODE, scope, s, isAbortable(),
                EpochNanos.toInstant(start), EpochNanos.toInstant(end), err == null ? "" : err,
                parent == null ? null : parent.id, sequenceNumber, shard, keyspace, table, entity,
                progressUnits, progress, children, isUserTask(), isInternal());
    }

    @Override
    public TaskStats stats() {
        TaskState s;
        long start;
        long end;
        synchronized (this) {
            s = state;
            start = startEpochNanos;
            end = endEpochNanos;
        }
        return new TaskStats(id, module.name(), s, type, TaskKind.NODE, scope, keyspace, table, entity,
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
                result.add(task.status());
                synchronized (task) {
                    if (task.liveChildren != null) {
                        queue.addAll(task.liveChildren);
                    }
                    if (task.foldedChildren != null) {
                        queue.addAll(task.foldedChildren);
                    }
                }
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
        TaskState s;
        List<TaskImpl> live;
        List<FoldedTask> folded;
        synchronized (this) {
            TaskProgress own = ownProgressLocked();
            if (own != null) {
                return own;
            }
            s = state;
            live = liveChildren == null ? List.of() : List.copyOf(liveChildren);
            folded = foldedChildren == null ? List.of() : List.copyOf(foldedChildren);
        }
        return childrenProgress(s, live, folded);
    }

    /** The task's own report, or null if it reports nothing itself. */
    private TaskProgress ownProgressLocked() {
        if ((progressFlags & REPORTS_OWN_PROGRESS) == 0) {
            return null;
        }
        return new TaskProgress(completed, (progressFlags & HAS_EXPECTED_TOTAL) != 0 ? expectedTotal : 0);
    }

    /** SPEC §8.2 for a task that reports nothing itself; called without holding the lock. */
    private TaskProgress childrenProgress(TaskState s, List<TaskImpl> live, List<FoldedTask> folded) {
        boolean hasExpected;
        double expected;
        synchronized (this) {
            hasExpected = (progressFlags & HAS_EXPECTED_TOTAL) != 0;
            expected = expectedTotal;
        }
        if (!s.isTerminal() && !hasExpected && live.isEmpty() && folded.isEmpty()) {
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
        double total = s.isTerminal() || !hasExpected ? sumTotal : expected;
        return new TaskProgress(sumCompleted, total);
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
        if (begin(null)) {
            module.manager().listeners().started(this);
        }
    }

    /**
     * Moves {@code created -> running}, or fails the task at once if it was aborted before starting.
     *
     * @param runner the thread to interrupt on abort if the body opted in, or null
     * @return whether the task is now running
     * @throws IllegalStateException if the task was already started
     */
    boolean begin(Thread runner) {
        synchronized (this) {
            if (state != TaskState.CREATED) {
                throw new IllegalStateException("task with id " + id + " was already started (state "
                        + state.wireName() + ")");
            }
            if (!abortRequested) {
                startEpochNanos = module.manager().wallNow();
                state = TaskState.RUNNING;
                return true;
            }
            finishLocked(false, null);
        }
        afterFinish();
        return false;
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

    /** Completes the task once; returns false if it had already completed. */
    boolean finish(boolean success, String failure) {
        synchronized (this) {
            if (state.isTerminal()) {
                return false;
            }
            finishLocked(success, failure);
        }
        afterFinish();
        return true;
    }

    /** Sets end time, outcome and error; a success after an abort request becomes an abort failure. */
    private void finishLocked(boolean success, String failure) {
        long now = module.manager().wallNow();
        if (startEpochNanos == EpochNanos.UNSET) {
            startEpochNanos = now;
        }
        endEpochNanos = now;
        if (abortRequested) {
            success = false;
            failure = Errors.render(new TaskAbortedException(abortReason));
        }
        error = success ? null : failure;
        abortCallbacks = null;
        interruptOnAbort = null;
        state = success ? TaskState.DONE : TaskState.FAILED;
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
                LOG.log(System.Logger.Level.WARNING, "Cannot fold task {0} into parent {1}: the parent is "
                        + "no longer registered; keeping the task and its subtree unfolded", id, parent.id);
                return Fold.PARENT_GONE;
            }
            if (parent.foldedChildren == null) {
                parent.foldedChildren = new ArrayList<>(4);
            }
            parent.foldedChildren.add(record);
            parentFoldsNext = parent.parent != null && parent.liveChildren.isEmpty() && parent.state.isTerminal();
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

    private FoldedTask toRecord() {
        TaskProgress progress = currentProgress();
        synchronized (this) {
            return new FoldedTask(id, module.name(), type, state, isAbortable(), startEpochNanos,
                    endEpochNanos, error == null ? "" : error, parent == null ? null : parent.id,
                    sequenceNumber, shard, scope, keyspace, table, entity, progressUnits, progress,
                    isUserTask(), isInternal(), FoldedTask.failuresAmong(foldedChildren));
        }
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
                        + (state.isTerminal() ? "finished and " : "") + "left the registry");
            }
            if (liveChildren == null) {
                liveChildren = new LinkedHashSet<>(4);
            }
            liveChildren.add(child);
            return abortRequested;
        }
    }

    /** Marks the task as gone from the registry: it takes no more children. */
    void seal() {
        synchronized (this) {
            sealed = true;
        }
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
        synchronized (this) {
            return abortReason;
        }
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
     * Flags this task, then queues its live children. The flag is set under the lock that
     * {@link #attachChild} takes, so no child can slip in unseen. Callbacks run outside the lock.
     */
    private void abortOne(String reason, ArrayDeque<TaskImpl> pending) {
        List<Runnable> callbacks = null;
        synchronized (this) {
            if (abortRequested) {
                return;
            }
            if (!state.isTerminal()) {
                abortRequested = true;
                abortReason = reason;
                callbacks = abortCallbacks;
                abortCallbacks = null;
                if (interruptOnAbort != null) {
                    // Under the lock: finishing clears the field under the same lock, so a thread that
                    // has moved on to other work is never interrupted by mistake.
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
            if (!abortRequested) {
                if (!state.isTerminal()) {
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
            if (state.isTerminal()) {
                return;
            }
            interruptOnAbort = thread;
            if (abortRequested) {
                thread.interrupt();
            }
        }
    }

    /** Stops further interrupts of the body's thread; called when the body returns. */
    void stopInterrupting() {
        synchronized (this) {
            interruptOnAbort = null;
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
        if (state.isTerminal() && !future.isDone()) {
            future.complete(status());
        }
        return future.copy();
    }

    @Override
    public TaskStatus await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return done().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting on task " + id + " failed", e.getCause());
        }
    }

    @Override
    public String toString() {
        return "Task[" + id + ", " + module.name() + "/" + type + ", " + state.wireName() + "]";
    }
}
