package dev.taskmanager;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;

/**
 * Describes a task, then creates it: {@link #start(TaskBody)} for a managed task whose body runs on
 * the task manager's executor, {@link #submit(TaskFunction)} for one whose body returns a result, or
 * {@link #track()} for a task driven from outside.
 *
 * <p>A builder makes exactly one task: a second {@code start}, {@code submit} or {@code track} is
 * an {@link IllegalStateException}. Each setting may be given once (each label key once), as in
 * {@link TaskManager.Builder}: a repeated setting is rejected naming the value already given. Not
 * thread-safe.
 *
 * <p>Defaults: scope, keyspace, table and entity {@code ""}; shard 0 (SPEC §1.5), for children
 * too; not abortable; not a user task; internal exactly when it has a parent; progress units
 * the parent's, else {@code ""}; sequence number inherited from the parent, else fresh from the
 * module's counter on the task's shard; no labels, no deadline; the module's stall threshold.
 */
public final class TaskBuilder {
    private final TaskModule module;
    private final String type;
    private String scope;
    private String keyspace;
    private String table;
    private String entity;
    private String progressUnits;
    private Integer shard;
    private UUID id;
    private Long sequenceNumber;
    private Boolean abortable;
    private Boolean userTask;
    private Boolean internal;
    private TaskImpl parent;
    private UUID parentId;
    private UUID clusterParentId;
    private TaskKind kind;
    private LinkedHashMap<String, String> labels;
    private Duration deadline;
    private Duration stallThreshold;
    private TaskImpl made;

    TaskBuilder(TaskModule module, String type) {
        this.module = module;
        this.type = type;
    }

    /** Which part of the operation the task covers, e.g. {@code "keyspace"}, {@code "file"}. */
    public TaskBuilder scope(String scope) {
        requireUnset("scope", this.scope);
        this.scope = Objects.requireNonNull(scope, "scope");
        return this;
    }

    /** The keyspace the task works on; {@code ""} when unused. */
    public TaskBuilder keyspace(String keyspace) {
        requireUnset("keyspace", this.keyspace);
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        return this;
    }

    /** The table the task works on; {@code ""} when unused. */
    public TaskBuilder table(String table) {
        requireUnset("table", this.table);
        this.table = Objects.requireNonNull(table, "table");
        return this;
    }

    /** A free-form, task-specific entity, e.g. a path; {@code ""} when unused. */
    public TaskBuilder entity(String entity) {
        requireUnset("entity", this.entity);
        this.entity = Objects.requireNonNull(entity, "entity");
        return this;
    }

    /** What progress is counted in, e.g. {@code "bytes"}. A child must use its parent's units. */
    public TaskBuilder progressUnits(String units) {
        requireUnset("progressUnits", this.progressUnits);
        this.progressUnits = Objects.requireNonNull(units, "progressUnits");
        return this;
    }

    /** The shard that owns the task, from 0 to {@link TaskManager#shardCount()} - 1. */
    public TaskBuilder shard(int shard) {
        requireUnset("shard", this.shard);
        this.shard = shard;
        return this;
    }

    /** Uses this id instead of a random one; creation fails if a registered task has it. */
    public TaskBuilder id(UUID id) {
        requireUnset("id", this.id);
        this.id = Objects.requireNonNull(id, "id");
        return this;
    }

    /** Uses this sequence number instead of inheriting or drawing one. */
    public TaskBuilder sequenceNumber(long sequenceNumber) {
        requireUnset("sequenceNumber", this.sequenceNumber);
        this.sequenceNumber = sequenceNumber;
        return this;
    }

    /** Lets the API abort the task. */
    public TaskBuilder abortable() {
        return abortable(true);
    }

    /** Whether the API may abort the task (library code always may). */
    public TaskBuilder abortable(boolean abortable) {
        requireUnset("abortable", this.abortable);
        this.abortable = abortable;
        return this;
    }

    /** Marks the task as started on behalf of a user: it is retained for {@code user_task_ttl}. */
    public TaskBuilder userTask() {
        return userTask(true);
    }

    /** Whether the task was started on behalf of a user. */
    public TaskBuilder userTask(boolean userTask) {
        requireUnset("userTask", this.userTask);
        this.userTask = userTask;
        return this;
    }

    /** Hides the task from default listings, or shows a child that would be hidden by default. */
    public TaskBuilder internal(boolean internal) {
        requireUnset("internal", this.internal);
        this.internal = internal;
        return this;
    }

    /**
     * Makes the task a child of the registered task with this id, which may live on another shard or
     * in another module.
     */
    public TaskBuilder parent(UUID parentId) {
        requireUnset("parent", this.parent != null ? this.parent.id : this.parentId != null ? this.parentId
                : this.clusterParentId);
        this.parentId = Objects.requireNonNull(parentId, "parentId");
        return this;
    }

    /**
     * Makes the task a child of a cluster task (SPEC §11) that this task manager does not hold: the
     * part, on this node, of a cluster-wide operation coordinated elsewhere (another node of a
     * fleet). Snapshots show the id as the task's parent; locally the task is a root: it is kept for
     * its TTL, does not fold, and hears no abort from the parent except through whoever delivers it
     * (a fleet does). As a child of a cluster task, it is not internal by default and draws its own
     * sequence number.
     */
    public TaskBuilder clusterParent(UUID parentId) {
        requireUnset("parent", this.parent != null ? this.parent.id : this.parentId != null ? this.parentId
                : this.clusterParentId);
        this.clusterParentId = Objects.requireNonNull(parentId, "parentId");
        return this;
    }

    /**
     * The task's kind (default {@link TaskKind#NODE}). {@link TaskKind#CLUSTER} makes it a cluster-wide
     * operation (SPEC §11) coordinated by this node: it has no parent, is never internal, and reports
     * sequence number 0 and shard 0; its children, here or on other nodes
     * ({@link #clusterParent(UUID)}), are not internal by default and draw their own sequence numbers.
     * A fleet lists it on every node, with its status computed from the children of every node.
     *
     * @throws IllegalArgumentException when it contradicts a setting already given (a parent,
     *                                  {@code internal(true)}, a shard or sequence number other than 0),
     *                                  naming it
     */
    public TaskBuilder kind(TaskKind kind) {
        requireUnset("kind", this.kind);
        this.kind = Objects.requireNonNull(kind, "kind");
        checkCluster();
        return this;
    }

    TaskBuilder parent(TaskImpl parent) {
        this.parent = parent;
        return this;
    }

    /**
     * Adds a label (SPEC §21): who started the task, a ticket, a tenant. Labels are set at
     * creation, never change, are returned in snapshots and can be filtered on. Children do not
     * inherit them.
     *
     * @throws IllegalArgumentException if the key is empty or longer than 128 characters, the value
     *                                  longer than 1024, or the task would carry more than 32 labels
     * @throws IllegalStateException    if this key was already given
     */
    public TaskBuilder label(String key, String value) {
        Labels.validate(key, value);
        if (labels == null) {
            labels = new LinkedHashMap<>();
        } else if (labels.containsKey(key)) {
            throw new IllegalStateException("label '" + key + "' was already set to '" + labels.get(key) + "'");
        }
        if (labels.size() == Labels.MAX_LABELS) {
            throw new IllegalArgumentException("a task carries at most " + Labels.MAX_LABELS + " labels; '" + key
                    + "' would be one more");
        }
        labels.put(key, value);
        return this;
    }

    /** Adds every entry of {@code labels} as a {@link #label(String, String)}. */
    public TaskBuilder labels(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels").forEach(this::label);
        return this;
    }

    /**
     * Aborts the task if it is still running this long after its creation (SPEC §20), with
     * the reason {@code deadline exceeded (PT30S)} and {@code "deadline"} as the requester. Checked
     * by housekeeping, so it acts within one housekeeping interval of the deadline.
     *
     * @throws IllegalArgumentException if not positive
     */
    public TaskBuilder deadline(Duration deadline) {
        requireUnset("deadline", this.deadline);
        if (Objects.requireNonNull(deadline, "deadline").isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
        this.deadline = deadline;
        return this;
    }

    /**
     * Marks the task stalled when it runs this long without any change of state or progress in its
     * subtree (SPEC §19), overriding the module's {@linkplain TaskModule#setStallThreshold
     * default}; {@link Duration#ZERO} turns stall detection off for this task.
     *
     * @throws IllegalArgumentException if negative
     */
    public TaskBuilder stallThreshold(Duration threshold) {
        requireUnset("stallThreshold", this.stallThreshold);
        if (Objects.requireNonNull(threshold, "stallThreshold").isNegative()) {
            throw new IllegalArgumentException("stallThreshold must not be negative, got " + threshold);
        }
        this.stallThreshold = threshold;
        return this;
    }

    /**
     * Creates the task and runs {@code body} on the task manager's executor. The task is registered,
     * in state {@code created}, before this returns.
     *
     * @throws IllegalArgumentException for an unknown parent, an id in use, a shard out of range or
     *                                  progress units that differ from the parent's
     * @throws IllegalStateException    if the module is stopped, the task manager closed, or this
     *                                  builder already made its task
     */
    public Task start(TaskBody body) {
        Objects.requireNonNull(body, "body");
        return launch(context -> {
            body.run(context);
            return null;
        });
    }

    /**
     * Creates the task and runs {@code body} on the task manager's executor, like
     * {@link #start(TaskBody)}; what the body returns is delivered by {@link ResultTask#result()}.
     * Same exceptions as {@link #start(TaskBody)}.
     *
     * @param <T> the type of the result
     */
    @SuppressWarnings("unchecked") // the task's result is whatever body returns, a T
    public <T> ResultTask<T> submit(TaskFunction<T> body) {
        Objects.requireNonNull(body, "body");
        return (ResultTask<T>) (ResultTask<?>) launch(body);
    }

    private TaskImpl launch(TaskFunction<?> body) {
        TaskImpl task = register(true);
        TaskManager manager = module.manager();
        try {
            manager.executor().execute(() -> manager.run(task, body));
        } catch (RejectedExecutionException e) {
            task.finish(false, e);
        }
        return task;
    }

    /**
     * Creates the task in state {@code created} and hands it to the caller, who starts, completes or
     * fails it. Same exceptions as {@link #start(TaskBody)}.
     */
    public TrackedTask track() {
        return register(false);
    }

    /**
     * Hands the settings, not the builder, to the module: kept this small so it inlines and the JIT
     * can scalar-replace the builder, which otherwise costs an allocation per task.
     */
    private TaskImpl register(boolean managed) {
        if (made != null) {
            throw new IllegalStateException("this builder already made task " + made.id
                    + "; a builder makes one task, use a new one for the next");
        }
        checkCluster();
        TaskImpl task = module.create(type, scope, keyspace, table, entity, progressUnits, shard, id, sequenceNumber,
                abortable != null && abortable, userTask != null && userTask, internal, parent, parentId,
                clusterParentId, kind == TaskKind.CLUSTER, managed, labels, deadline, stallThreshold);
        made = task;
        return task;
    }

    /** A cluster task (SPEC §11) has no parent, is not internal, and has shard and sequence number 0. */
    private void checkCluster() {
        if (kind != TaskKind.CLUSTER) {
            return;
        }
        UUID parentOf = parent != null ? parent.id : parentId != null ? parentId : clusterParentId;
        String conflict = parentOf != null ? "parent " + parentOf
                : Boolean.TRUE.equals(internal) ? "internal(true)"
                : shard != null && shard != 0 ? "shard " + shard
                : sequenceNumber != null && sequenceNumber != 0 ? "sequenceNumber " + sequenceNumber : null;
        if (conflict != null) {
            throw new IllegalArgumentException("kind CLUSTER does not go with " + conflict
                    + ": a cluster task has no parent, is never internal, and has shard and sequence number 0");
        }
    }

    private static void requireUnset(String setting, Object current) {
        if (current != null) {
            throw new IllegalStateException(setting + " was already set to " + current);
        }
    }
}
