package dev.taskmanager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * A named group of tasks of a similar nature: {@code repair}, {@code compaction}, {@code backup}
 * (SPEC §1.2). A module exists on every shard, with its own sequence counter per shard (SPEC §4).
 * Obtain one from {@link TaskManager#module(String)}.
 *
 * <p>Thread-safe. A stopped module refuses new tasks with an {@link IllegalStateException}.
 */
public final class TaskModule {
    private static final System.Logger LOG = System.getLogger(TaskModule.class.getName());

    private final String name;
    private final TaskManager manager;
    /** One counter per shard, {@link #COUNTER_STRIDE} slots apart so that shards never share a cache line. */
    private final AtomicLongArray sequenceNumbers;
    private static final int COUNTER_STRIDE = 16;
    private volatile boolean stopping;
    private volatile ClusterTaskProvider clusterTasks;

    TaskModule(String name, TaskManager manager) {
        this.name = name;
        this.manager = manager;
        this.sequenceNumbers = new AtomicLongArray(manager.shardCount() * COUNTER_STRIDE);
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
     * The module's registered tasks that pass {@code filter}, across every shard, followed by the
     * cluster tasks of its {@link ClusterTaskProvider} if it has one. The stream is lazy and weakly
     * consistent: it never fails because tasks come and go while it runs, and reflects each task as it
     * is when the stream reaches it. Nothing is copied up front, so listing a million tasks costs no
     * extra memory.
     */
    public Stream<TaskStats> tasks(TaskFilter filter) {
        Objects.requireNonNull(filter, "filter");
        Stream<TaskStats> local = registered()
                .filter(task -> filter.matches(task.isInternal(), task.keyspace, task.table))
                .map(TaskImpl::stats);
        ClusterTaskProvider provider = clusterTasks;
        if (provider == null) {
            return local;
        }
        return Stream.concat(local, provider.tasks()
                .filter(stats -> filter.matches(false, stats.keyspace(), stats.table())));
    }

    /** The module's live tasks in the registry, skipping those past their TTL. */
    Stream<TaskImpl> registered() {
        return manager.registered().filter(task -> task.module == this);
    }

    /**
     * Unregisters every complete task of the module, in every shard, internal ones too; running tasks
     * are untouched (the compat API's {@code drain}).
     *
     * @return how many tasks were unregistered
     */
    public int drain() {
        int drained = 0;
        for (TaskImpl task : (Iterable<TaskImpl>) registered()::iterator) {
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

    /** Whether the module was stopped (or is stopping) and so refuses new tasks. */
    public boolean isStopped() {
        return stopping;
    }

    /**
     * Stops the module (SPEC §10): refuses new tasks, aborts every task (and so their trees), cuts
     * pending TTLs short, waits up to {@code bound} for running tasks to finish, then removes the
     * module from its task manager. A task that ignores the abort does not hold the stop past the
     * bound: it is logged and reported.
     *
     * @return the tasks still running when the bound ran out (empty if all finished)
     */
    public StopReport stop(Duration bound) {
        Objects.requireNonNull(bound, "bound");
        stopping = true;
        List<TaskImpl> tasks = registered().toList();
        List<CompletableFuture<TaskStatus>> running = new ArrayList<>();
        for (TaskImpl task : tasks) {
            task.abort("module " + name + " is stopping");
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
            LOG.log(System.Logger.Level.WARNING, "Module {0} stopped with {1} task(s) still running after "
                    + "{2} ms, ignoring the abort: {3}", name, late.size(), bound.toMillis(), late);
        }
        return new StopReport(name, late);
    }

    /** Stops the module with the task manager's default bound; see {@link #stop(Duration)}. */
    public StopReport stop() {
        return stop(manager.stopTimeout());
    }

    /**
     * Creates and registers a task with the builder's settings (see {@link TaskBuilder} for the
     * defaults of the null ones): validates them, draws the sequence number, registers the task on
     * its shard, then attaches it to its parent, where an abort already requested reaches it.
     */
    TaskImpl create(String type, String scope, String keyspace, String table, String entity, String progressUnits,
                    Integer shard, UUID id, Long sequenceNumber, boolean abortable, boolean userTask,
                    Boolean internal, TaskImpl parent, UUID parentId) {
        manager.ensureOpen();
        ensureRunning();
        TaskImpl parentTask = parent;
        if (parentTask == null && parentId != null) {
            parentTask = manager.findRegistered(parentId).orElseThrow(() ->
                    new IllegalArgumentException("parent task with id " + parentId + " not found"));
        }
        int shardIndex = shard != null ? shard : 0;
        if (shardIndex < 0 || shardIndex >= manager.shardCount()) {
            throw new IllegalArgumentException("shard " + shardIndex + " is out of range: the task manager has "
                    + manager.shardCount() + " shard(s), numbered from 0");
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
        long sequence = sequenceNumber != null ? sequenceNumber
                : parentTask != null ? parentTask.sequenceNumber
                : nextSequenceNumber(shardIndex);
        boolean isInternal = internal != null ? internal : parentTask != null;
        TaskImpl task = new TaskImpl(taskId, this, parentTask, type, scope, keyspace, table, entity, units,
                sequence, shardIndex, abortable, userTask, isInternal);
        if (!manager.register(task)) {
            throw new IllegalArgumentException("task with id " + taskId + " already exists");
        }
        if (parentTask != null) {
            boolean parentAborted;
            try {
                parentAborted = parentTask.attachChild(task);
            } catch (IllegalArgumentException parentGone) {
                manager.unregister(task);
                throw parentGone;
            }
            if (parentAborted) {
                task.abort(parentTask.abortReason());
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
        manager.listeners().created(task);
        return task;
    }

    private void ensureRunning() {
        if (stopping) {
            throw new IllegalStateException("module " + name + " is stopped and accepts no new tasks");
        }
    }

    long nextSequenceNumber(int shard) {
        return sequenceNumbers.incrementAndGet(shard * COUNTER_STRIDE);
    }

    TaskManager manager() {
        return manager;
    }

    @Override
    public String toString() {
        return "TaskModule[" + name + (stopping ? ", stopped]" : "]");
    }
}
