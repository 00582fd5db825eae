package dev.taskmanager.benchmarks.store;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.store.HistoryStore;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1 (create, start, done, unregister a root task with TTL 0) with the history store on, against the
 * same with it off: what recording costs the task threads. Target: at most 1.25x.
 *
 * <p>With the store on, the listener marks each task dirty in the store's map and a real writer thread
 * drains it into SQLite on the other core. W1 creates millions of tasks per second, far more than any
 * store writes, so the map fills up to the store's pending bound and the writer drops the excess
 * (counted as dropped): the benchmark measures the task threads in that overload, the worst case for
 * them, with the bound set to 10,000 tasks (a full map makes every mark a miss on a large table).
 *
 * <p>Run: {@code java -jar taskmanager-benchmarks/target/benchmarks.jar StoreW1Benchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StoreW1Benchmark {
    /**
     * {@code off}: no store; {@code listener}: an empty listener (the price of dispatching to any
     * listener); {@code snapshotListener}: a listener of the snapshot form of the finished event
     * ({@code onFinished(TaskStatus)}), for which the core builds each final snapshot on the task's
     * thread, as it did for every listener before the handle form; {@code map}: the store's marking
     * alone (the handle form, as the store's listener does), into a map a consumer thread drains as
     * fast as it can (a store that always keeps up); {@code sqlite}: the embedded store recording
     * every task.
     */
    @Param({"off", "listener", "snapshotListener", "map", "sqlite"})
    public String store;

    private volatile boolean draining;
    /** Kept by the snapshot listener, so that the compiler cannot drop the snapshot it is given. */
    private dev.taskmanager.TaskStatus lastSnapshot;
    private Thread drainer;

    private TaskManager taskManager;
    private TaskModule module;
    private HistoryStore history;

    @Setup(Level.Trial)
    public void setUp() {
        taskManager = TaskManager.builder().taskTtl(Duration.ZERO).housekeepingInterval(Duration.ZERO).build();
        module = taskManager.module("bench");
        if (store.equals("listener")) {
            taskManager.addListener(new dev.taskmanager.TaskListener() { });
        }
        if (store.equals("snapshotListener")) {
            taskManager.addListener(new dev.taskmanager.TaskListener() {
                @Override
                public void onFinished(dev.taskmanager.TaskStatus status) {
                    lastSnapshot = status;
                }
            });
        }
        if (store.equals("map")) {
            java.util.concurrent.ConcurrentHashMap<java.util.UUID, Object> dirty = new java.util.concurrent.ConcurrentHashMap<>();
            taskManager.addListener(new dev.taskmanager.TaskListener() {
                @Override
                public void onCreated(dev.taskmanager.Task task) {
                    dirty.putIfAbsent(task.id(), task);
                }

                @Override
                public void onStarted(dev.taskmanager.Task task) {
                    if (dirty.get(task.id()) == null) {
                        dirty.putIfAbsent(task.id(), task);
                    }
                }

                @Override
                public void onFinished(dev.taskmanager.Task task, boolean started) {
                    dirty.put(task.id(), task);
                }
            });
            draining = true;
            drainer = new Thread(() -> {
                while (draining) {
                    for (java.util.Map.Entry<java.util.UUID, Object> e : dirty.entrySet()) {
                        dirty.remove(e.getKey(), e.getValue());
                    }
                }
            });
            drainer.setDaemon(true);
            drainer.start();
        }
        if (store.equals("sqlite")) {
            history = BenchStores.sqlite("w1-sqlite", true).taskManager(taskManager).maxPending(10_000)
                    .retention(Duration.ZERO).maxTasks(0).open();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        draining = false;
        if (drainer != null) {
            drainer.join();
        }
        taskManager.close();
        if (history != null) {
            System.out.println("\n" + history.health());
            history.close();
        }
    }

    /** W1, one thread. */
    @Benchmark
    @Threads(1)
    public TrackedTask w1RootLifecycle1Thread() {
        TrackedTask task = module.task("bench").track();
        task.start();
        task.complete();
        return task;
    }
}
