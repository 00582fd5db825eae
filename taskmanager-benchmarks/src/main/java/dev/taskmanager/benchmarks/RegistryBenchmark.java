package dev.taskmanager.benchmarks;

import dev.taskmanager.Task;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TrackedTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W3: listing a module of 100,000 running tasks (every summary built and consumed); W4: looking up a
 * task by id among 100,000, over 4 shards as well as 1. Each has a floor on a plain
 * {@link ConcurrentHashMap} of the same tasks: with 100,000 entries a random lookup is dominated
 * by cache misses, which the floor pays too. W3's floor does the listing's required work: it walks
 * 100,000 plain task objects in creation order and builds each one's {@link TaskStats} (the same
 * record, the same {@code Instant}s). Target: W3 at most 2x that floor. Listing an empty module beside the
 * 100,000 tasks of another must cost nothing like a scan of them.
 *
 * <p>Run: {@code java -jar taskmanager-benchmarks/target/benchmarks.jar RegistryBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryBenchmark {
    private static final int TASKS = 100_000;

    @Param({"1", "4"})
    public int shards;

    private TaskManager taskManager;
    private TaskModule module;
    private UUID[] ids;
    private final ConcurrentHashMap<UUID, Object> floorMap = new ConcurrentHashMap<>();
    private final List<FloorEntry> floorEntries = new ArrayList<>();
    private TaskModule emptyModule;

    /** The fields a listing summary is built from, as a plain registry would hold them. */
    static final class FloorEntry {
        final UUID id = UUID.randomUUID();
        final String module = "bench";
        final String type = "bench";
        final String scope = "";
        final String keyspace;
        final String table = "";
        final String entity = "";
        final long sequenceNumber;
        final int shard;
        final long created = System.currentTimeMillis() * 1_000_000L;
        final long start = created + 1000;
        volatile int state = 1;

        FloorEntry(String keyspace, long sequenceNumber, int shard) {
            this.keyspace = keyspace;
            this.sequenceNumber = sequenceNumber;
            this.shard = shard;
        }

        TaskStats stats() {
            return new TaskStats(id, module, state == 1 ? TaskState.RUNNING : TaskState.DONE, type, TaskKind.NODE,
                    scope, keyspace, table, entity, sequenceNumber, shard, Instant.ofEpochSecond(0, start), null,
                    Instant.ofEpochSecond(0, created), null, false, false, null, false, null, Map.of());
        }
    }

    @Setup
    public void setUp() {
        taskManager = TaskManager.builder().shards(shards).housekeepingInterval(Duration.ZERO)
                .stopTimeout(Duration.ZERO).build(); // its running tasks are tracked: nobody ends them at close
        module = taskManager.module("bench");
        ids = new UUID[TASKS];
        for (int i = 0; i < TASKS; i++) {
            TrackedTask task = module.task("bench").shard(i % shards).keyspace("ks" + (i % 10)).track();
            task.start();
            ids[i] = task.id();
            floorMap.put(task.id(), task);
            FloorEntry entry = new FloorEntry("ks" + (i % 10), i, i % shards);
            floorEntries.add(entry);
        }
        emptyModule = taskManager.module("empty");
    }

    @TearDown
    public void tearDown() {
        taskManager.close();
    }

    /** W3: list all 100,000 tasks of the module. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void w3List100kTasks(Blackhole blackhole) {
        module.tasks().forEach(blackhole::consume);
    }

    /** W3 with a keyspace filter that keeps a tenth of them. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void w3List100kTasksFilteredByKeyspace(Blackhole blackhole) {
        module.tasks(TaskFilter.DEFAULT.withKeyspace("ks3")).forEach(blackhole::consume);
    }

    /** A lower bound under W3's floor: walk a plain map of the same 100,000 tasks, touching nothing. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void floorIterate100kMapValues(Blackhole blackhole) {
        floorMap.values().forEach(blackhole::consume);
    }

    /**
     * W3's floor: walk 100,000 task objects in the order they were created (the cheapest walk there
     * is: sequential memory) and build each one's summary.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void floorList100kSummaries(Blackhole blackhole) {
        for (FloorEntry entry : floorEntries) {
            blackhole.consume(entry.stats());
        }
    }

    /** Listing a module with no tasks while another module holds 100,000. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long w3ListEmptyModuleBeside100k() {
        return emptyModule.tasks().count();
    }

    /** W4's floor: a plain map lookup among the same 100,000 ids (the cache misses are the same). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object floorMapGet() {
        return floorMap.get(ids[ThreadLocalRandom.current().nextInt(TASKS)]);
    }

    /** W4: find one task by id among 100,000. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Optional<Task> w4LookupById() {
        return taskManager.find(ids[ThreadLocalRandom.current().nextInt(TASKS)]);
    }
}
