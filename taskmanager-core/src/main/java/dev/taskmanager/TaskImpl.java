package dev.taskmanager;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The live task: state machine, abort flag, children, progress and waiters. Owned by the engine;
 * nothing outside it sees these fields, only {@link TaskStatus} and {@link TaskStats} snapshots.
 *
 * <p><b>State.</b> One volatile control word, {@link #ctl}, holds the lifecycle state and the abort
 * bit and changes only by compare-and-set, so starting and completing a task take no lock. The
 * fields a transition sets are published by the volatile write of the word: the start time is
 * written just before the CAS to {@code RUNNING}; end time, error and outcome are written in
 * {@code COMPLETING}, which only the CAS winner can reach, before the write that leaves it. Readers
 * read the word first and trust only the fields it covers. The creation stamp and sequence number
 * are written by {@link TaskLog#append} before the task is published anywhere.
 *
 * <p><b>Locking.</b> Children, own progress, abort callbacks, waiters and the interrupt target are
 * guarded by this object's monitor; a task's place among its siblings is guarded by its parent's.
 * The engine never holds two task monitors at once (a parent copies what it needs, releases its
 * lock, then touches its children), so there is no lock ordering to get wrong. Expiry links are
 * guarded by the expiry lane's lock, the log position by the log.
 */
final class TaskImpl implements TrackedTask, ResultTask<Object>, Progress {
    private static final System.Logger LOG = System.getLogger(TaskImpl.class.getName());
    private static final VarHandle CTL;
    private static final VarHandle SEALED;
    private static final VarHandle ABORT_REQUEST;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CTL = lookup.findVarHandle(TaskImpl.class, "ctl", int.class);
            SEALED = lookup.findVarHandle(TaskImpl.class, "sealed", boolean.class);
            ABORT_REQUEST = lookup.findVarHandle(TaskImpl.class, "abortRequest", AbortRequest.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The control word: a lifecycle state in the low bits, plus the ABORT bit. Legal transitions:
    //   CREATED -> RUNNING -> COMPLETING -> DONE | FAILED
    //   CREATED -> COMPLETING -> DONE | FAILED   (aborted before start, or finished without starting)
    // COMPLETING is owned by the thread whose CAS entered it; readers see it as running. ABORT is
    // set at most once, and never once COMPLETING is reached, so leaving COMPLETING is a plain
    // volatile write. DONE and FAILED are final. ENDED_UNSTARTED marks a tracked task that an abort
    // ended before it started: its owner's later start() is then a no-op, not an error.
    private static final int CREATED = 0;
    private static final int RUNNING = 1;
    private static final int COMPLETING = 2;
    private static final int DONE_STATE = 3;
    private static final int FAILED_STATE = 4;
    private static final int STATE_MASK = 7;
    private static final int ABORT = 8;
    private static final int ENDED_UNSTARTED = 16;

    private static final byte ABORTABLE = 1;
    private static final byte USER_TASK = 2;
    private static final byte INTERNAL = 4;
    private static final byte MANAGED = 8;
    private static final byte CLUSTER = 16;
    static final long NO_DEADLINE = Long.MIN_VALUE;
    /** The waiter list of a task that released its waiters: later waiters are answered at once. */
    private static final Waiter<?> RELEASED = new Waiter.OfStatus(null);

    final UUID id;
    final TaskModule module;
    final TaskImpl parent;
    /**
     * The parent when it is a cluster task this task manager does not hold (SPEC §11: a cluster
     * operation's child on another node than its coordinator); null otherwise.
     */
    final UUID clusterParentId;
    final String type;
    final String scope;
    final String keyspace;
    final String table;
    final String entity;
    final String progressUnits;
    final int shard;
    private final byte flags;
    final Map<String, String> labels;
    /** Null unless the task has a stall threshold or a deadline. */
    final Watch watch;

    /** Written by {@link TaskLog#append} before the task is published. */
    long sequenceNumber;
    long createdEpochNanos;
    /** Where the task sits in its module's log; written by the log, cleared when it leaves. */
    TaskLog.Chunk logChunk;
    int logSlot;

    private volatile int ctl = CREATED;
    /** The first abort request; written before the ABORT bit is set, so whoever sees the bit sees it. */
    private volatile AbortRequest abortRequest;
    private long startEpochNanos = EpochNanos.UNSET; // published by the CAS to RUNNING
    private long endEpochNanos = EpochNanos.UNSET;   // published by leaving COMPLETING
    private String error;                            // published by leaving COMPLETING
    /** The result value when done, the failure when failed; published by leaving COMPLETING. */
    private Object outcome;

    private ProgressMeter meter;
    private TaskImpl firstChild;
    private TaskImpl lastChild;
    private int liveChildCount;
    /** Neighbours among the parent's live children; guarded by the parent's monitor. */
    private TaskImpl prevSibling;
    private TaskImpl nextSibling;
    private ArrayList<FoldedTask> foldedChildren;
    private ArrayList<Runnable> abortCallbacks;
    private Thread interruptOnAbort;
    /** Head of the waiters' list; {@link #RELEASED} once released. Written under the monitor. */
    private volatile Waiter<?> waiters;

    /**
     * Set once the task takes no more children: when it folds (under the monitor, so a child attaching
     * concurrently either gets in first or is refused) or leaves the registry (a child that slips in
     * then cannot fold later and is kept as an orphan, SPEC §7.4).
     */
    private volatile boolean sealed;
    /** Set by the folding thread once this task is a record in its parent; spares leftRegistry() its work. */
    private boolean folded;
    /** The monotonic instant after which a retained task expires, or {@link #NO_DEADLINE}. */
    volatile long deadline = NO_DEADLINE;
    /** The expiry lane this task waits in, and its neighbours there; guarded by the lane's lock. */
    Expiry.Lane expiryLane;
    TaskImpl expiryPrev;
    TaskImpl expiryNext;

    TaskImpl(UUID id, TaskModule module, TaskImpl parent, UUID clusterParentId, String type, String scope,
             String keyspace, String table, String entity, String progressUnits, int shard, boolean abortable,
             boolean userTask, boolean internal, boolean managed, boolean cluster, Map<String, String> labels,
             Watch watch) {
        this.id = id;
        this.module = module;
        this.parent = parent;
        this.clusterParentId = clusterParentId;
        this.type = type;
        this.scope = scope;
        this.keyspace = keyspace;
        this.table = table;
        this.entity = entity;
        this.progressUnits = progressUnits;
        this.shard = shard;
        this.flags = (byte) ((abortable ? ABORTABLE : 0) | (userTask ? USER_TASK : 0) | (internal ? INTERNAL : 0)
                | (managed ? MANAGED : 0) | (cluster ? CLUSTER : 0));
        this.labels = labels;
        this.watch = watch;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String module() {
        return module.name();
    }

    @Override
    public TaskState state() {
        return publicState(ctl);
    }

    int ctl() {
        return ctl;
    }

    static TaskState publicState(int ctl) {
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

    /** Whether this is a cluster-kind task (SPEC §11): sequence number 0, shard 0, no parent. */
    boolean isCluster() {
        return (flags & CLUSTER) != 0;
    }

    @Override
    public TaskKind kind() {
        return isCluster() ? TaskKind.CLUSTER : TaskKind.NODE;
    }

    /** The parent's id: the registered parent's, a remote cluster parent's, or null for a root. */
    UUID parentId() {
        return parent != null ? parent.id : clusterParentId;
    }

    @Override
    public boolean isAbortRequested() {
        return (ctl & ABORT) != 0;
    }

    /** The abort request, if the ABORT bit is set in {@code c}. */
    AbortRequest abortRequestIn(int c) {
        return (c & ABORT) != 0 ? abortRequest : null;
    }

    /** Whether the task is running and stalled. */
    boolean isStalled(int c) {
        return watch != null && (c & STATE_MASK) == RUNNING && watch.isStalled();
    }

    Instant deadlineInstant() {
        return watch == null || watch.deadlineNanos == 0 ? null
                : EpochNanos.toInstant(createdEpochNanos + watch.deadlineNanos);
    }

    @Override
    public Instant startTime() {
        return EpochNanos.toInstant(startIn(ctl));
    }

    @Override
    public Instant endTime() {
        return EpochNanos.toInstant(endIn(ctl));
    }

    /** Start time if started in {@code c}, else unset. */
    long startIn(int c) {
        return hasStarted(c) ? startEpochNanos : EpochNanos.UNSET;
    }

    /** End time if complete in {@code c}, else unset. */
    long endIn(int c) {
        return isComplete(c) ? endEpochNanos : EpochNanos.UNSET;
    }

    @Override
    public Optional<Throwable> failure() {
        int c = ctl;
        return (c & STATE_MASK) == FAILED_STATE ? Optional.of((Throwable) outcome) : Optional.empty();
    }

    /** The body's return value; meaningful once the task is done. */
    Object resultValue() {
        return outcome;
    }

    @Override
    public TaskStatus status() {
        SnapshotTime time = new SnapshotTime(module.manager());
        return status(ctl, family(time), time);
    }

    /** The snapshot of this task in state {@code c}, with children and progress from {@code family}. */
    private TaskStatus status(int c, Family family, SnapshotTime time) {
        TaskState s = publicState(c);
        Reading reading = family.read(this, c, s, time);
        long end = endIn(c);
        String err = isComplete(c) ? error : null;
        List<UUID> children = new ArrayList<>(family.live.length + family.folded.size());
        for (TaskImpl child : family.live) {
            children.add(child.id);
        }
        for (FoldedTask child : family.folded) {
            children.add(child.id());
        }
        TaskProgress progress = new TaskProgress(reading.completed, reading.total);
        Double rate = s.isTerminal() || Double.isNaN(reading.rate) ? null : reading.rate;
        return new TaskStatus(id, module.name(), type, kind(), scope, s, isAbortable(),
                EpochNanos.toInstant(startIn(c)), EpochNanos.toInstant(end), err == null ? "" : err,
                parentId(), sequenceNumber, shard, keyspace, table, entity,
                progressUnits, progress, children, isUserTask(), isInternal(),
                EpochNanos.toInstant(createdEpochNanos), EpochNanos.toInstant(reading.updated(time, createdEpochNanos)),
                abortRequestIn(c), rate, eta(progress, rate), isStalled(c), deadlineInstant(), labels);
    }

    /**
     * The time left at {@code rate} to reach the total, to the millisecond; null when it cannot be told
     * or exceeds a century.
     */
    static Duration eta(TaskProgress progress, Double rate) {
        if (rate == null || rate <= 0 || progress.total() <= 0) {
            return null;
        }
        double seconds = Math.max(0, progress.total() - progress.completed()) / rate;
        if (!(seconds <= 100 * 365.25 * 86_400)) {
            return null;
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    @Override
    public TaskStats stats() {
        int c = ctl;
        return new TaskStats(id, module.name(), publicState(c), type, kind(), scope, keyspace, table, entity,
                sequenceNumber, shard, EpochNanos.toInstant(startIn(c)), EpochNanos.toInstant(endIn(c)),
                EpochNanos.toInstant(createdEpochNanos), parentId(), isUserTask(),
                isInternal(), abortRequestIn(c), isStalled(c), deadlineInstant(), labels);
    }

    @Override
    public List<TaskStatus> statusRecursive() {
        List<TaskStatus> result = new ArrayList<>();
        StatusTree tree = new StatusTree(this);
        while (tree.hasNext()) {
            result.add(tree.next());
        }
        return result;
    }

    @Override
    public Stream<TaskStatus> statusTree() {
        Spliterator<TaskStatus> spliterator = Spliterators.spliteratorUnknownSize(new StatusTree(this),
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false);
    }

    /**
     * The task and its descendants breadth-first, one snapshot at a time (SPEC §12.1): the queue
     * holds the frontier only (the children of the level being read), never the statuses.
     */
    private static final class StatusTree implements java.util.Iterator<TaskStatus> {
        private final ArrayDeque<Object> queue = new ArrayDeque<>();

        StatusTree(TaskImpl root) {
            queue.add(root);
        }

        @Override
        public boolean hasNext() {
            return !queue.isEmpty();
        }

        @Override
        public TaskStatus next() {
            Object next = queue.poll();
            if (next == null) {
                throw new java.util.NoSuchElementException();
            }
            if (next instanceof TaskImpl) {
                TaskImpl task = (TaskImpl) next;
                SnapshotTime time = new SnapshotTime(task.module.manager());
                Family family = task.family(time);
                queue.addAll(Arrays.asList(family.live));
                queue.addAll(family.folded);
                return task.status(task.ctl, family, time);
            }
            FoldedTask record = (FoldedTask) next;
            queue.addAll(record.failedChildren());
            return record.toStatus();
        }
    }

    /** Progress now (SPEC §8.2): the task's own report if it made one, else its children's sum. */
    private Reading reading(SnapshotTime time) {
        int c = ctl;
        return family(time).read(this, c, publicState(c), time);
    }

    /**
     * A consistent copy of the children and own-progress fields, taken under the monitor. A task that
     * never had children or progress (most leaves, every task polled before its work begins) is read
     * without the monitor, so pollers never contend: a stale peek shows the task as it was an
     * instant ago, and anything non-null takes the lock. {@code time} is read first when the task
     * has a meter, for its rate; it may be null when no rate is wanted.
     */
    private Family family(SnapshotTime time) {
        if (firstChild == null && foldedChildren == null && meter == null) {
            return Family.NONE;
        }
        long now = time != null && meter != null ? time.tick() : 0;
        synchronized (this) {
            TaskImpl[] live = new TaskImpl[liveChildCount];
            int i = 0;
            for (TaskImpl child = firstChild; child != null; child = child.nextSibling) {
                live[i++] = child;
            }
            List<FoldedTask> folded = foldedChildren == null ? List.of() : List.copyOf(foldedChildren);
            ProgressMeter m = meter;
            if (m == null) {
                return new Family(live, folded, false, false, 0, 0, false, 0, Double.NaN);
            }
            return new Family(live, folded, m.reportsOwn, m.hasExpected, m.completed, m.expectedTotal, true,
                    m.lastChangeTick, time != null ? m.rate(now) : Double.NaN);
        }
    }

    /** Children and own-progress fields of one task, copied together. */
    private static final class Family {
        static final Family NONE = new Family(new TaskImpl[0], List.of(), false, false, 0, 0, false, 0, Double.NaN);

        final TaskImpl[] live;
        final List<FoldedTask> folded;
        private final boolean reportsOwn;
        private final boolean hasExpected;
        private final double completed;
        private final double expectedTotal;
        private final boolean changed;
        private final long lastChangeTick;
        private final double rate;

        Family(TaskImpl[] live, List<FoldedTask> folded, boolean reportsOwn, boolean hasExpected, double completed,
               double expectedTotal, boolean changed, long lastChangeTick, double rate) {
            this.live = live;
            this.folded = folded;
            this.reportsOwn = reportsOwn;
            this.hasExpected = hasExpected;
            this.completed = completed;
            this.expectedTotal = expectedTotal;
            this.changed = changed;
            this.lastChangeTick = lastChangeTick;
            this.rate = rate;
        }

        /**
         * SPEC §8.2: the task's own report if it made one (total 0 if it declared none); otherwise,
         * complete, the sum over its children; running, {@code 0/0} with no expected total and no
         * children, else the children's completed sum against the expected total if declared, or
         * the children's total. The rate is the task's own, or the sum of its live children's; the
         * last change spans the task's states, its own reports and, when its progress comes from its
         * children, theirs.
         */
        Reading read(TaskImpl task, int c, TaskState state, SnapshotTime time) {
            Reading r = new Reading();
            r.wall = Math.max(task.createdEpochNanos, Math.max(task.startIn(c), task.endIn(c)));
            if (changed && !state.isTerminal()) {
                // an ended task's own reports all came before its end (later ones are ignored), which
                // r.wall holds: its updated time is fixed, not re-derived from the clocks as they are now
                r.tick(lastChangeTick);
            }
            if (reportsOwn) {
                r.completed = completed;
                r.total = hasExpected ? expectedTotal : 0;
                r.rate = rate;
                return r;
            }
            if (!state.isTerminal() && !hasExpected && live.length == 0 && folded.isEmpty()) {
                return r;
            }
            double sumCompleted = 0;
            double sumTotal = 0;
            double sumRate = 0;
            boolean rateKnown = false;
            for (TaskImpl child : live) {
                Reading p = child.reading(time);
                sumCompleted += p.completed;
                sumTotal += p.total;
                if (!Double.isNaN(p.rate) && !child.state().isTerminal()) {
                    sumRate += p.rate;
                    rateKnown = true;
                }
                r.wall = Math.max(r.wall, p.wall);
                if (p.ticked) {
                    r.tick(p.lastTick);
                }
            }
            for (FoldedTask child : folded) {
                sumCompleted += child.progress().completed();
                sumTotal += child.progress().total();
                r.wall = Math.max(r.wall, child.endEpochNanos());
            }
            r.completed = sumCompleted;
            r.total = state.isTerminal() || !hasExpected ? sumTotal : expectedTotal;
            r.rate = rateKnown ? sumRate : Double.NaN;
            return r;
        }
    }

    /** A task's progress reading, being built. */
    private static final class Reading {
        double completed;
        double total;
        double rate = Double.NaN;
        /** The latest state change seen, epoch nanos. */
        long wall = EpochNanos.UNSET;
        /** The latest progress change seen, on the ticker. */
        boolean ticked;
        long lastTick;

        void tick(long tick) {
            if (!ticked || tick - lastTick > 0) {
                lastTick = tick;
                ticked = true;
            }
        }

        /** The latest change as a wall-clock time, never before {@code created}. */
        long updated(SnapshotTime time, long created) {
            long latest = Math.max(wall, created);
            return ticked ? Math.max(latest, time.wallAt(lastTick)) : latest;
        }
    }

    // ---------------------------------------------------------------- progress

    @Override
    public void add(double delta) {
        TaskProgress.requireFiniteNonNegative("progress delta", delta);
        long now = module.manager().tickNow();
        synchronized (this) {
            if (hasEnded()) {
                return;
            }
            meter().add(delta, now);
        }
        progressed(now);
    }

    @Override
    public void set(double completed, double total) {
        TaskProgress.requireFiniteNonNegative("completed", completed);
        TaskProgress.requireFiniteNonNegative("total", total);
        long now = module.manager().tickNow();
        synchronized (this) {
            if (hasEnded()) {
                return;
            }
            meter().set(completed, total, now);
        }
        progressed(now);
    }

    @Override
    public void expectTotal(double total) {
        TaskProgress.requireFiniteNonNegative("expected total", total);
        long now = module.manager().tickNow();
        synchronized (this) {
            if (hasEnded()) {
                return;
            }
            meter().expectTotal(total, now);
        }
        progressed(now);
    }

    /**
     * Whether the task has ended (or is ending): its own progress is final from then on, so a report
     * that comes later is ignored and its final snapshot, built now or later, stays the same.
     */
    private boolean hasEnded() {
        return (ctl & STATE_MASK) >= COMPLETING;
    }

    private ProgressMeter meter() {
        if (meter == null) {
            meter = new ProgressMeter();
        }
        return meter;
    }

    private void progressed(long now) {
        touchWatches(this, now);
        module.manager().listeners().progress(this);
    }

    @Override
    public Progress progress() {
        return this;
    }

    /**
     * Records a change at {@code now} for {@code from} and its ancestors that watch for stalls: a
     * child's progress is its parent's progress. A stalled task that changes recovers.
     */
    private static void touchWatches(TaskImpl from, long now) {
        for (TaskImpl t = from; t != null; t = t.parent) {
            Watch w = t.watch;
            if (w != null) {
                TaskImpl task = t;
                w.changed(now, () -> task.module.manager().listeners().recovered(task));
            }
        }
    }

    /** As {@link #touchWatches(TaskImpl, long)} for a state change, reading the ticker only if someone watches. */
    private void stateChanged() {
        for (TaskImpl t = this; t != null; t = t.parent) {
            if (t.watch != null) {
                touchWatches(this, module.manager().tickNow());
                return;
            }
        }
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
        // Never before the creation stamp, which the log may have raised by a few nanoseconds.
        long now = Math.max(module.manager().wallNow(), createdEpochNanos);
        for (;;) {
            int c = ctl;
            if ((c & STATE_MASK) != CREATED) {
                if ((c & ENDED_UNSTARTED) != 0) {
                    return false; // an abort ended it before its owner got to start it
                }
                throw new IllegalStateException("task with id " + id + " was already started (state "
                        + publicState(c).wireName() + ")");
            }
            if ((c & ABORT) != 0) {
                if (CTL.compareAndSet(this, c, COMPLETING | ABORT)) {
                    completeAs(false, null, ABORT, false);
                    return false;
                }
            } else {
                // Written before the CAS that publishes it. Only a second, concurrent start (a
                // programming error, answered with an exception) could overwrite it, by nanoseconds.
                startEpochNanos = now;
                if (CTL.compareAndSet(this, c, RUNNING)) {
                    if (watch != null) {
                        module.manager().watchStarted(this);
                    }
                    if (parent != null) {
                        parent.stateChanged();
                    }
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
        return finish(false, cause == null ? new TaskFailedException("failed") : cause);
    }

    @Override
    public boolean fail(String message) {
        return finish(false, new TaskFailedException(message == null || message.isBlank() ? "failed" : message));
    }

    /**
     * Completes the task once, done with {@code outcome} as its result or failed with it as the
     * failure; returns false if it had already completed (or is completing).
     */
    boolean finish(boolean success, Object outcome) {
        for (;;) {
            int c = ctl;
            int state = c & STATE_MASK;
            if (state >= COMPLETING) {
                return false;
            }
            if (CTL.compareAndSet(this, c, COMPLETING | (c & ABORT))) {
                completeAs(success, outcome, c & ABORT, state == RUNNING);
                return true;
            }
        }
    }

    /**
     * Runs in COMPLETING, owned by this thread: sets end time, outcome and error (a task that was asked
     * to abort fails with the abort error, SPEC §2.3 and §9.4, keeping the body's own exception as the
     * cause), publishes them by leaving COMPLETING, then does what follows completion. {@code started}
     * says whether the task left RUNNING (rather than CREATED), for the listeners.
     */
    private void completeAs(boolean success, Object outcome, int abortBit, boolean started) {
        long now = Math.max(module.manager().wallNow(), createdEpochNanos);
        if (startEpochNanos == EpochNanos.UNSET) {
            startEpochNanos = now;
        }
        now = Math.max(now, startEpochNanos);
        endEpochNanos = now;
        if (abortBit != 0) {
            success = false;
            outcome = new TaskAbortedException(abortRequest.reason(),
                    outcome instanceof Throwable && !(outcome instanceof TaskAbortedException) ? (Throwable) outcome : null);
        }
        if (!success && !(outcome instanceof Throwable)) {
            outcome = new TaskFailedException("failed");
        }
        this.outcome = outcome;
        this.error = success ? null : Errors.render((Throwable) outcome);
        // A release write publishes the fields above to whoever reads the word; no fence is needed
        // here, the CAS into COMPLETING was one (see link()).
        CTL.setRelease(this, (success ? DONE_STATE : FAILED_STATE) | abortBit);
        if (abortCallbacks != null) { // racy peek: a callback list we miss only costs memory
            synchronized (this) {
                abortCallbacks = null;
            }
        }
        afterFinish(started);
    }

    /**
     * Ends a tracked task that an abort caught before it started (SPEC §15.3): nobody else
     * would, since only its owner starts it.
     */
    private void endUnstarted() {
        for (;;) {
            int c = ctl;
            if ((c & STATE_MASK) != CREATED) {
                return; // started meanwhile: it ends like any running aborted task
            }
            if (CTL.compareAndSet(this, c, COMPLETING | ABORT | ENDED_UNSTARTED)) {
                completeAs(false, null, ABORT | ENDED_UNSTARTED, false);
                return;
            }
        }
    }

    /**
     * Everything after the state change, in the order of SPEC §2.4: fold into the parent (or wait
     * for live children first), release the waiters, then start retention.
     */
    private void afterFinish(boolean started) {
        TaskManager manager = module.manager();
        if (watch != null) {
            manager.unwatch(this);
        }
        if (parent != null) {
            parent.stateChanged();
        }
        Fold fold = parent == null ? Fold.ROOT : foldIntoParent();
        TaskStatus last = null;
        if (waiters != null) {
            last = status();
            releaseWaiters(last);
        }
        manager.listeners().finished(this, started, last); // builds the snapshot only if a listener asks
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
            if (liveChildCount != 0) {
                return Fold.WAITING_FOR_CHILDREN;
            }
            SEALED.setRelease(this, true); // attachChild reads it under this lock
        }
        FoldedTask record = toRecord();
        boolean parentFoldsNext;
        TaskImpl p = parent;
        synchronized (p) {
            if (p.sealed || !p.unlinkChild(this)) {
                // Expected while a module stops (everything leaves at once); worth a warning otherwise.
                LOG.log(module.isStopped() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                        "Cannot fold task {0} into parent {1}: the parent is no longer registered; keeping "
                        + "the task and its subtree unfolded", id, p.id);
                return Fold.PARENT_GONE;
            }
            if (p.foldedChildren == null) {
                p.foldedChildren = new ArrayList<>(4);
            }
            p.foldedChildren.add(record);
            parentFoldsNext = p.parent != null && p.liveChildCount == 0 && isComplete(p.ctl);
        }
        folded = true;
        module.manager().unregister(this);
        if (parentFoldsNext) {
            p.lastChildFolded();
        }
        return Fold.FOLDED;
    }

    /**
     * Called when this task left the registry other than by folding (drain, a seed-mode read, an
     * explicit unregister): a finished child that was still waiting for its own children to fold
     * leaves its parent's live children as a folded record now, so the parent does not wait for it
     * forever. Its own live children become orphans (SPEC §7.4).
     */
    void leftRegistry() {
        TaskImpl p = parent;
        if (p == null || folded || !isComplete(ctl)) {
            return;
        }
        FoldedTask record = toRecord();
        boolean parentFoldsNext;
        synchronized (p) {
            if (p.sealed || !p.unlinkChild(this)) {
                return; // already folded, or the parent is gone too
            }
            if (p.foldedChildren == null) {
                p.foldedChildren = new ArrayList<>(4);
            }
            p.foldedChildren.add(record);
            parentFoldsNext = p.parent != null && p.liveChildCount == 0 && isComplete(p.ctl);
        }
        if (parentFoldsNext) {
            p.lastChildFolded();
        }
    }

    /** A finished child that was waiting for its own children folds now, or is kept if it cannot. */
    private void lastChildFolded() {
        if (foldIntoParent() == Fold.PARENT_GONE) {
            module.manager().retain(this, true);
        }
    }

    /** The record this finished task leaves in its parent; its start, end and error are published. */
    private FoldedTask toRecord() {
        int c = ctl;
        Family family = family(null);
        TaskState state = publicState(c);
        TaskProgress progress = TaskProgress.NONE; // a leaf that reported nothing, the common case
        if (family != Family.NONE) {
            Reading reading = family.read(this, c, state, null);
            progress = new TaskProgress(reading.completed, reading.total);
        }
        return new FoldedTask(id, module.name(), type, state, isAbortable(), startEpochNanos, endEpochNanos,
                error == null ? "" : error, parent == null ? null : parent.id, sequenceNumber, shard, scope,
                keyspace, table, entity, progressUnits, progress, isUserTask(), isInternal(), createdEpochNanos,
                abortRequestIn(c), labels,
                FoldedTask.failuresAmong(family.folded));
    }

    // ---------------------------------------------------------------- children

    /**
     * Adds a new child to the live children. Runs under this task's lock, as do the abort flag's
     * check and sealing, so a child registering concurrently with an abort is always caught (SPEC
     * §9.3) and no child attaches to a task that has folded or left the registry.
     *
     * @throws IllegalArgumentException if this task takes no more children
     * @return this task's abort request if it was already asked to abort, so the child must be
     *         aborted too; else null
     */
    AbortRequest attachChild(TaskImpl child) {
        synchronized (this) {
            if (sealed) {
                throw new IllegalArgumentException("parent task with id " + id + " not found: it has "
                        + (isComplete(ctl) ? "finished and " : "") + "left the registry");
            }
            child.prevSibling = lastChild;
            child.nextSibling = null;
            if (lastChild == null) {
                firstChild = child;
            } else {
                lastChild.nextSibling = child;
            }
            lastChild = child;
            liveChildCount++;
            return abortRequestIn(ctl);
        }
    }

    /** Unlinks a child from the live children; under this task's lock. False if it was not there. */
    private boolean unlinkChild(TaskImpl child) {
        if (child.prevSibling == null ? firstChild != child : child.prevSibling.nextSibling != child) {
            return false;
        }
        if (child.prevSibling == null) {
            firstChild = child.nextSibling;
        } else {
            child.prevSibling.nextSibling = child.nextSibling;
        }
        if (child.nextSibling == null) {
            lastChild = child.prevSibling;
        } else {
            child.nextSibling.prevSibling = child.prevSibling;
        }
        child.prevSibling = null;
        child.nextSibling = null;
        liveChildCount--;
        return true;
    }

    /** Marks the task as gone from the registry: it takes no more children. */
    void seal() {
        if (!sealed) {
            SEALED.setRelease(this, true);
        }
    }

    /** The live children and folded records, for consistency checks; weakly consistent. */
    synchronized List<Object> childrenForCheck() {
        List<Object> all = new ArrayList<>();
        int counted = 0;
        for (TaskImpl child = firstChild; child != null; child = child.nextSibling) {
            all.add(child);
            counted++;
        }
        if (counted != liveChildCount) {
            throw new IllegalStateException("task " + this + " counts " + liveChildCount + " live children but links "
                    + counted);
        }
        if (foldedChildren != null) {
            all.addAll(foldedChildren);
        }
        return all;
    }

    /** Removes a child that failed to register after it was attached. */
    void detachChild(TaskImpl child) {
        synchronized (this) {
            unlinkChild(child);
        }
    }

    /** Snapshot of the live children, in the order they attached; weakly consistent. */
    List<TaskImpl> liveChildren() {
        synchronized (this) {
            List<TaskImpl> children = new ArrayList<>(liveChildCount);
            for (TaskImpl child = firstChild; child != null; child = child.nextSibling) {
                children.add(child);
            }
            return children;
        }
    }

    /** The direct children that ended failed (aborted ones included): live ones first, then folded. */
    List<TaskStatus> failedChildren() {
        Family family = family(null);
        List<TaskStatus> failed = new ArrayList<>();
        for (TaskImpl child : family.live) {
            if (child.state() == TaskState.FAILED) {
                failed.add(child.status());
            }
        }
        for (FoldedTask child : family.folded) {
            if (child.state() == TaskState.FAILED) {
                failed.add(child.toStatus());
            }
        }
        return failed;
    }

    /** How many direct children the task has, live and folded. */
    int childCount() {
        synchronized (this) {
            return liveChildCount + (foldedChildren == null ? 0 : foldedChildren.size());
        }
    }

    @Override
    public TaskBuilder child(String type) {
        return module.task(type).parent(this);
    }

    // ---------------------------------------------------------------- abort

    @Override
    public void abort(String reason, String requestedBy) {
        abort(new AbortRequest(reason, requestedBy, EpochNanos.toInstant(module.manager().wallNow())));
    }

    /** Aborts this task and its registered descendants with {@code request} (SPEC §9.3). */
    void abort(AbortRequest request) {
        ArrayDeque<TaskImpl> pending = new ArrayDeque<>();
        pending.add(this);
        while (!pending.isEmpty()) {
            pending.poll().abortOne(request, pending);
        }
    }

    /**
     * Flags this task, then queues its live children. The flag is set before taking the lock that
     * {@link #attachChild} holds while it adds a child and reads the flag, so every child either sees
     * the flag or is seen here. Callbacks and listeners run outside the lock. A tracked task that
     * had not started ends here: nobody else would end it (SPEC §15.3).
     */
    private void abortOne(AbortRequest request, ArrayDeque<TaskImpl> pending) {
        boolean flagged = false;
        boolean endNow = false;
        for (;;) {
            int c = ctl;
            if ((c & ABORT) != 0) {
                return; // already aborted: its children were (or will be, at attach) aborted too
            }
            if ((c & STATE_MASK) >= COMPLETING) {
                break; // complete: nothing to flag, but children it left running still get the abort
            }
            ABORT_REQUEST.compareAndSet(this, (AbortRequest) null, request);
            if (CTL.compareAndSet(this, c, c | ABORT)) {
                flagged = true;
                endNow = (c & STATE_MASK) == CREATED && (flags & MANAGED) == 0;
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
            for (TaskImpl child = firstChild; child != null; child = child.nextSibling) {
                pending.add(child);
            }
        }
        if (flagged) {
            module.manager().listeners().abortRequested(this, abortRequest);
        }
        if (callbacks != null) {
            for (Runnable callback : callbacks) {
                runAbortCallback(callback);
            }
        }
        if (endNow) {
            endUnstarted();
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

    /** The reason of the abort request, for the exception a body sees. */
    String abortReason() {
        AbortRequest request = abortRequest;
        return request == null ? null : request.reason();
    }

    // ---------------------------------------------------------------- waiting

    @Override
    public CompletableFuture<TaskStatus> done() {
        Waiter.OfStatus waiter = new Waiter.OfStatus(this);
        link(waiter);
        return waiter;
    }

    @Override
    public CompletableFuture<Object> result() {
        Waiter.OfResult waiter = new Waiter.OfResult(this);
        link(waiter);
        return waiter;
    }

    /**
     * Links a waiter until the task completes; answers it at once if the waiters were released.
     * The waiter list is written (volatile) before the state is read again, and completion enters
     * {@code COMPLETING} by a compare-and-set before it reads the list, so a waiter that links just
     * as the task completes is seen by the completion or sees it; in the second case it waits the
     * few instructions until the final state is published and releases the waiters itself.
     */
    private void link(Waiter<?> waiter) {
        boolean released;
        synchronized (this) {
            Waiter<?> head = waiters;
            released = head == RELEASED;
            if (!released) {
                waiter.next = head;
                if (head != null) {
                    head.prev = waiter;
                }
                waiter.linked = true;
                waiters = waiter;
            }
        }
        if (released) {
            waiter.deliver(status());
        } else if ((ctl & STATE_MASK) >= COMPLETING) {
            while (!isComplete(ctl)) {
                Thread.onSpinWait(); // the completing thread is between its CAS and its release write
            }
            releaseWaiters(null);
        }
    }

    /** Unlinks a waiter its caller gave up on (or that was answered); a no-op if it is not linked. */
    void detach(Waiter<?> waiter) {
        if (!waiter.linked) {
            return;
        }
        synchronized (this) {
            if (!waiter.linked) {
                return;
            }
            if (waiter.prev == null) {
                waiters = waiter.next;
            } else {
                waiter.prev.next = waiter.next;
            }
            if (waiter.next != null) {
                waiter.next.prev = waiter.prev;
            }
            waiter.prev = null;
            waiter.next = null;
            waiter.linked = false;
        }
    }

    /** Answers every linked waiter with the final status ({@code last}, or read now if null); once. */
    private void releaseWaiters(TaskStatus last) {
        Waiter<?> list;
        synchronized (this) {
            list = waiters;
            if (list == RELEASED) {
                return;
            }
            waiters = RELEASED;
            for (Waiter<?> w = list; w != null; w = w.next) {
                w.linked = false;
            }
        }
        if (list == null) {
            return;
        }
        TaskStatus status = last != null ? last : status();
        for (Waiter<?> w = list; w != null; ) {
            Waiter<?> next = w.next;
            w.prev = null;
            w.next = null;
            w.deliver(status);
            w = next;
        }
    }

    /** How many waiters are linked; for tests. */
    int waiterCount() {
        synchronized (this) {
            int count = 0;
            for (Waiter<?> w = waiters; w != null && w != RELEASED; w = w.next) {
                count++;
            }
            return count;
        }
    }

    @Override
    public TaskStatus await(Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<TaskStatus> future = done();
        try {
            return future.get(Durations.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting on task " + id + " failed", e.getCause());
        } finally {
            future.cancel(false); // a no-op if it completed; detaches it if it timed out or was interrupted
        }
    }

    @Override
    public String toString() {
        return "Task[" + id + ", " + module.name() + "/" + type + ", " + state().wireName() + "]";
    }
}
