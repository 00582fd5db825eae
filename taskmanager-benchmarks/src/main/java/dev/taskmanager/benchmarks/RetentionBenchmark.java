package dev.taskmanager.benchmarks;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W5: heap retained per finished root task kept under a TTL, with 1,000,000 of them, and the time to
 * expire them all in one housekeeping pass once their TTL is up. The heap figure is reported as the
 * auxiliary counter {@code retainedBytesPerTask} (measured after full GCs, so it is the steady-state
 * footprint: the task object, its id, its registry entry and its expiry slot). Target: at most 400.
 * JMH sums auxiliary counters over iterations, so this runs one measured iteration: the figures
 * are per run.
 *
 * <p>Run: {@code java -jar taskmanager-benchmarks/target/benchmarks.jar RetentionBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
public class RetentionBenchmark {
    private static final int TASKS = 1_000_000;

    /** A monotonic clock the benchmark moves by hand, so expiry happens exactly when asked. */
    private final AtomicLong nanos = new AtomicLong();
    private TaskManager taskManager;
    private TaskModule module;

    /** The auxiliary figures JMH prints next to the timing. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        /** Bytes of heap per retained finished root task. */
        public long retainedBytesPerTask;
        /** Milliseconds one housekeeping pass took to expire all of them. */
        public long expireAllMillis;
    }

    @Setup(Level.Iteration)
    public void setUp() {
        taskManager = TaskManager.builder().ticker(nanos::get).taskTtl(Duration.ofHours(1))
                .housekeepingInterval(Duration.ZERO).build();
        module = taskManager.module("bench");
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        taskManager.close();
    }

    /** Creates, runs and finishes a million roots that stay retained; reports bytes per task. */
    @Benchmark
    public int w5RetainMillionFinishedRoots(Footprint footprint) {
        long before = usedHeapAfterGc();
        for (int i = 0; i < TASKS; i++) {
            TrackedTask task = module.task("bench").scope("node").track();
            task.start();
            task.complete();
        }
        long after = usedHeapAfterGc();
        footprint.retainedBytesPerTask = (after - before) / TASKS;

        nanos.addAndGet(Duration.ofHours(1).toNanos());
        long start = System.nanoTime();
        int expired = taskManager.cleanUp();
        footprint.expireAllMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (expired != TASKS) {
            throw new IllegalStateException("expired " + expired + " of " + TASKS);
        }
        return expired;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
