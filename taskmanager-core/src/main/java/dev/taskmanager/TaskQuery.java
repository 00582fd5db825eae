package dev.taskmanager;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Which tasks to return, in what order, one page at a time (SPEC §22). Evaluated by
 * {@link TaskManager#query(TaskQuery)} across modules and {@link TaskModule#query(TaskQuery)} within
 * one; {@link TaskManager#count(TaskQuery)} counts the matches. Every filter left unset matches
 * everything; the filters that are set must all match.
 *
 * <pre>{@code
 * TaskQuery running = TaskQuery.builder().module("backup").states(TaskQuery.State.RUNNING)
 *         .label("tenant", "acme").limit(50).build();
 * TaskPage page = tm.query(running);
 * while (page.hasNext()) {
 *     page = tm.query(running.withCursor(page.next()));
 * }
 * }</pre>
 *
 * <p><b>Paging.</b> A page holds at most {@link #limit()} tasks, in {@link #order()}; its
 * {@link TaskPage#next() next} cursor is the ordering key of its last task, and the next page holds
 * the matching tasks strictly after that key. While tasks come and go, a task that matched and was
 * registered for the whole scan is returned exactly once; a task created or unregistered during the
 * scan may or may not appear. Immutable and thread-safe.
 */
public final class TaskQuery {
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page size. */
    public static final int MAX_LIMIT = 10_000;

    private static final TaskQuery ALL = builder().build();

    /** The order of a query's answer; ties never happen, every key is unique. */
    public enum Order {
        /**
         * By {@code (createdTime, id)}: registration order. Served from the registry's creation-ordered
         * index: a page costs a seek plus a scan of the tasks it skips over.
         */
        CREATED,
        /**
         * By {@code (sequenceNumber, createdTime, id)}. Sequence numbers are per module and shard and
         * children share their parent's, so there is no index for this order: a page costs a scan
         * of every task the other filters leave.
         */
        SEQUENCE
    }

    /**
     * The states a query can select. Unlike {@link TaskState}, these tell an aborted task from a
     * failed one and a stalled task from one making progress; a task is selected if it is in any of
     * the states asked for.
     */
    public enum State {
        /** Registered, not started. */
        CREATED,
        /** Started and not ended, stalled or not. */
        RUNNING,
        /** Running and stalled (SPEC §19). */
        STALLED,
        /** Not ended, and asked to abort. */
        ABORT_REQUESTED,
        /** Ended successfully. */
        DONE,
        /** Ended with an error, not because of an abort request. */
        FAILED,
        /** Ended because of an abort request (its compat state is {@code failed}). */
        ABORTED;

        private final String wireName = name().toLowerCase(Locale.ROOT);

        /** The lowercase name, e.g. {@code "abort_requested"}. */
        public String wireName() {
            return wireName;
        }

        /** The state with this wire name, case-insensitively, or {@code null} if there is none. */
        public static State fromWireName(String name) {
            for (State state : values()) {
                if (state.wireName.equalsIgnoreCase(name)) {
                    return state;
                }
            }
            return null;
        }
    }

    private final String module;
    private final Set<State> states;
    private final String type;
    private final TaskKind kind;
    private final String scope;
    private final String keyspace;
    private final String table;
    private final String entityPrefix;
    private final UUID parent;
    private final Map<String, String> labels;
    private final Instant createdFrom;
    private final Instant createdTo;
    private final Instant finishedFrom;
    private final Instant finishedTo;
    private final Boolean userTask;
    private final boolean includeInternal;
    private final Order order;
    private final boolean descending;
    private final int limit;
    private final TaskCursor cursor;
    private final long createdFromNanos;
    private final long createdToNanos;
    private final long finishedFromNanos;
    private final long finishedToNanos;

    private TaskQuery(Builder b) {
        this.module = b.module;
        this.states = b.states == null ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(b.states));
        this.type = b.type;
        this.kind = b.kind;
        this.scope = b.scope;
        this.keyspace = b.keyspace;
        this.table = b.table;
        this.entityPrefix = b.entityPrefix;
        this.parent = b.parent;
        this.labels = Labels.of(b.labels);
        this.createdFrom = b.createdFrom;
        this.createdTo = b.createdTo;
        this.finishedFrom = b.finishedFrom;
        this.finishedTo = b.finishedTo;
        this.userTask = b.userTask;
        this.includeInternal = Boolean.TRUE.equals(b.includeInternal);
        this.order = b.order != null ? b.order : Order.CREATED;
        this.descending = Boolean.TRUE.equals(b.descending);
        this.limit = b.limit != null ? b.limit : DEFAULT_LIMIT;
        this.cursor = b.cursor;
        this.createdFromNanos = EpochNanos.of(createdFrom);
        this.createdToNanos = EpochNanos.of(createdTo);
        this.finishedFromNanos = EpochNanos.of(finishedFrom);
        this.finishedToNanos = EpochNanos.of(finishedTo);
    }

    /** A builder with no filter, {@link Order#CREATED} ascending, {@link #DEFAULT_LIMIT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every non-internal task, oldest first, {@link #DEFAULT_LIMIT} per page. */
    public static TaskQuery all() {
        return ALL;
    }

    /** A builder holding this query's settings, in which any of them may be replaced. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.module = module;
        b.states = states.isEmpty() ? null : EnumSet.copyOf(states);
        b.type = type;
        b.kind = kind;
        b.scope = scope;
        b.keyspace = keyspace;
        b.table = table;
        b.entityPrefix = entityPrefix;
        b.parent = parent;
        b.labels = labels.isEmpty() ? null : new LinkedHashMap<>(labels);
        b.createdFrom = createdFrom;
        b.createdTo = createdTo;
        b.finishedFrom = finishedFrom;
        b.finishedTo = finishedTo;
        b.userTask = userTask;
        b.includeInternal = includeInternal ? Boolean.TRUE : null;
        b.order = order;
        b.descending = descending ? Boolean.TRUE : null;
        b.limit = limit;
        b.cursor = cursor;
        b.copied = true;
        return b;
    }

    /** This query, continuing after {@code cursor} ({@code null}: from the start). */
    public TaskQuery withCursor(TaskCursor cursor) {
        Builder b = toBuilder();
        b.cursor = cursor;
        return new TaskQuery(b);
    }

    /** The module to search, or {@code null} for every module. */
    public String module() {
        return module;
    }

    /** The states selected; empty selects every state. */
    public Set<State> states() {
        return states;
    }

    /** The exact type, or {@code null} for any. */
    public String type() {
        return type;
    }

    /** The kind, or {@code null} for both. */
    public TaskKind kind() {
        return kind;
    }

    /** The exact scope, or {@code null} for any. */
    public String scope() {
        return scope;
    }

    /** The exact keyspace, or {@code null} for any. */
    public String keyspace() {
        return keyspace;
    }

    /** The exact table, or {@code null} for any. */
    public String table() {
        return table;
    }

    /** The prefix the entity must start with, or {@code null} for any. */
    public String entityPrefix() {
        return entityPrefix;
    }

    /** The parent whose registered children are selected, or {@code null} for any task. */
    public UUID parent() {
        return parent;
    }

    /** Labels a task must all carry with these values; empty for no label filter. */
    public Map<String, String> labels() {
        return labels;
    }

    /** The earliest creation time selected (inclusive), or {@code null}. */
    public Instant createdFrom() {
        return createdFrom;
    }

    /** The creation time before which tasks are selected (exclusive), or {@code null}. */
    public Instant createdTo() {
        return createdTo;
    }

    /** The earliest end time selected (inclusive), or {@code null}; set, it selects ended tasks only. */
    public Instant finishedFrom() {
        return finishedFrom;
    }

    /** The end time before which tasks are selected (exclusive), or {@code null}; set, it selects ended tasks only. */
    public Instant finishedTo() {
        return finishedTo;
    }

    /** {@code true} for user tasks only, {@code false} for the others only, {@code null} for both. */
    public Boolean userTask() {
        return userTask;
    }

    /** Whether internal tasks are selected too (by default they are left out, as in listings). */
    public boolean includeInternal() {
        return includeInternal;
    }

    /** The order of the answer. */
    public Order order() {
        return order;
    }

    /** Whether the order is reversed (newest first for {@link Order#CREATED}). */
    public boolean descending() {
        return descending;
    }

    /** The most tasks a page holds. */
    public int limit() {
        return limit;
    }

    /** Where the page starts: strictly after this key; {@code null} from the start. */
    public TaskCursor cursor() {
        return cursor;
    }

    /** Whether a summary passes every filter (not the cursor); used for tasks from a cluster provider. */
    boolean matches(TaskStats t) {
        if (module != null && !module.equals(t.module())) {
            return false;
        }
        return matches(t.state(), t.abortRequest() != null, t.stalled(), t.type(), t.kind(), t.scope(),
                t.keyspace(), t.table(), t.entity(), t.parentId(), t.labels(), EpochNanos.of(t.createdTime()),
                EpochNanos.of(t.endTime()), t.userTask(), t.internal());
    }

    /**
     * Whether a task with these attributes passes every filter but module and cursor. Times are epoch
     * nanoseconds, {@link EpochNanos#UNSET} when unknown.
     */
    boolean matches(TaskState state, boolean abortRequested, boolean stalled, String type, TaskKind kind,
                    String scope, String keyspace, String table, String entity, UUID parentId,
                    Map<String, String> labels, long created, long ended, boolean userTask, boolean internal) {
        if (!includeInternal && internal) {
            return false;
        }
        if (!states.isEmpty() && !selectsState(state, abortRequested, stalled)) {
            return false;
        }
        if ((this.type != null && !this.type.equals(type))
                || (this.kind != null && this.kind != kind)
                || (this.scope != null && !this.scope.equals(scope))
                || (this.keyspace != null && !this.keyspace.equals(keyspace))
                || (this.table != null && !this.table.equals(table))
                || (entityPrefix != null && !entity.startsWith(entityPrefix))
                || (parent != null && !parent.equals(parentId))
                || (this.userTask != null && this.userTask != userTask)) {
            return false;
        }
        if ((createdFromNanos != EpochNanos.UNSET && (created == EpochNanos.UNSET || created < createdFromNanos))
                || (createdToNanos != EpochNanos.UNSET && (created == EpochNanos.UNSET || created >= createdToNanos))
                || (finishedFromNanos != EpochNanos.UNSET && (ended == EpochNanos.UNSET || ended < finishedFromNanos))
                || (finishedToNanos != EpochNanos.UNSET && (ended == EpochNanos.UNSET || ended >= finishedToNanos))) {
            return false;
        }
        if (!this.labels.isEmpty()) {
            for (Map.Entry<String, String> label : this.labels.entrySet()) {
                if (!label.getValue().equals(labels.get(label.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a creation time (epoch nanoseconds) is in the created range. */
    boolean selectsCreated(long created) {
        return (createdFromNanos == EpochNanos.UNSET || created >= createdFromNanos)
                && (createdToNanos == EpochNanos.UNSET || created < createdToNanos);
    }

    /** Whether an end time (epoch nanoseconds, {@link EpochNanos#UNSET} if not ended) is in the finished range. */
    boolean selectsFinished(long ended) {
        if (finishedFromNanos == EpochNanos.UNSET && finishedToNanos == EpochNanos.UNSET) {
            return true;
        }
        return ended != EpochNanos.UNSET && (finishedFromNanos == EpochNanos.UNSET || ended >= finishedFromNanos)
                && (finishedToNanos == EpochNanos.UNSET || ended < finishedToNanos);
    }

    /** Whether a task's labels carry every label the query asks for. */
    boolean selectsLabels(Map<String, String> taskLabels) {
        if (labels.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(taskLabels.get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a task in {@code state} is in one of the selected states. */
    boolean selectsState(TaskState state, boolean abortRequested, boolean stalled) {
        switch (state) {
            case CREATED:
                return states.contains(State.CREATED) || (abortRequested && states.contains(State.ABORT_REQUESTED));
            case RUNNING:
                return states.contains(State.RUNNING) || (stalled && states.contains(State.STALLED))
                        || (abortRequested && states.contains(State.ABORT_REQUESTED));
            case DONE:
                return states.contains(State.DONE);
            case FAILED:
                return states.contains(abortRequested ? State.ABORTED : State.FAILED);
            default:
                return false;
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TaskQuery[");
        append(s, "module", module);
        append(s, "states", states.isEmpty() ? null : states);
        append(s, "type", type);
        append(s, "kind", kind);
        append(s, "scope", scope);
        append(s, "keyspace", keyspace);
        append(s, "table", table);
        append(s, "entityPrefix", entityPrefix);
        append(s, "parent", parent);
        append(s, "labels", labels.isEmpty() ? null : labels);
        append(s, "createdFrom", createdFrom);
        append(s, "createdTo", createdTo);
        append(s, "finishedFrom", finishedFrom);
        append(s, "finishedTo", finishedTo);
        append(s, "userTask", userTask);
        append(s, "includeInternal", includeInternal ? true : null);
        s.append("order=").append(order).append(descending ? " descending" : "").append(", limit=").append(limit);
        if (cursor != null) {
            s.append(", after=").append(cursor);
        }
        return s.append(']').toString();
    }

    private static void append(StringBuilder s, String name, Object value) {
        if (value != null) {
            s.append(name).append('=').append(value).append(", ");
        }
    }

    /**
     * Configures a {@link TaskQuery}. Each setting may be given once (a label once per key): a
     * repeated setting is rejected naming the value already given. {@code null} arguments are
     * rejected; leave a filter unset to match everything. Not thread-safe.
     */
    public static final class Builder {
        private String module;
        private EnumSet<State> states;
        private String type;
        private TaskKind kind;
        private String scope;
        private String keyspace;
        private String table;
        private String entityPrefix;
        private UUID parent;
        private LinkedHashMap<String, String> labels;
        private Instant createdFrom;
        private Instant createdTo;
        private Instant finishedFrom;
        private Instant finishedTo;
        private Boolean userTask;
        private Boolean includeInternal;
        private Order order;
        private Boolean descending;
        private Integer limit;
        private TaskCursor cursor;
        /** Copied from a query: its settings may each be replaced once. */
        private boolean copied;

        private Builder() {
        }

        /** Only this module's tasks. */
        public Builder module(String module) {
            this.module = set("module", this.module, Objects.requireNonNull(module, "module"));
            return this;
        }

        /** Only tasks in one of these states (see {@link State}). */
        public Builder states(State... states) {
            Objects.requireNonNull(states, "states");
            if (states.length == 0) {
                throw new IllegalArgumentException("states must name at least one state");
            }
            EnumSet<State> set = EnumSet.noneOf(State.class);
            for (State state : states) {
                set.add(Objects.requireNonNull(state, "state"));
            }
            this.states = set("states", this.states, set);
            return this;
        }

        /** Only tasks of this exact type. */
        public Builder type(String type) {
            this.type = set("type", this.type, Objects.requireNonNull(type, "type"));
            return this;
        }

        /** Only node tasks, or only cluster tasks. */
        public Builder kind(TaskKind kind) {
            this.kind = set("kind", this.kind, Objects.requireNonNull(kind, "kind"));
            return this;
        }

        /** Only tasks of this exact scope. */
        public Builder scope(String scope) {
            this.scope = set("scope", this.scope, Objects.requireNonNull(scope, "scope"));
            return this;
        }

        /** Only tasks on this exact keyspace. */
        public Builder keyspace(String keyspace) {
            this.keyspace = set("keyspace", this.keyspace, Objects.requireNonNull(keyspace, "keyspace"));
            return this;
        }

        /** Only tasks on this exact table. */
        public Builder table(String table) {
            this.table = set("table", this.table, Objects.requireNonNull(table, "table"));
            return this;
        }

        /** Only tasks whose entity starts with this prefix. */
        public Builder entityPrefix(String prefix) {
            this.entityPrefix = set("entityPrefix", this.entityPrefix, Objects.requireNonNull(prefix, "entityPrefix"));
            return this;
        }

        /**
         * Only the registered children of this task. Children are internal by default: add
         * {@link #includeInternal(boolean) includeInternal(true)} to see those.
         */
        public Builder parent(UUID parent) {
            this.parent = set("parent", this.parent, Objects.requireNonNull(parent, "parent"));
            return this;
        }

        /** Only tasks carrying this label with this value; several labels must all match. */
        public Builder label(String key, String value) {
            Labels.validate(key, value);
            if (labels == null) {
                labels = new LinkedHashMap<>();
            }
            String previous = labels.putIfAbsent(key, value);
            if (previous != null && !copied) {
                throw new IllegalStateException("label '" + key + "' was already set to '" + previous + "'");
            }
            labels.put(key, value);
            return this;
        }

        /** Only tasks created at or after {@code from} and before {@code to}; either may be {@code null}. */
        public Builder created(Instant from, Instant to) {
            requireRange("created", from, to);
            this.createdFrom = set("createdFrom", this.createdFrom, from);
            this.createdTo = set("createdTo", this.createdTo, to);
            return this;
        }

        /**
         * Only tasks that ended at or after {@code from} and before {@code to}; either may be
         * {@code null}. Setting it selects ended tasks only.
         */
        public Builder finished(Instant from, Instant to) {
            requireRange("finished", from, to);
            this.finishedFrom = set("finishedFrom", this.finishedFrom, from);
            this.finishedTo = set("finishedTo", this.finishedTo, to);
            return this;
        }

        /** Only user tasks ({@code true}) or only the others ({@code false}). */
        public Builder userTask(boolean userTask) {
            this.userTask = set("userTask", this.userTask, userTask);
            return this;
        }

        /** Whether internal tasks are selected too (default false). */
        public Builder includeInternal(boolean include) {
            this.includeInternal = set("includeInternal", this.includeInternal, include);
            return this;
        }

        /** The order of the answer (default {@link Order#CREATED}). */
        public Builder order(Order order) {
            this.order = set("order", this.order, Objects.requireNonNull(order, "order"));
            return this;
        }

        /** Reverses the order: newest first (default false). */
        public Builder descending(boolean descending) {
            this.descending = set("descending", this.descending, descending);
            return this;
        }

        /**
         * The most tasks per page, from 1 to {@link #MAX_LIMIT} (default {@link #DEFAULT_LIMIT}).
         *
         * @throws IllegalArgumentException if out of range
         */
        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
            }
            this.limit = set("limit", this.limit, limit);
            return this;
        }

        /** Starts strictly after this key: the {@link TaskPage#next()} of the previous page. */
        public Builder after(TaskCursor cursor) {
            this.cursor = set("cursor", this.cursor, Objects.requireNonNull(cursor, "cursor"));
            return this;
        }

        /** Builds the query. */
        public TaskQuery build() {
            return new TaskQuery(this);
        }

        private <V> V set(String setting, V current, V value) {
            if (current != null && !copied) {
                throw new IllegalStateException(setting + " was already set to " + current);
            }
            return value;
        }

        private static void requireRange(String name, Instant from, Instant to) {
            if (from != null && to != null && from.isAfter(to)) {
                throw new IllegalArgumentException(name + " range is empty: from " + from + " is after to " + to);
            }
        }
    }
}
