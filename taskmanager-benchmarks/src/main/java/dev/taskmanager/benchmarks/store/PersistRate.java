package dev.taskmanager.benchmarks.store;

import dev.taskmanager.TaskManager;
import dev.taskmanager.store.HistoryStore;
import java.time.Duration;

/**
 * How many finished root tasks per second the history store persists, sustained, and how many bytes
 * each takes on disk. Not JMH: the rate of an asynchronous writer is measured end to end, from the
 * first task created to the last one committed. The producer creates and finishes tasks as fast as
 * the writer takes them (it pauses while more than 50,000 wait, so nothing is dropped); each task is
 * a real {@code TrackedTask} whose final status the writer upserts (a fiftieth carry two children,
 * which are stored too and counted in the bytes, not in the rate).
 *
 * <p>Run (after {@code ./mvnw -q -pl taskmanager-benchmarks -am package -DskipTests}):
 * <pre>
 * java -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.store.PersistRate sqlite 500000
 * java -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.store.PersistRate postgres 500000
 * </pre>
 * Targets: at least 50,000 tasks/s into SQLite and 20,000/s into PostgreSQL. {@code -Dstore.maxBatch=N}
 * sets the rows per transaction (default 10,000, the store's default).
 */
public final class PersistRate {
    private PersistRate() {
    }

    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "sqlite";
        long count = args.length > 1 ? Long.parseLong(args[1]) : 500_000;
        BenchStores postgres = engine.equals("postgres") ? BenchStores.postgres("persist-postgres") : null;
        try (TaskManager tm = TaskManager.builder().taskTtl(Duration.ZERO).build()) {
            HistoryStore.Builder builder;
            if (postgres != null) {
                postgres.truncate();
                builder = postgres.builder();
            } else {
                builder = BenchStores.sqlite("persist-sqlite", true);
            }
            builder.maxBatch(Integer.getInteger("store.maxBatch", 10_000));
            try (HistoryStore store = builder.taskManager(tm).retention(Duration.ZERO).maxTasks(0).open()) {
                BenchStores.produce(tm, store, Math.min(20_000, count), 50_000); // warm-up
                BenchStores.flush(store);
                long written = store.health().writtenTotal();
                long start = System.nanoTime();
                BenchStores.produce(tm, store, count, 50_000);
                BenchStores.flush(store);
                double seconds = (System.nanoTime() - start) / 1e9;
                long rows = store.health().writtenTotal() - written;
                System.out.printf("%s: %,d root tasks (%,d rows with children and checkpoints) in %.2f s: %,.0f root tasks/s%n",
                        store.description(), count, rows, seconds, count / seconds);
            }
            if (postgres != null) {
                long[] size = postgres.postgresSize();
                System.out.printf("PostgreSQL table and indexes: %,d bytes for %,d rows: %.0f bytes/row%n",
                        size[0], size[1], (double) size[0] / size[1]);
            } else {
                long bytes = BenchStores.sqliteBytes("persist-sqlite");
                long rows = BenchStores.sqliteRows("persist-sqlite");
                System.out.printf("SQLite files: %,d bytes for %,d rows: %.0f bytes/row%n", bytes, rows,
                        (double) bytes / rows);
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
