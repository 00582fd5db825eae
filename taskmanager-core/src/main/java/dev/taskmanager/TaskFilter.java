package dev.taskmanager;

/**
 * Which tasks a listing returns (SPEC §12.1 {@code list_module_tasks}). Keyspace and table are exact
 * matches; an empty string means "no filter".
 *
 * @param includeInternal whether internal tasks are listed too
 * @param keyspace        exact keyspace to match, or {@code ""} for any
 * @param table           exact table to match, or {@code ""} for any
 */
public record TaskFilter(boolean includeInternal, String keyspace, String table) {
    /** The default listing: every non-internal task. */
    public static final TaskFilter DEFAULT = new TaskFilter(false, "", "");

    /** Treats {@code null} keyspace or table as "no filter". */
    public TaskFilter {
        keyspace = keyspace == null ? "" : keyspace;
        table = table == null ? "" : table;
    }

    /** This filter, listing internal tasks too when {@code include} is true. */
    public TaskFilter withInternal(boolean include) {
        return new TaskFilter(include, keyspace, table);
    }

    /** This filter, restricted to one keyspace. */
    public TaskFilter withKeyspace(String keyspace) {
        return new TaskFilter(includeInternal, keyspace, table);
    }

    /** This filter, restricted to one table. */
    public TaskFilter withTable(String table) {
        return new TaskFilter(includeInternal, keyspace, table);
    }

    /** Whether a task with these attributes passes the filter. */
    public boolean matches(boolean internal, String keyspace, String table) {
        return (includeInternal || !internal)
                && (this.keyspace.isEmpty() || this.keyspace.equals(keyspace))
                && (this.table.isEmpty() || this.table.equals(table));
    }
}
