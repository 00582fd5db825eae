package dev.taskmanager.benchmarks;

import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskPage;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TrackedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Query pages over 1,000,000 tasks in one module (docs/spec.md §22): 990,000 finished and retained,
 * 10,000 (every hundredth) running; ten types and ten tenants (labels) in rotation. Each page holds
 * 100 tasks and starts at a random point of the creation order (a cursor taken from the tasks), as a
 * client paging through would. Target: a filtered page of 100 in under 100 µs.
 *
 * <p>Run: {@code java -jar taskmanager-benchmarks/target/benchmarks.jar QueryBenchmark}. On a loaded
 * machine, by CPU time ({@link CpuTime}): {@code java -Xmx3g -Xms3g -cp
 * taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.CpuTime
 * pageByType1,pageByLabel1,pageByType4,pageByLabel4 ops=2000 rounds=9 warmup=3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Xms3g"})
public class QueryBenchmark {
    private static final int TASKS = 1_000_000;
    private static final String[] TYPES = new String[10];
    private static final String[] TENANTS = new String[10];

    static {
        for (int i = 0; i < 10; i++) {
            TYPES[i] = "type-" + i;
            TENANTS[i] = "tenant-" + i;
        }
    }

    @Param({"1", "4"})
    public int shards;

    private final AtomicLong nanos = new AtomicLong();
    private TaskManager taskManager;
    private TaskModule module;
    private TaskCursor[] cursors;
    private TaskQuery all;
    private TaskQuery byType;
    private TaskQuery byLabel;
    private TaskQuery running;
    private TaskQuery byTypeNewestFirst;

    @Setup
    public void setUp() {
        // No stop bound: the 10,000 running tasks are tracked, nobody would end them at close.
        taskManager = TaskManager.builder().shards(shards).ticker(nanos::get).taskTtl(Duration.ofHours(1))
                .housekeepingInterval(Duration.ZERO).stopTimeout(Duration.ZERO).build();
        module = taskManager.module("bench");
        for (int i = 0; i < TASKS; i++) {
            TrackedTask task = module.task(TYPES[i % 10]).shard(i % shards).label("tenant", TENANTS[(i / 10) % 10])
                    .track();
            task.start();
            if (i % 100 != 0) {
                task.complete();
            }
        }
        all = TaskQuery.builder().limit(100).build();
        byType = TaskQuery.builder().type(TYPES[3]).limit(100).build();
        byLabel = TaskQuery.builder().label("tenant", TENANTS[7]).limit(100).build();
        running = TaskQuery.builder().states(TaskQuery.State.RUNNING).limit(100).build();
        byTypeNewestFirst = TaskQuery.builder().type(TYPES[3]).descending(true).limit(100).build();
        List<TaskCursor> points = new ArrayList<>();
        TaskQuery sample = TaskQuery.builder().limit(1000).build();
        TaskPage page = taskManager.query(sample);
        while (page.hasNext()) {
            points.add(page.next());
            page = taskManager.query(sample.withCursor(page.next()));
        }
        cursors = points.toArray(new TaskCursor[0]);
    }

    @TearDown
    public void tearDown() {
        taskManager.close();
    }

    private TaskCursor randomCursor() {
        return cursors[ThreadLocalRandom.current().nextInt(cursors.length)];
    }

    /** A page of 100 with no filter. */
    @Benchmark
    public TaskPage pageOf100() {
        return taskManager.query(all.withCursor(randomCursor()));
    }

    /** A page of 100 of one type: one task in ten matches. */
    @Benchmark
    public TaskPage pageOf100FilteredByType() {
        return taskManager.query(byType.withCursor(randomCursor()));
    }

    /** The same, newest first. */
    @Benchmark
    public TaskPage pageOf100FilteredByTypeNewestFirst() {
        return taskManager.query(byTypeNewestFirst.withCursor(randomCursor()));
    }

    /** A page of 100 of one tenant (a label): one task in ten matches. */
    @Benchmark
    public TaskPage pageOf100FilteredByLabel() {
        return taskManager.query(byLabel.withCursor(randomCursor()));
    }

    /** A page of 100 running tasks: one task in a hundred matches. */
    @Benchmark
    public TaskPage pageOf100Running() {
        return taskManager.query(running.withCursor(randomCursor()));
    }

    /** Counting the running tasks: a visit of all 1,000,000. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long countRunning() {
        return taskManager.count(running);
    }
}
