package dev.taskmanager.benchmarks;

import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.micrometer.TaskManagerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot-path cost of metrics: W1 of {@link LifecycleBenchmark} (a root created, started, done and
 * unregistered with TTL 0) on three task managers that differ only in their listeners:
 * <ul>
 *   <li>{@code bare}: no listener (each event costs one volatile read);</li>
 *   <li>{@code emptyListener}: a listener that does nothing: the price of dispatching events to any
 *       listener, metrics or not (the core builds no final snapshot for it, nor for the metrics,
 *       which take the finished event's handle form);</li>
 *   <li>{@code metrics}: {@link TaskManagerMetrics} bound to a {@link PrometheusMeterRegistry}: per
 *       task two lock-free map reads per event, a running-count increment and decrement, an outcome
 *       counter and a timer with 18 histogram buckets.</li>
 * </ul>
 * {@code metrics − emptyListener} is what the binder adds; {@code metrics − bare} what turning
 * metrics on costs. One and two threads (the two threads finish tasks of the same type, so they share
 * the same meters).
 *
 * <p>Run: {@code java -jar taskmanager-benchmarks/target/benchmarks.jar MetricsBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {
    private TaskManager bare;
    private TaskModule bareModule;
    private TaskManager emptyListener;
    private TaskModule emptyListenerModule;
    private TaskManager metered;
    private TaskModule meteredModule;
    private TaskManagerMetrics metrics;

    private static TaskManager manager() {
        return TaskManager.builder().taskTtl(Duration.ZERO).housekeepingInterval(Duration.ZERO).build();
    }

    @Setup
    public void setUp() {
        bare = manager();
        bareModule = bare.module("bench");
        emptyListener = manager();
        emptyListener.addListener(new TaskListener() {
        });
        emptyListenerModule = emptyListener.module("bench");
        metered = manager();
        metrics = TaskManagerMetrics.builder(metered).build();
        metrics.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        meteredModule = metered.module("bench");
    }

    @TearDown
    public void tearDown() {
        metrics.close();
        bare.close();
        emptyListener.close();
        metered.close();
    }

    private static TrackedTask rootLifecycle(TaskModule module) {
        TrackedTask task = module.task("bench").track();
        task.start();
        task.complete();
        return task;
    }

    /** W1 without listeners, one thread. */
    @Benchmark
    @Threads(1)
    public TrackedTask w1Bare1Thread() {
        return rootLifecycle(bareModule);
    }

    /** W1 with a listener that does nothing, one thread. */
    @Benchmark
    @Threads(1)
    public TrackedTask w1EmptyListener1Thread() {
        return rootLifecycle(emptyListenerModule);
    }

    /** W1 with the metrics bound, one thread. */
    @Benchmark
    @Threads(1)
    public TrackedTask w1Metrics1Thread() {
        return rootLifecycle(meteredModule);
    }

    /** W1 without listeners, two threads. */
    @Benchmark
    @Threads(2)
    public TrackedTask w1Bare2Threads() {
        return rootLifecycle(bareModule);
    }

    /** W1 with the metrics bound, two threads on the same (module, type) meters. */
    @Benchmark
    @Threads(2)
    public TrackedTask w1Metrics2Threads() {
        return rootLifecycle(meteredModule);
    }
}
