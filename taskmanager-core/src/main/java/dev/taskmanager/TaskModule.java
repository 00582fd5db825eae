package dev.taskmanager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A named group of tasks of a similar nature: {@code repair}, {@code compaction}, {@code backup}
 * (SPEC §1.2). A module exists on every shard, with its own sequence counter per shard (SPEC §4) and
 * its own creation-ordered index of its tasks per shard, so that listing or querying it touches only
 * its own tasks. Obtain one from {@link TaskManager#module(String)}.
 *
 * <p>Thread-safe. A stopped module refuses new tasks with an {@link IllegalStateException}.
 */
public final class TaskModule {
    private static final System.Logger LOG = System.getLogger(TaskModule.class.getName());
    /** How many task ids a stop warning names at most. */
    private static final int NAMED_IN_WARNING = 10;

    private final String name;
    private final TaskManager manager;
    /** One log per shard: the module's tasks there in creation order, and its sequence counter. */
    private final TaskLog[] logs;
    private volatile boolean stopping;
    private volatile ClusterTaskProvider clusterTasks;
    private volatile long stallThresholdNanos;

    TaskModule(String name, TaskManager manager) {
        this.name = name;
        this.manager = manager;
        this.logs = new TaskLog[manager.shardCount()];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = new TaskLog();
        }
    }

    /** The module's name, unique within its task manager. */
    public String name() {
        return name;
    }

    /**
     * Starts building a root task of this module.
     *
     * @param type what operation the task covers, e.g. {@code "major compaction"}
     */
    public TaskBuilder task(String type) {
        return new TaskBuilder(this, Objects.requireNonNull(type, "type"));
    }

    /** The module's non-internal tasks; see {@link #tasks(TaskFilter)}. */
    public Stream<TaskStats> tasks() {
        return tasks(TaskFilter.DEFAULT);
    }

    /**
     * The module's registered tasks that pass {@code filter}, shard after shard, each shard's in
     * creation order, followed by the cluster tasks of its {@link ClusterTaskProvider} if it has one.
     * The stream is lazy and weakly consistent: it never fails because tasks come and go while it
     * runs, and reflects each task as it is when the stream reaches it. It holds O(1) state however
     * many tasks there are (a position in one shard's index), and visits only this module's tasks.
     */
    public Stream<TaskStats> tasks(TaskFilter filter) {
        Objects.requireNonNull(filter, "filter");
        Stream<TaskStats> local = registeredStream()
                .filter(task -> filter.matches(task.isInternal(), task.keyspace, task.table))
                .map(TaskImpl::stats);
        ClusterTaskProvider provider = clusterTasks;
        if (provider == null) {
            return local;
        }
        return Stream.concat(local, provider.tasks()
                .filter(stats -> filter.matches(false, stats.keyspace(), stats.table())));
    }

    /**
     * One page of this module's tasks that match {@code query} (SPEC §22); see
     * {@link TaskQuery} for the order and the paging guarantee.
     *
     * @throws IllegalArgumentException if the query names another module
     */
    public TaskPage query(TaskQuery query) {
        return Queries.page(manager, requireThisModule(query), List.of(this));
    }

    /**
     * How many of this module's tasks match {@code query}, ignoring its cursor and limit. Visits
     * every task of the module.
     *
     * @throws IllegalArgumentException if the query names another module
     */
    public long count(TaskQuery query) {
        return Queries.count(manager, requireThisModule(query), List.of(this));
    }

    private TaskQuery requireThisModule(TaskQuery query) {
        Objects.requireNonNull(query, "query");
        if (query.module() != null && !query.module().equals(name)) {
            throw new IllegalArgumentException("the query is for module " + query.module() + ", not " + name);
        }
        return query;
    }

    TaskLog[] logs() {
        return logs;
    }

    /** The module's live tasks in the registry, skipping those past their TTL; lazy, O(1) state. */
    Stream<TaskImpl> registeredStream() {
        return StreamSupport.stream(new Registered(manager.tickNow()), false);
    }

    /** Iterates the module's registered tasks shard after shard, skipping those past their TTL. */
    Iterator<TaskImpl> registered() {
        return Spliterators.iterator(new Registered(manager.tickNow()));
    }

    /**
     * The module's registered tasks, shard after shard, each shard's in creation order, skipping
     * those past their TTL at {@code now}. A spliterator rather than an iterator, so that a stream
     * that consumes everything runs one tight loop over the logs.
     */
    private final class Registered extends Spliterators.AbstractSpliterator<TaskImpl> {
        private final long now;
        private int shard;
        private TaskLog.Scan scan;

        Registered(long now) {
            super(Long.MAX_VALUE, Spliterator.NONNULL | Spliterator.ORDERED);
            this.now = now;
            this.scan = logs[0].scan(false);
        }

        @Override
        public boolean tryAdvance(java.util.function.Consumer<? super TaskImpl> action) {
            for (;;) {
                while (scan.hasNext()) {
                    TaskImpl task = scan.next();
                    if (!Expiry.isExpired(task, now)) {
                        action.accept(task);
                        return true;
                    }
                }
                if (++shard >= logs.length) {
                    shard = logs.length - 1;
                    return false;
                }
                scan = logs[shard].scan(false);
            }
        }

        @Override
        public void forEachRemaining(java.util.function.Consumer<? super TaskImpl> action) {
            for (;;) {
                while (scan.hasNext()) {
                    TaskImpl task = scan.next();
                    if (!Expiry.isExpired(task, now)) {
                        action.accept(task);
                    }
                }
                if (++shard >= logs.length) {
                    shard = logs.length - 1;
                    return;
                }
                scan = logs[shard].scan(false);
            }
        }
    }

    /**
     * Unregisters every complete task of the module, in every shard, internal ones too; running tasks
     * are untouched (the compat API's {@code drain}).
     *
     * @return how many tasks were unregistered
     */
    public int drain() {
        int drained = 0;
        for (Iterator<TaskImpl> it = registered(); it.hasNext(); ) {
            TaskImpl task = it.next();
            if (task.state().isTerminal() && manager.unregister(task)) {
                drained++;
            }
        }
        return drained;
    }

    /**
     * Attaches the provider of this module's cluster-kind tasks (SPEC §11), replacing any previous
     * one; {@code null} detaches it.
     */
    public void clusterTasks(ClusterTaskProvider provider) {
        this.clusterTasks = provider;
    }

    ClusterTaskProvider clusterTasks() {
        return clusterTasks;
    }

    /**
     * Sets the stall threshold of tasks created from now on (SPEC §19): a running task with
     * no change of state or progress in its subtree for this long is marked stalled. A task's own
     * {@link TaskBuilder#stallThreshold(Duration)} overrides it. {@link Duration#ZERO} (the
     * default) turns stall detection off.
     *
     * @return the previous threshold
     * @throws IllegalArgumentException if negative
     */
    public Duration setStallThreshold(Duration threshold) {
        if (Objects.requireNonNull(threshold, "stallThreshold").isNegative()) {
            throw new IllegalArgumentException("stallThreshold must not be negative, got " + threshold);
        }
        long previous = stallThresholdNanos;
        stallThresholdNanos = Durations.saturatedNanos(threshold);
        return Duration.ofNanos(previous);
    }

    /** The stall threshold of tasks created from now on; {@link Duration#ZERO} when off. */
    public Duration stallThreshold() {
        return Duration.ofNanos(stallThresholdNanos);
    }

    /** Whether the module was stopped (or is stopping) and so refuses new tasks. */
    public boolean isStopped() {
        return stopping;
    }

    /**
     * Stops the module (SPEC §10): refuses new tasks, aborts every task (and so their trees), cuts
     * pending TTLs short, waits up to {@code bound} for running tasks to finish, then removes the
     * module from its task manager. A task that ignores the abort does not hold the stop past the
     * bound: it is logged (the count and at most ten ids) and reported.
     *
     * @return the tasks still running when the bound ran out (empty if all finished)
     */
    public StopReport stop(Duration bound) {
        Objects.requireNonNull(bound, "bound");
        stopping = true;
        List<TaskImpl> tasks = registeredStream().collect(Collectors.toList());
        List<CompletableFuture<TaskStatus>> running = new ArrayList<>();
        for (TaskImpl task : tasks) {
            task.abort("module " + name + " is stopping", null);
            if (!task.state().isTerminal()) {
                running.add(task.done());
            }
        }
        drain();
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture<?>[]::new))
                    .get(Durations.saturatedNanos(bound), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a task's completion future failed", e.getCause());
        } finally {
            running.forEach(future -> future.cancel(false));
        }
        drain();
        manager.removeModule(this);
        List<TaskStats> late = new ArrayList<>();
        for (TaskImpl task : tasks) {
            if (!task.state().isTerminal()) {
                late.add(task.stats());
            }
        }
        if (!late.isEmpty()) {
            List<UUID> named = late.stream().limit(NAMED_IN_WARNING).map(TaskStats::id).collect(Collectors.toList());
            LOG.log(System.Logger.Level.WARNING, "Module {0} stopped with {1} task(s) still running after {2} ms, "
                    + "ignoring the abort: {3}{4}", name, late.size(), bound.toMillis(), named,
                    late.size() > NAMED_IN_WARNING ? " and " + (late.size() - NAMED_IN_WARNING) + " more" : "");
        }
        return new StopReport(name, late);
    }

    /** Stops the module with the task manager's default bound; see {@link #stop(Duration)}. */
    public StopReport stop() {
        return stop(manager.stopTimeout());
    }

    /**
     * Creates and registers a task with the builder's settings (see {@link TaskBuilder} for the
     * defaults of the null ones): validates them, appends the task to its shard's log (which stamps
     * its creation time and draws its sequence number), registers it by id, then attaches it to its
     * parent; an abort the parent already had reaches the task before this returns.
     */
    TaskImpl create(String type, String scope, String keyspace, String table, String entity, String progressUnits,
                    Integer shard, UUID id, Long sequenceNumber, boolean abortable, boolean userTask,
                    Boolean internal, TaskImpl parent, UUID parentId, UUID clusterParentId, boolean cluster,
                    boolean managed, Map<String, String> labels, Duration deadline, Duration stallThreshold) {
        manager.ensureOpen();
        ensureRunning();
        TaskImpl parentTask = parent;
        if (parentTask == null && parentId != null) {
            parentTask = manager.findRegistered(parentId).orElseThrow(() ->
                    new IllegalArgumentException("parent task with id " + parentId + " not found"));
        }
        int shardIndex = shard != null ? shard : 0;
        if (shardIndex < 0 || shardIndex >= logs.length) {
            throw new IllegalArgumentException("shard " + shardIndex + " is out of range: the task manager has "
                    + logs.length + " shard(s), numbered from 0");
        }
        String units = progressUnits;
        if (parentTask != null) {
            if (units == null) {
                units = parentTask.progressUnits;
            } else if (!units.equals(parentTask.progressUnits)) {
                throw new IllegalArgumentException("progress units '" + units + "' differ from the parent's '"
                        + parentTask.progressUnits + "'; a child counts progress in its parent's units");
            }
        } else if (units == null) {
            units = "";
        }
        if (id != null && manager.findRegistered(id).isPresent()) {
            throw new IllegalArgumentException("task with id " + id + " already exists");
        }
        UUID taskId = id != null ? id : TaskIds.next();
        // SPEC §5.3: internal by default exactly when the parent is a regular (node-kind) task
        boolean isInternal = internal != null ? internal : parentTask != null && !parentTask.isCluster();
        long stallNanos = stallThreshold != null ? Durations.saturatedNanos(stallThreshold) : stallThresholdNanos;
        long deadlineNanos = deadline != null ? Durations.saturatedNanos(deadline) : 0;
        Watch watch = stallNanos > 0 || deadlineNanos > 0 ? new Watch(stallNanos, deadlineNanos, manager.tickNow())
                : null;
        TaskImpl task = new TaskImpl(taskId, this, parentTask, clusterParentId, type, scope != null ? scope : "",
                keyspace != null ? keyspace : "", table != null ? table : "", entity != null ? entity : "", units,
                shardIndex, abortable, userTask, isInternal, managed, cluster, Labels.of(labels), watch);
        // SPEC §4.2: a child of a regular task inherits its number; a cluster task has 0 (SPEC §11); a
        // child of a cluster task draws its own, as a root does
        boolean inherits = parentTask != null && !parentTask.isCluster();
        if (sequenceNumber != null) {
            task.sequenceNumber = sequenceNumber;
        } else if (cluster) {
            task.sequenceNumber = 0;
        } else if (inherits) {
            task.sequenceNumber = parentTask.sequenceNumber;
        }
        TaskLog log = logs[shardIndex];
        log.append(task, manager.wallNow(), sequenceNumber == null && !cluster && !inherits);
        if (!manager.register(task)) {
            log.remove(task);
            throw new IllegalArgumentException("task with id " + taskId + " already exists");
        }
        AbortRequest parentAbort = null;
        if (parentTask != null) {
            try {
                parentAbort = parentTask.attachChild(task);
            } catch (IllegalArgumentException parentGone) {
                manager.unregister(task);
                throw parentGone;
            }
        }
        if (stopping) {
            // Stopped while we registered: the stop's sweep may have missed us, so back out.
            if (parentTask != null) {
                parentTask.detachChild(task);
            }
            manager.unregister(task);
            ensureRunning();
        }
        if (deadlineNanos > 0) {
            manager.watch(task);
        }
        manager.listeners().created(task);
        if (parentAbort != null) {
            // After the creation is announced, so that listeners hear created, then abort requested
            // (then, for a tracked task, finished); still before anyone can start the task.
            task.abort(parentAbort);
        }
        return task;
    }

    private void ensureRunning() {
        if (stopping) {
            throw new IllegalStateException("module " + name + " is stopped and accepts no new tasks");
        }
    }

    TaskManager manager() {
        return manager;
    }

    @Override
    public String toString() {
        return "TaskModule[" + name + (stopping ? ", stopped]" : "]");
    }
}
