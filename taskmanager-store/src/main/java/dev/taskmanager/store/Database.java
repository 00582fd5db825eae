package dev.taskmanager.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * One engine behind a connection pool: SQLite in WAL mode, or PostgreSQL. Opening it runs the
 * engine's Flyway migrations. Thread-safe: each caller borrows its own connection.
 */
final class Database implements AutoCloseable {
    /** The SQLite file inside the history directory. */
    static final String SQLITE_FILE = "tasks.db";
    /** SQLite's own checkpoint, past this many WAL pages, backs up the checkpoint thread. */
    static final int SQLITE_BACKSTOP_CHECKPOINT_PAGES = 10_000;
    private static final long CHECKPOINT_INTERVAL_NANOS = 250_000_000L;

    final Dialect dialect;
    /** The engine and where it is, without credentials, for messages. */
    final String description;
    private final HikariDataSource pool;
    /** PostgreSQL: opens a connection of its own, outside the pool (a fleet's listener); null for SQLite. */
    private volatile ConnectionFactory dedicated;
    private volatile boolean closing;
    private Thread checkpointer;

    private Database(Dialect dialect, String description, HikariDataSource pool) {
        this.dialect = dialect;
        this.description = description;
        this.pool = pool;
    }

    /**
     * The SQLite database {@value #SQLITE_FILE} in {@code directory} (which must exist), in WAL mode:
     * readers never wait for the writer. {@code synchronous=FULL} makes every commit durable even
     * across a power loss; with group commit that is one fsync per batch, not per task.
     */
    static Database sqlite(Path directory, int poolSize, Duration connectTimeout) {
        Path file = directory.resolve(SQLITE_FILE);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        config.setCacheSize(-8192); // KiB: 8 MiB of pages per connection, outside the Java heap
        // Checkpoints (copying the WAL back into the database) run on their own thread, so that the
        // writer's commits do not pay for them; SQLite's own only as a backstop, past 40 MiB of WAL.
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(SQLITE_BACKSTOP_CHECKPOINT_PAGES));
        config.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, String.valueOf(64L << 20));
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file);
        HikariConfig hikari = poolConfig("SQLite " + file, poolSize, connectTimeout);
        hikari.setDataSource(sqlite);
        Database db = open(Dialect.Sqlite.INSTANCE, "SQLite " + file, hikari);
        db.checkpointer = new Thread(db::checkpointLoop, "taskmanager-history-checkpoint");
        db.checkpointer.setDaemon(true);
        db.checkpointer.start();
        return db;
    }

    /**
     * SQLite only: every {@link #CHECKPOINT_INTERVAL_NANOS}, a passive checkpoint, which copies what
     * it can of the WAL into the database without waiting for the writer or the readers.
     */
    private void checkpointLoop() {
        while (!closing) {
            LockSupport.parkNanos(CHECKPOINT_INTERVAL_NANOS);
            if (closing) {
                return;
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException | RuntimeException e) {
                // the store is down or closing: the writer reports that; the next round tries again
            }
        }
    }

    /**
     * PostgreSQL at {@code url} ({@code jdbc:postgresql://host:port/db?...}); {@code user} and
     * {@code password} may be {@code null} when the URL carries them. Batched inserts are rewritten
     * into multi-row statements ({@code reWriteBatchedInserts}).
     */
    static Database postgres(String url, String user, String password, int poolSize, Duration connectTimeout) {
        String where = redact(url);
        HikariConfig hikari = poolConfig("PostgreSQL " + where, poolSize, connectTimeout);
        hikari.setJdbcUrl(url);
        hikari.setDriverClassName("org.postgresql.Driver");
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.addDataSourceProperty("ApplicationName", "taskmanager");
        hikari.addDataSourceProperty("connectTimeout", Math.max(1, connectTimeout.toSeconds()));
        hikari.addDataSourceProperty("socketTimeout", Math.max(30, 6 * connectTimeout.toSeconds()));
        Database db = open(Dialect.Postgres.INSTANCE, "PostgreSQL " + where, hikari);
        java.util.Properties properties = new java.util.Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "taskmanager-listener");
        properties.setProperty("connectTimeout", String.valueOf(Math.max(1, connectTimeout.toSeconds())));
        properties.setProperty("tcpKeepAlive", "true");
        db.dedicated = () -> java.sql.DriverManager.getConnection(url, properties);
        return db;
    }

    /** Opens a connection outside the pool. */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    /**
     * A new connection of its own, outside the pool, that the caller closes: a fleet node's one
     * listening connection ({@code LISTEN} holds a session for as long as it listens).
     *
     * @throws IllegalStateException for SQLite, which has no notifications
     */
    Connection dedicatedConnection() throws SQLException {
        ConnectionFactory factory = dedicated;
        if (factory == null) {
            throw new IllegalStateException(description + " has no notifications");
        }
        return factory.open();
    }

    private static HikariConfig poolConfig(String name, int poolSize, Duration connectTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("taskmanager-history");
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        hikari.setValidationTimeout(Math.max(250, Math.min(connectTimeout.toMillis(), 5_000)));
        // fail the open at once when the engine is unreachable, instead of starting without it
        hikari.setInitializationFailTimeout(1);
        return hikari;
    }

    private static Database open(Dialect dialect, String description, HikariConfig config) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new HistoryStoreException(description + ": cannot connect: " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(dialect.migrations())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new HistoryStoreException(description + ": schema migration failed: " + rootMessage(e), e);
        }
        return new Database(dialect, description, pool);
    }

    /** A connection from the pool, in auto-commit mode; close it to give it back. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** The URL without its password parameter, for messages and logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * An error in one line for logs and {@link StoreHealth#lastError()}: the message, and the root
     * cause's if it differs. A failed batch's own message, which quotes the whole statement, is
     * replaced by its cause's. At most 500 characters.
     */
    static String rootMessage(Throwable e) {
        Throwable shown = e;
        if (e instanceof BatchUpdateException) {
            Throwable next = e.getCause() != null ? e.getCause() : ((BatchUpdateException) e).getNextException();
            if (next != null) {
                shown = next;
            }
        }
        Throwable root = shown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(shown.getMessage());
        if (root != shown && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        return message.length() <= 500 ? message : message.substring(0, 497) + "...";
    }

    @Override
    public void close() {
        closing = true;
        Thread t = checkpointer;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.close();
    }
}
