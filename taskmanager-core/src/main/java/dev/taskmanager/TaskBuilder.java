package dev.taskmanager;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;

/**
 * Describes a task, then creates it: {@link #start(TaskBody)} for a managed task whose body runs on
 * the task manager's executor, or {@link #track()} for a task driven from outside. A builder creates
 * one task; it is not thread-safe.
 *
 * <p>Defaults: scope, keyspace, table and entity {@code ""}; shard 0 (SPEC §1.5), for children
 * too; not abortable; not a user task; internal exactly when it has a parent; progress units
 * the parent's, else {@code ""}; sequence number inherited from the parent, else fresh from the
 * module's counter on the task's shard.
 */
public final class TaskBuilder {
    private final TaskModule module;
    private final String type;
    private String scope = "";
    private String keyspace = "";
    private String table = "";
    private String entity = "";
    private String progressUnits;
    private Integer shard;
    private UUID id;
    private Long sequenceNumber;
    private boolean abortable;
    private boolean userTask;
    private Boolean internal;
    private TaskImpl parent;
    private UUID parentId;

    TaskBuilder(TaskModule module, String type) {
        this.module = module;
        this.type = type;
    }

    /** Which part of the operation the task covers, e.g. {@code "keyspace"}, {@code "file"}. */
    public TaskBuilder scope(String scope) {
        this.scope = Objects.requireNonNull(scope, "scope");
        return this;
    }

    /** The keyspace the task works on; {@code ""} when unused. */
    public TaskBuilder keyspace(String keyspace) {
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        return this;
    }

    /** The table the task works on; {@code ""} when unused. */
    public TaskBuilder table(String table) {
        this.table = Objects.requireNonNull(table, "table");
        return this;
    }

    /** A free-form, task-specific entity, e.g. a path; {@code ""} when unused. */
    public TaskBuilder entity(String entity) {
        this.entity = Objects.requireNonNull(entity, "entity");
        return this;
    }

    /** What progress is counted in, e.g. {@code "bytes"}. A child must use its parent's units. */
    public TaskBuilder progressUnits(String units) {
        this.progressUnits = Objects.requireNonNull(units, "progressUnits");
        return this;
    }

    /** The shard that owns the task, from 0 to {@link TaskManager#shardCount()} - 1. */
    public TaskBuilder shard(int shard) {
        this.shard = shard;
        return this;
    }

    /** Uses this id instead of a random one; creation fails if a registered task has it. */
    public TaskBuilder id(UUID id) {
        this.id = Objects.requireNonNull(id, "id");
        return this;
    }

    /** Uses this sequence number instead of inheriting or drawing one. */
    public TaskBuilder sequenceNumber(long sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
        return this;
    }

    /** Lets the API abort the task. */
    public TaskBuilder abortable() {
        return abortable(true);
    }

    /** Whether the API may abort the task (library code always may). */
    public TaskBuilder abortable(boolean abortable) {
        this.abortable = abortable;
        return this;
    }

    /** Marks the task as started on behalf of a user: it is retained for {@code user_task_ttl}. */
    public TaskBuilder userTask() {
        return userTask(true);
    }

    /** Whether the task was started on behalf of a user. */
    public TaskBuilder userTask(boolean userTask) {
        this.userTask = userTask;
        return this;
    }

    /** Hides the task from default listings, or shows a child that would be hidden by default. */
    public TaskBuilder internal(boolean internal) {
        this.internal = internal;
        return this;
    }

    /**
     * Makes the task a child of the registered task with this id, which may live on another shard or
     * in another module.
     */
    public TaskBuilder parent(UUID parentId) {
        this.parentId = Objects.requireNonNull(parentId, "parentId");
        this.parent = null;
        return this;
    }

    TaskBuilder parent(TaskImpl parent) {
        this.parent = parent;
        this.parentId = null;
        return this;
    }

    /**
     * Creates the task and runs {@code body} on the task manager's executor. The task is registered,
     * in state {@code created}, before this returns.
     *
     * @throws IllegalArgumentException for an unknown parent, an id in use, a shard out of range or
     *                                  progress units that differ from the parent's
     * @throws IllegalStateException    if the module is stopped or the task manager closed
     */
    public Task start(TaskBody body) {
        Objects.requireNonNull(body, "body");
        TaskImpl task = register();
        TaskManager manager = module.manager();
        try {
            manager.executor().execute(() -> manager.run(task, body));
        } catch (RejectedExecutionException e) {
            task.finish(false, Errors.render(e));
        }
        return task;
    }

    /**
     * Creates the task in state {@code created} and hands it to the caller, who starts, completes or
     * fails it. Same exceptions as {@link #start(TaskBody)}.
     */
    public TrackedTask track() {
        return register();
    }

    /**
     * Hands the settings, not the builder, to the module: kept this small so it inlines and the JIT
     * can scalar-replace the builder, which otherwise costs an allocation per task.
     */
    private TaskImpl register() {
        return module.create(type, scope, keyspace, table, entity, progressUnits, shard, id, sequenceNumber,
                abortable, userTask, internal, parent, parentId);
    }
}
