package dev.taskmanager.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Registers the meters of one (module, type) pair. Called once per pair, on the thread whose event
 * first named it: the only place where the listener touches the registry.
 */
final class MeterFactory {
    private final MeterRegistry registry;
    private final Duration[] durationBuckets;

    MeterFactory(MeterRegistry registry, Duration[] durationBuckets) {
        this.registry = registry;
        this.durationBuckets = durationBuckets;
    }

    TypeMeters create(String module, String type) {
        Tags tags = Tags.of("module", module, "type", type);
        LongAdder running = new LongAdder();
        Gauge runningGauge = Gauge.builder(TaskManagerMetrics.RUNNING, running, LongAdder::sum)
                .description("Tasks running now").tags(tags).strongReference(true).register(registry);
        Counter done = finished(tags, "done");
        Counter failed = finished(tags, "failed");
        Counter aborted = finished(tags, "aborted");
        Counter stalls = Counter.builder(TaskManagerMetrics.STALLS)
                .description("Times a running task was marked stalled").tags(tags).register(registry);
        Timer duration = Timer.builder(TaskManagerMetrics.DURATION)
                .description("How long tasks ran, from start to end")
                .tags(tags)
                .serviceLevelObjectives(durationBuckets)
                .register(registry);
        return new TypeMeters(running, done, failed, aborted, stalls, duration,
                List.<Meter>of(runningGauge, done, failed, aborted, stalls, duration));
    }

    private Counter finished(Tags tags, String outcome) {
        return Counter.builder(TaskManagerMetrics.FINISHED)
                .description("Tasks that finished, by outcome")
                .tags(tags).tag("outcome", outcome)
                .register(registry);
    }
}
