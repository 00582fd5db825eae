package dev.taskmanager.micrometer;

import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Binds a {@link TaskManager} to a Micrometer {@link MeterRegistry}: tasks running and finished by
 * module and type, task durations, retained finished tasks, expiry lag and stalled tasks. Every meter,
 * with its tags and meaning, is listed in {@code docs/metrics.md}.
 *
 * <pre>{@code
 * TaskManagerMetrics metrics = TaskManagerMetrics.builder(tm).build();
 * metrics.bindTo(registry);   // registers a TaskListener on tm
 * ...
 * metrics.close();            // removes the listener and the meters
 * }</pre>
 *
 * <p><b>Cost on task threads.</b> Counting happens in a {@link dev.taskmanager.TaskListener}, which
 * the core calls synchronously on the thread that changed the task (SPEC §23). Each event looks up
 * the meters of its (module, type) in two lock-free maps and increments pre-registered meters: no
 * registry lookup, no lock, no allocation once a pair has been seen. Progress events are not
 * listened to at all. The gauges read counters kept here or the core's read-only accessors, and do so
 * only when the registry is scraped.
 *
 * <p><b>Bounded tags.</b> Tags are {@code module}, {@code type} and, on the finished counter,
 * {@code outcome}: never ids, entities or labels. A module that invents types without bound cannot
 * grow the registry: after {@link Builder#maxTypesPerModule} distinct types, the events of any new
 * type of that module are counted under {@code type="other"}; likewise past {@link Builder#maxModules}
 * modules, under {@code module="other"}. A real type or module named {@code other} shares that bucket.
 *
 * <p><b>Binding late.</b> Bind before tasks start. Tasks already running when {@link #bindTo} is
 * called are found by one scan and counted as running; a task that starts or ends while that scan
 * runs may be counted once too often or too rarely in {@value #RUNNING} until the process restarts.
 *
 * <p>Thread-safe. One binder binds to one registry (use a {@code CompositeMeterRegistry} for several);
 * {@link #close()} is idempotent.
 */
public final class TaskManagerMetrics implements MeterBinder, AutoCloseable {
    /** Gauge: tasks in state {@code running}, tagged module and type. */
    public static final String RUNNING = "taskmanager.tasks.running";
    /** Counter: tasks that finished, tagged module, type and outcome ({@code done|failed|aborted}). */
    public static final String FINISHED = "taskmanager.tasks.finished";
    /** Timer: how long tasks ran, from start to end, tagged module and type, with histogram buckets. */
    public static final String DURATION = "taskmanager.tasks.duration";
    /** Counter: times a running task was marked stalled (SPEC §19), tagged module and type. */
    public static final String STALLS = "taskmanager.tasks.stalls";
    /** Gauge: running tasks stalled now. */
    public static final String STALLED = "taskmanager.tasks.stalled";
    /** Gauge: finished tasks retained under a TTL. */
    public static final String RETAINED = "taskmanager.tasks.retained";
    /** Time gauge, seconds: how far past its retention deadline the most overdue retained task is. */
    public static final String EXPIRY_LAG = "taskmanager.expiry.lag";

    /** The tag value that stands for the types (or modules) beyond the caps. */
    public static final String OTHER = "other";
    /** The default of {@link Builder#maxTypesPerModule}. */
    public static final int DEFAULT_MAX_TYPES_PER_MODULE = 50;
    /** The default of {@link Builder#maxModules}. */
    public static final int DEFAULT_MAX_MODULES = 50;
    /**
     * The default duration buckets: 0.1 s to 24 h, for operations that take seconds to hours (and
     * their sub-second leaves).
     */
    public static final List<Duration> DEFAULT_DURATION_BUCKETS = List.of(Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(12),
            Duration.ofHours(24));

    private final TaskManager taskManager;
    private final int maxTypesPerModule;
    private final int maxModules;
    private final Duration[] durationBuckets;
    private MeterRegistry registry;
    private MetricsListener listener;
    private final List<Meter> globalMeters = new ArrayList<>();
    private boolean closed;

    private TaskManagerMetrics(Builder builder) {
        this.taskManager = builder.taskManager;
        this.maxTypesPerModule = builder.maxTypesPerModule;
        this.maxModules = builder.maxModules;
        this.durationBuckets = builder.durationBuckets.toArray(new Duration[0]);
    }

    /** A builder for the metrics of {@code taskManager}, every setting at its default. */
    public static Builder builder(TaskManager taskManager) {
        return new Builder(Objects.requireNonNull(taskManager, "taskManager"));
    }

    /**
     * Registers the meters on {@code registry} and starts counting: adds a listener to the task
     * manager and counts the tasks already running.
     *
     * @throws IllegalStateException if already bound (to this or another registry) or closed
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("these task manager metrics were closed; build new ones");
        }
        if (this.registry != null) {
            throw new IllegalStateException("these task manager metrics are already bound to " + this.registry
                    + "; bind to a CompositeMeterRegistry to publish to several");
        }
        this.registry = registry;
        globalMeters.add(Gauge.builder(RETAINED, taskManager, TaskManager::retainedCount)
                .description("Finished tasks retained under a TTL, due or not")
                .strongReference(true).register(registry));
        globalMeters.add(TimeGauge.builder(EXPIRY_LAG, taskManager, TimeUnit.NANOSECONDS,
                        tm -> tm.expiryLag().toNanos())
                .description("How long the most overdue retained task has been past its retention deadline")
                .strongReference(true).register(registry));
        globalMeters.add(Gauge.builder(STALLED, taskManager, TaskManager::stalledCount)
                .description("Running tasks stalled now")
                .strongReference(true).register(registry));
        listener = new MetricsListener(new MeterFactory(registry, durationBuckets), maxModules, maxTypesPerModule);
        taskManager.addListener(listener);
        countRunning(listener);
    }

    /** Counts the tasks running at bind time; see "Binding late" in the class comment. */
    private void countRunning(MetricsListener counting) {
        for (String name : taskManager.moduleNames()) {
            Optional<TaskModule> module = taskManager.findModule(name);
            if (module.isEmpty()) {
                continue;
            }
            try (var tasks = module.get().tasks(TaskFilter.DEFAULT.withInternal(true))) {
                tasks.filter(stats -> stats.state() == TaskState.RUNNING && stats.kind() == TaskKind.NODE)
                        .forEach((TaskStats stats) -> counting.meters(stats.module(), stats.type()).running.increment());
            }
        }
    }

    /**
     * Stops counting and removes every meter this binder registered. Idempotent; a binder cannot be
     * bound again after it is closed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registry == null) {
            return;
        }
        taskManager.removeListener(listener);
        for (Meter meter : globalMeters) {
            registry.remove(meter);
        }
        globalMeters.clear();
        listener.removeMeters(registry);
    }

    /** Configures {@link TaskManagerMetrics}. Not thread-safe. */
    public static final class Builder {
        private final TaskManager taskManager;
        private int maxTypesPerModule = DEFAULT_MAX_TYPES_PER_MODULE;
        private int maxModules = DEFAULT_MAX_MODULES;
        private List<Duration> durationBuckets = DEFAULT_DURATION_BUCKETS;

        private Builder(TaskManager taskManager) {
            this.taskManager = taskManager;
        }

        /**
         * How many distinct types of one module get meters of their own (default
         * {@value TaskManagerMetrics#DEFAULT_MAX_TYPES_PER_MODULE}); the module's further types are
         * counted under {@code type="other"}. Each type costs about 25 time series with the default
         * buckets.
         *
         * @throws IllegalArgumentException if less than 1 or more than 10,000
         */
        public Builder maxTypesPerModule(int max) {
            this.maxTypesPerModule = within("maxTypesPerModule", max);
            return this;
        }

        /**
         * How many distinct modules get meters of their own (default
         * {@value TaskManagerMetrics#DEFAULT_MAX_MODULES}); further modules are counted under
         * {@code module="other"}.
         *
         * @throws IllegalArgumentException if less than 1 or more than 10,000
         */
        public Builder maxModules(int max) {
            this.maxModules = within("maxModules", max);
            return this;
        }

        /**
         * The upper bounds of the duration histogram's buckets (default
         * {@link TaskManagerMetrics#DEFAULT_DURATION_BUCKETS}); a {@code +Inf} bucket is always added.
         *
         * @throws IllegalArgumentException if empty, more than 50, or not all positive
         */
        public Builder durationBuckets(Duration... buckets) {
            List<Duration> list = Arrays.asList(buckets.clone());
            if (list.isEmpty() || list.size() > 50) {
                throw new IllegalArgumentException("durationBuckets must hold 1 to 50 durations, got " + list.size());
            }
            for (Duration bucket : list) {
                if (bucket == null || bucket.isNegative() || bucket.isZero()) {
                    throw new IllegalArgumentException("durationBuckets must be positive, got " + bucket);
                }
            }
            this.durationBuckets = List.copyOf(list);
            return this;
        }

        private static int within(String setting, int value) {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException(setting + " must be from 1 to 10000, got " + value);
            }
            return value;
        }

        /** The binder, not bound yet: call {@link TaskManagerMetrics#bindTo(MeterRegistry)}. */
        public TaskManagerMetrics build() {
            return new TaskManagerMetrics(this);
        }
    }
}
