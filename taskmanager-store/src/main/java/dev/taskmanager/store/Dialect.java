package dev.taskmanager.store;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * What differs between the engines: how ids and booleans travel, where the migrations are, how a
 * label filter and an upsert are written, which errors mean "the store is unreachable or full" rather
 * than "this row is bad". Everything else is plain SQL shared by both. Stateless and thread-safe.
 */
abstract class Dialect {

    /** The engine's name in messages and logs. */
    abstract String name();

    /** The Flyway location of this engine's versioned migrations. */
    abstract String migrations();

    /** Binds an id (or NULL). */
    abstract void setId(PreparedStatement statement, int index, UUID id) throws SQLException;

    /** Reads an id column (or null). */
    abstract UUID getId(ResultSet rows, String column) throws SQLException;

    /** Binds a boolean. */
    abstract void setBoolean(PreparedStatement statement, int index, boolean value) throws SQLException;

    /** Binds a labels JSON object (or NULL). */
    abstract void setLabels(PreparedStatement statement, int index, String json) throws SQLException;

    /**
     * A condition true when the task's labels hold {@code key} with {@code value}, taking two
     * parameters: the key, then the value.
     */
    abstract String labelCondition();

    /**
     * Refreshes the planner's statistics, which tell it that one module's tasks are a quarter of the
     * table rather than a handful (without them PostgreSQL sorts a quarter of a million rows for a
     * page of 100).
     */
    abstract String refreshStatistics();

    /** {@code greatest(a, b)}: {@code max} in SQLite, {@code greatest} in PostgreSQL. */
    abstract String greatest(String a, String b);

    /**
     * Whether an error means that the store cannot be written to now (unreachable, shut down, full,
     * busy, out of resources) as opposed to a statement or a row it rejects. The writer keeps rows it
     * could not write for the first kind and retries; for the second it looks for the rows at fault.
     */
    abstract boolean isUnavailable(SQLException e);

    /** The 16 bytes of an id, most significant first: unsigned comparison of these is the id order. */
    static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
    }

    /** The id in {@code bytes} at {@code offset}. */
    static UUID uuid(byte[] bytes, int offset) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** SQLite: ids as 16-byte blobs, booleans as 0/1, labels as JSON text. */
    static final class Sqlite extends Dialect {
        static final Sqlite INSTANCE = new Sqlite();

        @Override
        String name() {
            return "SQLite";
        }

        @Override
        String migrations() {
            return "classpath:dev/taskmanager/store/migration/sqlite";
        }

        @Override
        void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            if (id == null) {
                statement.setNull(index, java.sql.Types.BLOB);
            } else {
                statement.setBytes(index, bytes(id));
            }
        }

        @Override
        UUID getId(ResultSet rows, String column) throws SQLException {
            byte[] bytes = rows.getBytes(column);
            return bytes == null ? null : uuid(bytes, 0);
        }

        @Override
        void setBoolean(PreparedStatement statement, int index, boolean value) throws SQLException {
            statement.setInt(index, value ? 1 : 0);
        }

        @Override
        void setLabels(PreparedStatement statement, int index, String json) throws SQLException {
            statement.setString(index, json);
        }

        @Override
        String labelCondition() {
            return "EXISTS (SELECT 1 FROM json_each(tasks.labels) AS l WHERE l.key = ? AND l.value = ?)";
        }

        @Override
        String refreshStatistics() {
            return "PRAGMA optimize"; // analyzes only what changed enough since the last time
        }

        @Override
        String greatest(String a, String b) {
            return "max(" + a + ", " + b + ")";
        }

        @Override
        boolean isUnavailable(SQLException e) {
            // SQLITE_BUSY 5, LOCKED 6, NOMEM 7, READONLY 8, IOERR 10, CORRUPT 11, FULL 13, CANTOPEN 14,
            // PROTOCOL 15; extended codes keep the primary code in their low byte.
            int primary = e.getErrorCode() & 0xff;
            switch (primary) {
                case 5: case 6: case 7: case 8: case 10: case 11: case 13: case 14: case 15:
                    return true;
                default:
                    return e.getErrorCode() == 0; // a closed connection or pool, not an SQLite answer
            }
        }
    }

    /** PostgreSQL: native uuid and boolean, labels as jsonb. */
    static final class Postgres extends Dialect {
        static final Postgres INSTANCE = new Postgres();

        @Override
        String name() {
            return "PostgreSQL";
        }

        @Override
        String migrations() {
            return "classpath:dev/taskmanager/store/migration/postgresql";
        }

        @Override
        void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setObject(index, id, java.sql.Types.OTHER);
        }

        @Override
        UUID getId(ResultSet rows, String column) throws SQLException {
            return rows.getObject(column, UUID.class);
        }

        @Override
        void setBoolean(PreparedStatement statement, int index, boolean value) throws SQLException {
            statement.setBoolean(index, value);
        }

        @Override
        void setLabels(PreparedStatement statement, int index, String json) throws SQLException {
            statement.setObject(index, json, java.sql.Types.OTHER);
        }

        @Override
        String labelCondition() {
            return "tasks.labels ->> ? = ?";
        }

        @Override
        String refreshStatistics() {
            return "ANALYZE tasks"; // a sample of 30,000 rows whatever the size; autovacuum does it too, later
        }

        @Override
        String greatest(String a, String b) {
            return "greatest(" + a + ", " + b + ")";
        }

        @Override
        boolean isUnavailable(SQLException e) {
            String state = e.getSQLState();
            if (state == null) {
                return true; // the pool or the driver, not the server: no connection
            }
            // 08 connection exception, 53 insufficient resources (disk full, too many connections),
            // 57 operator intervention (admin shutdown, cannot connect now), 58 system error,
            // 40 transaction rollback (serialization, deadlock): all worth retrying as they are.
            return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                    || state.startsWith("58") || state.startsWith("40") || state.equals("XX000");
        }
    }
}
