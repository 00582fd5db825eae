package dev.taskmanager.benchmarks.store;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.store.HistoryPage;
import dev.taskmanager.store.HistoryStore;
import dev.taskmanager.store.StoredTask;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reads from a history of 1,000,000 stored root tasks (plus their children): a task by id (target:
 * under 1 ms) and a filtered page of 100 (target: under 10 ms). The history is built once per engine by the real writer (about a minute) under
 * {@code taskmanager-benchmarks/target/store-bench} and reused by later runs.
 *
 * <p>Run: {@code java -jar taskmanager-benchmarks/target/benchmarks.jar StoreReadBenchmark}
 * ({@code -p engine=sqlite} or {@code -p engine=postgres} for one engine).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StoreReadBenchmark {
    static final long ROOTS = 1_000_000;

    @Param({"sqlite", "postgres"})
    public String engine;

    private BenchStores postgres;
    private HistoryStore history;
    private UUID[] ids;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        HistoryStore.Builder builder;
        if (engine.equals("postgres")) {
            postgres = BenchStores.postgres("read-postgres");
            builder = postgres.builder();
        } else {
            builder = BenchStores.sqlite("read-sqlite", false);
        }
        try (TaskManager tm = TaskManager.builder().taskTtl(Duration.ZERO).build();
             HistoryStore writer = builder.taskManager(tm).retention(Duration.ZERO).maxTasks(0).open()) {
            long have = BenchStores.scalar(jdbcUrl(), "SELECT count(*) FROM tasks WHERE parent_id IS NULL");
            if (have < ROOTS) {
                System.out.printf("%nBuilding the history: %,d root tasks to add%n", ROOTS - have);
                BenchStores.produce(tm, writer, ROOTS - have, 50_000);
                BenchStores.flush(writer);
            }
        }
        // fresh statistics, as the writer keeps them (hourly) and autovacuum does on PostgreSQL
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(postgres != null ? "ANALYZE tasks" : "ANALYZE");
        }
        history = (engine.equals("postgres") ? postgres.builder() : BenchStores.sqlite("read-sqlite", false)).open();
        ids = sampleIds(10_000);
    }

    private String jdbcUrl() {
        return postgres != null ? postgres.url() : BenchStores.sqliteUrl("read-sqlite");
    }

    /** Ids of stored tasks, spread over the whole table. */
    private UUID[] sampleIds(int count) throws Exception {
        List<UUID> sample = new ArrayList<>(count);
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT id FROM tasks WHERE parent_id IS NULL ORDER BY created LIMIT "
                     + ROOTS)) {
            int every = (int) (ROOTS / count);
            for (int i = 0; rows.next(); i++) {
                if (i % every == 0) {
                    Object id = rows.getObject(1);
                    sample.add(id instanceof UUID ? (UUID) id : BenchStores.uuid(rows.getBytes(1)));
                }
            }
        }
        return sample.toArray(new UUID[0]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        history.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * A filtered page of 100: the newest root tasks of one module (a quarter of the history), newest
     * first, read through the module's index backwards. Target: under 10 ms.
     */
    @Benchmark
    public List<StoredTask> newestPageOfAModule() {
        return history.recent("repair", 100);
    }

    /**
     * A filtered page of 100 through the v2 query: the newest failed tasks of one module (a tenth of
     * its quarter of the history), which the module's index serves newest first, skipping the rest.
     * Target: under 10 ms.
     */
    @Benchmark
    public HistoryPage newestFailedPageOfAModule() {
        return history.query(FAILED_REPAIRS);
    }

    private static final TaskQuery FAILED_REPAIRS = TaskQuery.builder().module("repair")
            .states(TaskQuery.State.FAILED).descending(true).limit(100).build();

    /** One task by id, with every column read back into a snapshot. */
    @Benchmark
    public Optional<StoredTask> findById() {
        return history.find(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }
}
