package dev.taskmanager.store;

import dev.taskmanager.AbortRequest;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskProgress;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

/**
 * The one mapping between a {@link TaskStatus} and a row of {@code tasks}: the column list, the
 * upsert, binding a snapshot and reading one back. Stateless.
 */
final class TaskRows {
    /** Every column, in binding order. */
    static final List<String> COLUMNS = List.of("id", "node", "module", "type", "kind", "scope", "state",
            "abortable", "user_task", "internal", "parent_id", "sequence_number", "shard", "keyspace",
            "table_name", "entity", "progress_units", "progress_completed", "progress_total", "error",
            "created", "started", "ended", "updated", "abort_reason", "abort_requested_by",
            "abort_requested_at", "rate", "eta_millis", "stalled", "deadline", "labels", "children",
            "written");

    /** The columns as a select list. */
    static final String SELECT_LIST = "tasks." + String.join(", tasks.", COLUMNS);

    /**
     * Inserts a task or updates its row, unless the row already holds a final state: a terminal state
     * never changes again (SPEC §2.1), whatever arrives late. {@code created} is written once.
     */
    static final String UPSERT = upsert();

    private static final String TERMINAL = "('done', 'failed')";

    private TaskRows() {
    }

    private static String upsert() {
        StringBuilder sql = new StringBuilder("INSERT INTO tasks (").append(String.join(", ", COLUMNS))
                .append(") VALUES (").append("?, ".repeat(COLUMNS.size() - 1)).append("?) ON CONFLICT (id) DO UPDATE SET ");
        boolean first = true;
        for (String column : COLUMNS) {
            if (column.equals("id") || column.equals("created")) {
                continue;
            }
            if (!first) {
                sql.append(", ");
            }
            first = false;
            sql.append(column).append(" = excluded.").append(column);
        }
        return sql.append(" WHERE tasks.state NOT IN ").append(TERMINAL).toString();
    }

    /** The states a task is in until it ends: {@code created}, {@code running} (and the reserved {@code suspended}). */
    static final String UNFINISHED = "('created', 'running', 'suspended')";

    /**
     * Binds one snapshot to {@link #UPSERT}.
     *
     * @param created when the task was created, in epoch nanoseconds
     * @param written when this row is written, in epoch nanoseconds
     */
    static void bind(PreparedStatement s, Dialect dialect, TaskStatus t, String node, long created, long written)
            throws SQLException {
        int i = 0;
        dialect.setId(s, ++i, t.id());
        s.setString(++i, clean(node));
        s.setString(++i, clean(t.module()));
        s.setString(++i, clean(t.type()));
        s.setString(++i, t.kind().name().toLowerCase(Locale.ROOT));
        s.setString(++i, clean(t.scope()));
        s.setString(++i, t.state().wireName());
        dialect.setBoolean(s, ++i, t.abortable());
        dialect.setBoolean(s, ++i, t.userTask());
        dialect.setBoolean(s, ++i, t.internal());
        dialect.setId(s, ++i, t.parentId());
        s.setLong(++i, t.sequenceNumber());
        s.setInt(++i, t.shard());
        s.setString(++i, clean(t.keyspace()));
        s.setString(++i, clean(t.table()));
        s.setString(++i, clean(t.entity()));
        s.setString(++i, clean(t.progressUnits()));
        s.setDouble(++i, t.progress().completed());
        s.setDouble(++i, t.progress().total());
        s.setString(++i, clean(t.error()));
        s.setLong(++i, created);
        setNanos(s, ++i, t.startTime());
        setNanos(s, ++i, t.endTime());
        s.setLong(++i, t.updatedTime() != null ? nanos(t.updatedTime()) : written);
        AbortRequest abort = t.abortRequest();
        if (abort == null) {
            s.setNull(++i, Types.VARCHAR);
            s.setNull(++i, Types.VARCHAR);
            s.setNull(++i, Types.BIGINT);
        } else {
            s.setString(++i, clean(abort.reason()));
            s.setString(++i, clean(abort.requestedBy()));
            s.setLong(++i, nanos(abort.requestedAt()));
        }
        if (t.rate() == null) {
            s.setNull(++i, Types.DOUBLE);
        } else {
            s.setDouble(++i, t.rate());
        }
        if (t.eta() == null) {
            s.setNull(++i, Types.BIGINT);
        } else {
            s.setLong(++i, t.eta().toMillis());
        }
        dialect.setBoolean(s, ++i, t.stalled());
        setNanos(s, ++i, t.deadline());
        dialect.setLabels(s, ++i, LabelsJson.write(cleanLabels(t.labels())));
        s.setBytes(++i, children(t.children()));
        s.setLong(++i, written);
    }

    /**
     * When the task was created, in epoch nanoseconds: the core's stamp, the first part of its
     * ordering key ({@code null} only from a cluster provider that does not know: the start time, else
     * the time of the first write, which the upsert keeps).
     */
    static long createdNanos(TaskStatus status, long written) {
        if (status.createdTime() != null) {
            return nanos(status.createdTime());
        }
        return status.startTime() != null ? nanos(status.startTime()) : written;
    }

    private static Map<String, String> cleanLabels(Map<String, String> labels) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().indexOf('\0') >= 0 || label.getValue().indexOf('\0') >= 0) {
                Map<String, String> clean = new LinkedHashMap<>();
                labels.forEach((k, v) -> clean.put(clean(k), clean(v)));
                return clean;
            }
        }
        return labels;
    }

    /** The task in the current row of {@code rows} (selected with {@link #SELECT_LIST}). */
    static StoredTask read(ResultSet rows, Dialect dialect) throws SQLException {
        TaskStatus status = new TaskStatus(
                dialect.getId(rows, "id"),
                rows.getString("module"),
                rows.getString("type"),
                TaskKind.valueOf(rows.getString("kind").toUpperCase(Locale.ROOT)),
                rows.getString("scope"),
                TaskState.valueOf(rows.getString("state").toUpperCase(Locale.ROOT)),
                rows.getBoolean("abortable"),
                instant(rows, "started"),
                instant(rows, "ended"),
                rows.getString("error"),
                dialect.getId(rows, "parent_id"),
                rows.getLong("sequence_number"),
                rows.getInt("shard"),
                rows.getString("keyspace"),
                rows.getString("table_name"),
                rows.getString("entity"),
                rows.getString("progress_units"),
                new TaskProgress(rows.getDouble("progress_completed"), rows.getDouble("progress_total")),
                children(rows.getBytes("children")),
                rows.getBoolean("user_task"),
                rows.getBoolean("internal"),
                instant(rows, "created"),
                instant(rows, "updated"),
                abortRequest(rows),
                rate(rows),
                eta(rows),
                rows.getBoolean("stalled"),
                instant(rows, "deadline"),
                LabelsJson.read(rows.getString("labels")));
        return new StoredTask(status, rows.getString("node"), instant(rows.getLong("written")));
    }

    private static AbortRequest abortRequest(ResultSet rows) throws SQLException {
        Instant at = instant(rows, "abort_requested_at");
        return at == null ? null
                : new AbortRequest(rows.getString("abort_reason"), rows.getString("abort_requested_by"), at);
    }

    private static Double rate(ResultSet rows) throws SQLException {
        double rate = rows.getDouble("rate");
        return rows.wasNull() ? null : rate;
    }

    private static Duration eta(ResultSet rows) throws SQLException {
        long millis = rows.getLong("eta_millis");
        return rows.wasNull() ? null : Duration.ofMillis(millis);
    }

    static void setNanos(PreparedStatement s, int index, Instant time) throws SQLException {
        if (time == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, nanos(time));
        }
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        long nanos = rows.getLong(column);
        return rows.wasNull() ? null : instant(nanos);
    }

    /**
     * Nanoseconds since the epoch; instants past what a {@code long} holds (before 1677 or after
     * 2262) are clamped to its range.
     */
    static long nanos(Instant time) {
        try {
            return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        } catch (ArithmeticException e) {
            return time.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** The ids as 16 bytes each, or {@code null} for none. */
    static byte[] children(List<UUID> ids) {
        if (ids.isEmpty()) {
            return null;
        }
        byte[] bytes = new byte[16 * ids.size()];
        int at = 0;
        for (UUID id : ids) {
            System.arraycopy(Dialect.bytes(id), 0, bytes, at, 16);
            at += 16;
        }
        return bytes;
    }

    static List<UUID> children(byte[] bytes) {
        if (bytes == null) {
            return List.of();
        }
        List<UUID> ids = new ArrayList<>(bytes.length / 16);
        for (int at = 0; at + 16 <= bytes.length; at += 16) {
            ids.add(Dialect.uuid(bytes, at));
        }
        return ids;
    }

    /**
     * The text with NUL characters replaced: PostgreSQL refuses them in {@code text}, and a task's
     * entity or error may hold anything. The same on both engines, so that both store the same.
     */
    static String clean(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
