package dev.taskmanager;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The registry of modules and their task trees (SPEC §1.1): the entry point of the library.
 *
 * <pre>{@code
 * TaskManager tm = TaskManager.builder().userTaskTtl(Duration.ofHours(1)).build();
 * Task backup = tm.module("backup").task("backup").scope("node").userTask().abortable()
 *         .start(ctx -> { ... ctx.progress().add(bytes); ctx.ensureNotAborted(); ... });
 * TaskStatus last = backup.done().get();
 * }</pre>
 *
 * <h2>Design note</h2>
 * <p><b>Registry.</b> Each shard is one {@link ConcurrentHashMap} from id to live task, holding the
 * tasks of every module: a lookup by id probes each shard. Each module also keeps, per shard, an
 * append-only log of its tasks in creation order ({@link TaskLog}), which stamps each task's
 * creation time so that the log is sorted by {@code (createdTime, id)}: listings walk only their
 * module's logs, and query pages seek into them. Registering a task is one log append and one map
 * insert; unregistering clears its log slot and removes it from the map.
 *
 * <p><b>Threading.</b> Managed bodies run on the {@linkplain Builder#executor executor}; everything
 * else runs on the caller's thread. Each live task guards its own fields with its monitor and no
 * code holds two task monitors at once. Abort sets the flag under the same lock that attaching a
 * child takes, then cascades, so a child registering concurrently is always aborted. Callbacks and
 * listeners run outside locks.
 *
 * <p><b>Folding.</b> When a child with a parent completes and has no live children of its own, it
 * replaces itself in the parent with an immutable {@link FoldedTask} record and leaves the registry;
 * a finished parent whose last live child just folded folds in turn (SPEC §7).
 *
 * <p><b>Expiry.</b> A finished root is retained for its TTL: its deadline, on the monotonic
 * {@link Ticker}, goes into a FIFO lane per TTL value ({@link Expiry}), O(1) per task, with no timer
 * or thread per task. One housekeeping job on the scheduler expires due tasks in batches; lookups and
 * listings also treat a task past its deadline as gone, so expiry is exact to the tick as seen from
 * the API even between housekeeping runs. The same job checks the tasks that have a stall threshold
 * or a deadline ({@link Watch}).
 *
 * <p>Thread-safe. Close it to stop every module (with a bound) and release its threads.
 */
public final class TaskManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TaskManager.class.getName());
    private static final int INITIAL_SHARD_CAPACITY = 1024;

    private final ConcurrentHashMap<UUID, TaskImpl>[] shards;
    private final ConcurrentHashMap<String, TaskModule> modules = new ConcurrentHashMap<>();
    /** The injected wall clock, or null for the system clock read through {@link SystemWallClock}. */
    private final Clock clock;
    private final SystemWallClock systemWallClock = new SystemWallClock();
    private final Ticker ticker;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ScheduledFuture<?> housekeeping;
    private final boolean unregisterFinishedOnRead;
    private final Duration stopTimeout;
    private final Expiry expiry;
    private final Listeners listeners = new Listeners();
    /** Running tasks with a stall threshold and tasks with a deadline, checked by housekeeping. */
    private final Set<TaskImpl> watched = ConcurrentHashMap.newKeySet();
    private volatile long taskTtlNanos;
    private volatile long userTaskTtlNanos;
    private volatile boolean closed;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
    private TaskManager(Builder builder) {
        int shardCount = builder.shards != null ? builder.shards : 1;
        this.shards = new ConcurrentHashMap[shardCount];
        for (int i = 0; i < shardCount; i++) {
            // Pre-sized: a default 16-slot table fits in one cache line, which every thread creating or
            // finishing a task would then write to, so even two threads would contend on it.
            shards[i] = new ConcurrentHashMap<>(INITIAL_SHARD_CAPACITY);
        }
        this.clock = builder.clock;
        this.ticker = builder.ticker != null ? builder.ticker : Ticker.SYSTEM;
        this.taskTtlNanos = ttlNanos("taskTtl", builder.taskTtl != null ? builder.taskTtl : Duration.ZERO);
        this.userTaskTtlNanos = ttlNanos("userTaskTtl",
                builder.userTaskTtl != null ? builder.userTaskTtl : Duration.ofHours(1));
        this.unregisterFinishedOnRead = Boolean.TRUE.equals(builder.unregisterFinishedOnRead);
        this.stopTimeout = builder.stopTimeout != null ? builder.stopTimeout : Duration.ofSeconds(10);
        this.expiry = new Expiry(ticker);
        if (builder.executor != null) {
            this.executor = builder.executor;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Executors.newCachedThreadPool(daemonThreads("taskmanager-worker-"));
            this.executor = ownedExecutor;
        }
        this.ownsScheduler = builder.scheduler == null;
        this.scheduler = ownsScheduler
                ? Executors.newSingleThreadScheduledExecutor(daemonThreads("taskmanager-housekeeping-"))
                : builder.scheduler;
        Duration interval = builder.housekeepingInterval != null ? builder.housekeepingInterval
                : Duration.ofMillis(250);
        this.housekeeping = interval.isZero() ? null : scheduler.scheduleWithFixedDelay(
                this::housekeepingRun, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- modules

    /**
     * The module with this name, registered on every shard if it does not exist yet.
     */
    public TaskModule module(String name) {
        ensureOpen();
        return modules.computeIfAbsent(validModuleName(name), n -> new TaskModule(n, this));
    }

    /**
     * Registers a fresh module under this name, replacing any existing one (SPEC §1.2). The old
     * module is stopped without waiting: its tasks are aborted and its finished tasks unregistered.
     */
    public TaskModule registerModule(String name) {
        ensureOpen();
        TaskModule fresh = new TaskModule(validModuleName(name), this);
        TaskModule old = modules.put(name, fresh);
        if (old != null) {
            old.stop(Duration.ZERO);
        }
        return fresh;
    }

    /** The module with this name, if registered. */
    public Optional<TaskModule> findModule(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(modules.get(name));
    }

    /** The names of the registered modules, sorted. */
    public List<String> moduleNames() {
        List<String> names = new ArrayList<>(modules.keySet());
        names.sort(null);
        return names;
    }

    void removeModule(TaskModule module) {
        modules.remove(module.name(), module);
    }

    private static String validModuleName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("module name must not be empty");
        }
        return name;
    }

    // ---------------------------------------------------------------- lookups

    /**
     * The task with this id: a registered task on any shard, or a cluster task from a module's
     * {@link ClusterTaskProvider}. Folded and unregistered tasks are not found. A cluster task
     * registered here (one this node coordinates, SPEC §11.2) is answered by its module's provider
     * when it has one and knows the task, since the provider also sees its parts on other nodes.
     */
    public Optional<Task> find(UUID id) {
        Optional<TaskImpl> local = findRegistered(id);
        if (local.isPresent()) {
            TaskImpl task = local.get();
            ClusterTaskProvider provider = task.isCluster() ? task.module.clusterTasks() : null;
            if (provider != null) {
                // a cluster operation coordinated here: its module's provider knows its parts elsewhere
                Optional<Task> view = provider.find(id);
                if (view.isPresent()) {
                    return view;
                }
            }
            return Optional.of(task);
        }
        for (TaskModule module : modules.values()) {
            ClusterTaskProvider provider = module.clusterTasks();
            if (provider != null) {
                Optional<Task> found = provider.find(id);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The status of the task with this id, as the compat API reads it: in seed mode
     * ({@link Builder#unregisterFinishedOnRead}) a finished task is unregistered by this read.
     */
    public Optional<TaskStatus> status(UUID id) {
        return find(id).map(task -> {
            TaskStatus status = task.status();
            unregisterIfSeedMode(task, status.state());
            return status;
        });
    }

    /**
     * The task and its descendants breadth-first, as the compat API reads them; in seed mode a finished
     * task is unregistered by this read.
     */
    public Optional<List<TaskStatus>> statusRecursive(UUID id) {
        return find(id).map(task -> {
            List<TaskStatus> statuses = task.statusRecursive();
            unregisterIfSeedMode(task, statuses.get(0).state());
            return statuses;
        });
    }

    /**
     * The task and its descendants breadth-first, as {@link #statusRecursive(UUID)} reads them, built
     * lazily as the stream is consumed (see {@link Task#statusTree()}): for rendering a huge tree as it
     * is read. In seed mode a finished task is unregistered by this read, once its own snapshot is
     * taken.
     */
    public Optional<Stream<TaskStatus>> statusTree(UUID id) {
        return find(id).map(task -> {
            java.util.Iterator<TaskStatus> statuses = task.statusTree().iterator();
            TaskStatus first = statuses.next();
            unregisterIfSeedMode(task, first.state());
            return Stream.concat(Stream.of(first), java.util.stream.StreamSupport.stream(
                    java.util.Spliterators.spliteratorUnknownSize(statuses,
                            java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL), false));
        });
    }

    private void unregisterIfSeedMode(Task task, TaskState state) {
        if (unregisterFinishedOnRead && state.isTerminal() && task instanceof TaskImpl) {
            unregister((TaskImpl) task);
        }
    }

    /**
     * Unregisters one finished task now, regardless of its TTL (the test API's {@code DELETE
     * test_task}; a one-task {@link TaskModule#drain()}). A running or created task is left alone:
     * it is still doing work that someone may wait for.
     *
     * @return whether a finished task with this id was registered and is now gone
     */
    public boolean unregister(UUID id) {
        Optional<TaskImpl> task = findRegistered(id);
        return task.isPresent() && task.get().state().isTerminal() && unregister(task.get());
    }

    Optional<TaskImpl> findRegistered(UUID id) {
        Objects.requireNonNull(id, "id");
        for (ConcurrentHashMap<UUID, TaskImpl> shard : shards) {
            TaskImpl task = shard.get(id);
            if (task != null) {
                if (task.deadline != TaskImpl.NO_DEADLINE && Expiry.isExpired(task, ticker.read())) {
                    unregister(task);
                    return Optional.empty();
                }
                return Optional.of(task);
            }
        }
        return Optional.empty();
    }

    /**
     * One page of the tasks of every module (or of the module the query names) that match
     * {@code query} (SPEC §22); see {@link TaskQuery} for the order and the paging
     * guarantee. Tasks of a module that was stopped and removed are not found by queries.
     */
    public TaskPage query(TaskQuery query) {
        return Queries.page(this, Objects.requireNonNull(query, "query"), modulesOf(query));
    }

    /** How many tasks match {@code query}, ignoring its cursor and limit; visits every candidate. */
    public long count(TaskQuery query) {
        return Queries.count(this, Objects.requireNonNull(query, "query"), modulesOf(query));
    }

    private Collection<TaskModule> modulesOf(TaskQuery query) {
        if (query.module() == null) {
            return new ArrayList<>(modules.values());
        }
        TaskModule module = modules.get(query.module());
        return module == null ? List.of() : List.of(module);
    }

    // ---------------------------------------------------------------- registry

    boolean register(TaskImpl task) {
        return shards[task.shard].putIfAbsent(task.id, task) == null;
    }

    /** Removes the task from the registry; returns false if it was not there. */
    boolean unregister(TaskImpl task) {
        if (!shards[task.shard].remove(task.id, task)) {
            return false;
        }
        task.module.logs()[task.shard].remove(task);
        if (task.expiryLane != null) { // racy peek; confirmed under the lane's lock
            expiry.unlink(task);
        }
        task.seal();
        task.leftRegistry();
        listeners.unregistered(task);
        return true;
    }

    /**
     * Starts retention of a finished task that did not fold (SPEC §6.1). An internal root, a task of a
     * stopped module, or a TTL of 0 leaves at once; otherwise the task waits for its deadline. An
     * orphan (a child whose parent is gone, SPEC §7.4) is kept for the TTL so its subtree is not lost.
     */
    void retain(TaskImpl task, boolean orphan) {
        long ttl = task.isUserTask() ? userTaskTtlNanos : taskTtlNanos;
        if ((task.isInternal() && !orphan) || ttl == 0 || task.module.isStopped() || closed) {
            unregister(task);
        } else {
            expiry.schedule(task, ttl);
        }
    }

    /**
     * Runs housekeeping now: unregisters every retained task past its TTL, acts on deadlines and
     * stalls, and releases the registry's emptied index chunks. The manager also does this
     * periodically on its scheduler; tests with a fake {@link Ticker} call it after advancing time.
     *
     * @return how many tasks expired
     */
    public int cleanUp() {
        int expired = expiry.expire(this::unregister);
        checkWatched();
        for (TaskModule module : modules.values()) {
            for (TaskLog log : module.logs()) {
                log.sweep();
            }
        }
        return expired;
    }

    /**
     * Aborts the watched tasks past their deadline and marks those that stalled (SPEC
     * §19–20); forgets the tasks that ended or have nothing left to check.
     */
    private void checkWatched() {
        if (watched.isEmpty()) {
            return;
        }
        long now = ticker.read();
        for (TaskImpl task : watched) {
            Watch watch = task.watch;
            if (task.state().isTerminal() || watch.isSpent()) {
                watched.remove(task);
                continue;
            }
            if (watch.deadlinePassed(now)) {
                task.abort(watch.deadlineReason(), "deadline");
            }
            if (task.state() == TaskState.RUNNING) {
                watch.checkStall(now, () -> listeners.stalled(task));
            }
        }
    }

    /** Starts watching a task with a deadline, from its creation. */
    void watch(TaskImpl task) {
        watched.add(task);
    }

    /** A watched task started: its stall clock starts now. */
    void watchStarted(TaskImpl task) {
        task.watch.lastChangeTick = ticker.read();
        if (task.watch.stallAfterNanos > 0) {
            watched.add(task);
        }
    }

    /** A watched task ended. */
    void unwatch(TaskImpl task) {
        watched.remove(task);
    }

    private void housekeepingRun() {
        try {
            cleanUp();
        } catch (Throwable t) {
            // A scheduled job that throws is silently never run again; keep housekeeping alive.
            LOG.log(System.Logger.Level.ERROR, "Task expiry failed; retrying on the next run", t);
        }
    }

    /**
     * Runs a managed task's body on the current (executor) thread; what it returns is the task's
     * result. An unexpected exception is logged once, at debug, with its stack trace.
     */
    void run(TaskImpl task, TaskFunction<?> body) {
        if (!task.begin()) {
            return;
        }
        listeners.started(task);
        Object result = null;
        Throwable failure = null;
        try {
            result = body.call(new ManagedContext(task));
        } catch (Throwable t) {
            failure = t;
        }
        task.stopInterrupting();
        Thread.interrupted(); // an abort's interrupt must not leak into the executor's next job
        if (failure != null && !(failure instanceof TaskFailedException) && !(failure instanceof TaskAbortedException)) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Task " + task.id + " (" + task.module.name() + "/" + task.type
                    + ") failed", failure);
        }
        task.finish(failure == null, failure == null ? result : failure);
        if (failure instanceof VirtualMachineError) {
            throw (VirtualMachineError) failure;
        }
    }

    /**
     * Checks the registry's invariants and throws {@link IllegalStateException} naming the first
     * violation: every task in exactly one shard, under its own id and shard; every registered child
     * of a registered parent in that parent's live children; no child listed twice; no finished child
     * left unfolded without a reason. Call it when the registry is quiescent; for tests.
     */
    void assertConsistent() {
        java.util.Map<UUID, TaskImpl> all = new java.util.HashMap<>();
        for (int i = 0; i < shards.length; i++) {
            for (java.util.Map.Entry<UUID, TaskImpl> entry : shards[i].entrySet()) {
                TaskImpl task = entry.getValue();
                check(entry.getKey().equals(task.id), "task " + task + " is registered under id " + entry.getKey());
                check(task.shard == i, "task " + task + " of shard " + task.shard + " sits in shard " + i);
                check(all.put(task.id, task) == null, "task " + task + " is registered in two shards");
            }
        }
        java.util.Set<TaskImpl> logged = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Set<TaskModule> everyModule = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        everyModule.addAll(modules.values());
        for (TaskImpl task : all.values()) {
            everyModule.add(task.module);
        }
        for (TaskModule module : everyModule) {
            TaskLog[] logs = module.logs();
            for (int i = 0; i < logs.length; i++) {
                String name = "log of module " + module.name() + " on shard " + i;
                logs[i].assertConsistent(name);
                for (TaskImpl task : logs[i].snapshotForCheck()) {
                    check(all.get(task.id) == task, name + " holds " + task + ", which is not registered");
                    check(task.module == module && task.shard == i, name + " holds " + task + " of another log");
                    check(logged.add(task), task + " is in two logs");
                }
            }
        }
        check(logged.size() == all.size(), "the logs hold " + logged.size() + " tasks, the registry "
                + all.size());
        for (TaskImpl task : all.values()) {
            check(task.expiryLane == null || task.state().isTerminal(), "running " + task + " waits for expiry");
            java.util.Set<UUID> seen = new java.util.HashSet<>();
            for (Object child : task.childrenForCheck()) {
                UUID childId = child instanceof TaskImpl ? ((TaskImpl) child).id : ((FoldedTask) child).id();
                check(seen.add(childId), "task " + task + " lists child " + childId + " twice");
                if (child instanceof TaskImpl) {
                    check(all.get(childId) == child, "live child " + child + " of " + task + " is not registered");
                }
            }
            TaskImpl parent = task.parent;
            if (parent != null && all.get(parent.id) == parent) {
                check(parent.liveChildren().contains(task),
                        "registered task " + task + " is missing from its parent's live children");
                check(!task.state().isTerminal() || !task.liveChildren().isEmpty(),
                        "finished task " + task + " has no live children yet was not folded");
            }
        }
    }

    private static void check(boolean condition, String violation) {
        if (!condition) {
            throw new IllegalStateException(violation);
        }
    }

    /** How many tasks are registered, across shards; for tests. */
    int registeredCount() {
        int count = 0;
        for (ConcurrentHashMap<UUID, TaskImpl> shard : shards) {
            count += shard.size();
        }
        return count;
    }

    // ---------------------------------------------------------------- configuration

    /** How long finished non-user root tasks are kept ({@code task_ttl}). */
    public Duration taskTtl() {
        return Duration.ofNanos(taskTtlNanos);
    }

    /**
     * Sets {@code task_ttl} for tasks that finish from now on; deadlines already set do not move.
     *
     * @return the previous value
     * @throws IllegalArgumentException if negative or too large to count in nanoseconds (~292 years)
     */
    public Duration setTaskTtl(Duration ttl) {
        long previous = taskTtlNanos;
        taskTtlNanos = ttlNanos("taskTtl", ttl);
        return Duration.ofNanos(previous);
    }

    /** How long finished user tasks are kept ({@code user_task_ttl}). */
    public Duration userTaskTtl() {
        return Duration.ofNanos(userTaskTtlNanos);
    }

    /**
     * Sets {@code user_task_ttl} for user tasks that finish from now on.
     *
     * @return the previous value
     * @throws IllegalArgumentException if negative or too large to count in nanoseconds
     */
    public Duration setUserTaskTtl(Duration ttl) {
        long previous = userTaskTtlNanos;
        userTaskTtlNanos = ttlNanos("userTaskTtl", ttl);
        return Duration.ofNanos(previous);
    }

    private static long ttlNanos(String name, Duration ttl) {
        Objects.requireNonNull(ttl, name);
        if (ttl.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + ttl);
        }
        try {
            return ttl.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " is too large, got " + ttl.getSeconds()
                    + " seconds; the maximum is " + Long.MAX_VALUE / 1_000_000_000L, e);
        }
    }

    /** The number of shards, fixed at build time. */
    public int shardCount() {
        return shards.length;
    }

    /** The bound that {@link #close()} and {@link TaskModule#stop()} wait for running tasks. */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** Adds a listener of task state changes; see {@link TaskListener}. */
    public void addListener(TaskListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener; returns false if it was not registered. */
    public boolean removeListener(TaskListener listener) {
        return listeners.remove(listener);
    }

    Listeners listeners() {
        return listeners;
    }

    Executor executor() {
        return executor;
    }

    long wallNow() {
        return clock != null ? EpochNanos.now(clock) : systemWallClock.epochNanos();
    }

    long tickNow() {
        return ticker.read();
    }

    /** How many tasks are queued for expiry; for tests and benchmarks. */
    int expiryQueued() {
        return expiry.queued();
    }

    // ---------------------------------------------------------------- health, for metrics

    /**
     * How many finished tasks are retained under a TTL (SPEC §6.1): finished roots (and orphans,
     * §7.4) registered until their deadline, including those past it that housekeeping has not removed
     * yet. Tasks removed at once (TTL 0, internal, folded) are never counted. Costs one short lock per
     * distinct TTL value in use; meant for metrics and monitoring, not for a hot path. A point-in-time
     * reading, weakly consistent with tasks finishing or expiring meanwhile.
     */
    public int retainedCount() {
        return expiry.queued();
    }

    /**
     * How long the most overdue retained task has been past its retention deadline, on the
     * {@linkplain Builder#ticker ticker}: {@link Duration#ZERO} when no retained task is past it.
     * Lookups and listings already hide a task past its deadline; this measures how far housekeeping
     * (every 250 ms by default, or {@link #cleanUp()}) is behind in actually removing it, so a value
     * that keeps growing means housekeeping is stuck or cannot keep up. Costs one short lock per
     * distinct TTL value in use.
     */
    public Duration expiryLag() {
        return Duration.ofNanos(expiry.maxOverdueNanos(ticker.read()));
    }

    /**
     * How many running tasks are stalled now (SPEC §19): marked by housekeeping and not yet recovered
     * or ended. Walks the tasks housekeeping watches (those with a stall threshold or a deadline), so
     * it costs in proportion to them; meant for metrics. Weakly consistent.
     */
    public int stalledCount() {
        int stalled = 0;
        for (TaskImpl task : watched) {
            if (task.watch.isStalled() && task.state() == TaskState.RUNNING) {
                stalled++;
            }
        }
        return stalled;
    }

    /** How many expiry lanes exist; for tests. */
    int expiryLanes() {
        return expiry.laneCount();
    }

    /** How many tasks housekeeping watches for stalls and deadlines; for tests. */
    int watchedCount() {
        return watched.size();
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the task manager is closed");
        }
    }

    /**
     * Stops every module (each with the {@linkplain Builder#stopTimeout stop timeout}), cuts pending
     * TTLs short and releases the threads the manager created. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TaskModule module : new ArrayList<>(modules.values())) {
            module.stop(stopTimeout);
        }
        if (housekeeping != null) {
            housekeeping.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Configures a {@link TaskManager}. Each setting may be given once: a repeated setting is
     * rejected, naming the value already given. Not thread-safe.
     */
    public static final class Builder {
        private Integer shards;
        private Duration taskTtl;
        private Duration userTaskTtl;
        private Clock clock;
        private Ticker ticker;
        private Executor executor;
        private ScheduledExecutorService scheduler;
        private Boolean unregisterFinishedOnRead;
        private Duration stopTimeout;
        private Duration housekeepingInterval;

        private Builder() {
        }

        /** Number of registry partitions (default 1); at least 1. */
        public Builder shards(int shards) {
            requireUnset("shards", this.shards);
            if (shards < 1) {
                throw new IllegalArgumentException("shards must be at least 1, got " + shards);
            }
            this.shards = shards;
            return this;
        }

        /** How long finished non-user root tasks are kept (default 0: unregistered at once). */
        public Builder taskTtl(Duration ttl) {
            requireUnset("taskTtl", this.taskTtl);
            ttlNanos("taskTtl", ttl);
            this.taskTtl = ttl;
            return this;
        }

        /** How long finished user tasks are kept (default 1 hour). */
        public Builder userTaskTtl(Duration ttl) {
            requireUnset("userTaskTtl", this.userTaskTtl);
            ttlNanos("userTaskTtl", ttl);
            this.userTaskTtl = ttl;
            return this;
        }

        /** The wall clock for start and end times (default {@link Clock#systemUTC()}). */
        public Builder clock(Clock clock) {
            requireUnset("clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The monotonic clock for TTL deadlines (default {@link Ticker#SYSTEM}). */
        public Builder ticker(Ticker ticker) {
            requireUnset("ticker", this.ticker);
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Where managed bodies run. Default: a cached pool of daemon threads, one per running body,
         * owned and shut down by the manager. On Java 21+ pass
         * {@code Executors.newVirtualThreadPerTaskExecutor()} for cheap blocking bodies. A caller's
         * executor is not shut down by {@link #close()}.
         */
        public Builder executor(Executor executor) {
            requireUnset("executor", this.executor);
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Where housekeeping runs (default: one daemon thread owned by the manager). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            requireUnset("scheduler", this.scheduler);
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Seed mode (SPEC §6.3): {@link TaskManager#status} and {@link TaskManager#statusRecursive}
         * unregister a task that is already finished. Default off.
         */
        public Builder unregisterFinishedOnRead(boolean enabled) {
            requireUnset("unregisterFinishedOnRead", this.unregisterFinishedOnRead);
            this.unregisterFinishedOnRead = enabled;
            return this;
        }

        /** How long stopping a module waits for tasks that ignore the abort (default 10 seconds). */
        public Builder stopTimeout(Duration timeout) {
            requireUnset("stopTimeout", this.stopTimeout);
            if (Objects.requireNonNull(timeout, "stopTimeout").isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative, got " + timeout);
            }
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * How often housekeeping expires tasks past their TTL (default 250 ms, which keeps every
         * expired task out of sight well within the second SPEC §6.1 allows); {@link Duration#ZERO}
         * turns the periodic run off, leaving {@link TaskManager#cleanUp()} and lazy expiry on reads.
         */
        public Builder housekeepingInterval(Duration interval) {
            requireUnset("housekeepingInterval", this.housekeepingInterval);
            if (Objects.requireNonNull(interval, "housekeepingInterval").isNegative()) {
                throw new IllegalArgumentException("housekeepingInterval must not be negative, got " + interval);
            }
            this.housekeepingInterval = interval;
            return this;
        }

        /** Builds the task manager; it owns the threads it creates until {@link #close()}. */
        public TaskManager build() {
            return new TaskManager(this);
        }

        private static void requireUnset(String setting, Object current) {
            if (current != null) {
                throw new IllegalStateException(setting + " was already set to " + current);
            }
        }
    }
}
