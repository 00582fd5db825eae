package dev.taskmanager.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A query on the stored tasks, with the core's query semantics (docs/spec.md §22): every filter left
 * {@code null} matches everything, the ones given must all match; the order is {@code (created, id)}
 * or {@code (sequence_number, created, id)}, ascending or descending; a page continues strictly after
 * the cursor's key. Turned into one SQL statement whose order is served by an index.
 *
 * @param module          exact module, or null
 * @param states          the core's query states by wire name ({@code created}, {@code running},
 *                        {@code stalled}, {@code abort_requested}, {@code done}, {@code failed},
 *                        {@code aborted}); empty for every state
 * @param type            exact type, or null
 * @param kind            {@code node} or {@code cluster}, or null
 * @param scope           exact scope, or null
 * @param keyspace        exact keyspace, or null
 * @param table           exact table, or null
 * @param entityPrefix    the entity starts with this, or null
 * @param parent          the direct parent, or null
 * @param labels          labels a task must all carry with these values; empty for none
 * @param createdFrom     created at or after, or null
 * @param createdTo       created before, or null
 * @param finishedFrom    ended at or after (so ended), or null
 * @param finishedTo      ended before (so ended), or null
 * @param userTask        user tasks only (true), the others only (false), or both (null)
 * @param includeInternal whether internal tasks are selected too
 * @param bySequence      order by {@code (sequence_number, created, id)} instead of {@code (created, id)}
 * @param descending      newest (or highest) first
 * @param limit           the most tasks a page holds
 * @param after           the key the page starts strictly after, or null for the first page
 * @param node            only the tasks of this node ({@code tasks.node}), or null for every node's
 */
record QuerySpec(String module, Set<String> states, String type, String kind, String scope, String keyspace,
                 String table, String entityPrefix, UUID parent, Map<String, String> labels, Instant createdFrom,
                 Instant createdTo, Instant finishedFrom, Instant finishedTo, Boolean userTask,
                 boolean includeInternal, boolean bySequence, boolean descending, int limit, Key after,
                 String node) {

    /** An ordering key: a task's {@code (sequence_number, created, id)}. */
    record Key(long sequenceNumber, Instant created, UUID id) {
    }

    /** The SQL and its parameters, for one engine. */
    static final class Sql {
        final String text;
        private final List<Binder> params;

        private Sql(String text, List<Binder> params) {
            this.text = text;
            this.params = params;
        }

        void bind(PreparedStatement s) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).bind(s, i + 1);
            }
        }
    }

    /** Binds one parameter. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s, int index) throws SQLException;
    }

    /** The page: at most {@code limit + 1} rows, the extra one telling that more follow. */
    Sql page(Dialect dialect) {
        List<Binder> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(TaskRows.SELECT_LIST).append(" FROM tasks");
        List<String> conditions = conditions(dialect, params);
        if (after != null) {
            String op = descending ? "<" : ">";
            if (bySequence) {
                conditions.add("(tasks.sequence_number, tasks.created, tasks.id) " + op + " (?, ?, ?)");
                long sequence = after.sequenceNumber();
                params.add((s, i) -> s.setLong(i, sequence));
            } else {
                conditions.add("(tasks.created, tasks.id) " + op + " (?, ?)");
            }
            long created = TaskRows.nanos(after.created());
            UUID id = after.id();
            params.add((s, i) -> s.setLong(i, created));
            params.add((s, i) -> dialect.setId(s, i, id));
        }
        where(sql, conditions);
        String direction = descending ? " DESC" : "";
        sql.append(" ORDER BY ");
        if (bySequence) {
            sql.append("tasks.sequence_number").append(direction).append(", ");
        }
        // The limit is written out, not bound: PostgreSQL's generic plan for a prepared statement
        // does not know a bound LIMIT and then sorts every match instead of walking an index.
        sql.append("tasks.created").append(direction).append(", tasks.id").append(direction)
                .append(" LIMIT ").append(limit + 1);
        return new Sql(sql.toString(), params);
    }

    /** How many stored tasks match, the cursor aside. */
    Sql count(Dialect dialect) {
        List<Binder> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM tasks");
        where(sql, conditions(dialect, params));
        return new Sql(sql.toString(), params);
    }

    private static void where(StringBuilder sql, List<String> conditions) {
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
    }

    private List<String> conditions(Dialect dialect, List<Binder> params) {
        List<String> c = new ArrayList<>();
        String no = dialect instanceof Dialect.Postgres ? "false" : "0";
        String yes = dialect instanceof Dialect.Postgres ? "true" : "1";
        equal(c, params, "node", node);
        equal(c, params, "module", module);
        equal(c, params, "type", type);
        equal(c, params, "kind", kind == null ? null : kind.toLowerCase(Locale.ROOT));
        equal(c, params, "scope", scope);
        equal(c, params, "keyspace", keyspace);
        equal(c, params, "table_name", table);
        if (entityPrefix != null) {
            int length = entityPrefix.codePointCount(0, entityPrefix.length());
            c.add("substr(tasks.entity, 1, ?) = ?");
            params.add((s, i) -> s.setInt(i, length));
            params.add((s, i) -> s.setString(i, entityPrefix));
        }
        if (parent != null) {
            c.add("tasks.parent_id = ?");
            params.add((s, i) -> dialect.setId(s, i, parent));
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            c.add(dialect.labelCondition());
            params.add((s, i) -> s.setString(i, label.getKey()));
            params.add((s, i) -> s.setString(i, label.getValue()));
        }
        time(c, params, "created >= ?", createdFrom);
        time(c, params, "created < ?", createdTo);
        time(c, params, "ended >= ?", finishedFrom);
        time(c, params, "ended < ?", finishedTo);
        if (userTask != null) {
            c.add("tasks.user_task = " + (userTask ? yes : no));
        }
        if (!includeInternal) {
            c.add("tasks.internal = " + no);
        }
        if (!states.isEmpty()) {
            List<String> any = new ArrayList<>();
            for (String state : states) {
                any.add(stateCondition(state, yes));
            }
            c.add("(" + String.join(" OR ", any) + ")");
        }
        return c;
    }

    /**
     * One query state in SQL. The unfinished ones name the states of the {@code tasks_unfinished}
     * index so that a query for running tasks reads only that small index.
     */
    private static String stateCondition(String state, String yes) {
        switch (state) {
            case "created":
                return "tasks.state = 'created'";
            case "running":
                return "tasks.state = 'running'";
            case "stalled":
                return "(tasks.state = 'running' AND tasks.stalled = " + yes + ")";
            case "abort_requested":
                return "(tasks.state IN ('created', 'running') AND tasks.abort_requested_at IS NOT NULL)";
            case "done":
                return "tasks.state = 'done'";
            case "failed":
                return "(tasks.state = 'failed' AND tasks.abort_requested_at IS NULL)";
            case "aborted":
                return "(tasks.state = 'failed' AND tasks.abort_requested_at IS NOT NULL)";
            default:
                throw new IllegalArgumentException("unknown query state '" + state + "'");
        }
    }

    private static void equal(List<String> c, List<Binder> params, String column, String value) {
        if (value != null) {
            c.add("tasks." + column + " = ?");
            params.add((s, i) -> s.setString(i, value));
        }
    }

    private static void time(List<String> c, List<Binder> params, String condition, Instant value) {
        if (value != null) {
            long nanos = TaskRows.nanos(value);
            c.add("tasks." + condition);
            params.add((s, i) -> s.setLong(i, nanos));
        }
    }
}
