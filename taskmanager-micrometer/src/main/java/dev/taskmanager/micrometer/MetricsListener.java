package dev.taskmanager.micrometer;

import dev.taskmanager.Task;
import dev.taskmanager.TaskListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listener that counts: started, finished and stalled events, each resolved to the meters of its
 * (module, type) through two lock-free map reads. Only the first event of a new pair takes a lock and
 * registers meters; past the caps, new names resolve to the {@code other} bucket without a lock or an
 * insert, so a module that invents a type per task costs a map miss per event and nothing more.
 */
final class MetricsListener implements TaskListener {
    private final MeterFactory factory;
    private final int maxModules;
    private final int maxTypesPerModule;
    private final ConcurrentHashMap<String, ModuleMeters> modules = new ConcurrentHashMap<>();
    private int distinctModules; // guarded by this
    private volatile boolean modulesFull;

    MetricsListener(MeterFactory factory, int maxModules, int maxTypesPerModule) {
        this.factory = factory;
        this.maxModules = maxModules;
        this.maxTypesPerModule = maxTypesPerModule;
    }

    @Override
    public void onStarted(Task task) {
        meters(task.module(), task.type()).started();
    }

    /** The cheap finished event: reads the handle's state and times, never builds the final snapshot. */
    @Override
    public void onFinished(Task task, boolean started) {
        meters(task.module(), task.type()).finished(task, started);
    }

    @Override
    public void onStalled(Task task) {
        meters(task.module(), task.type()).stalled();
    }

    /** The meters of this (module, type), registered on first use; folded into {@code other} past the caps. */
    TypeMeters meters(String module, String type) {
        ModuleMeters meters = modules.get(module);
        if (meters == null) {
            meters = modulesFull ? bucket(TaskManagerMetrics.OTHER) : addModule(module);
        }
        return meters.meters(type);
    }

    private synchronized ModuleMeters addModule(String module) {
        ModuleMeters meters = modules.get(module);
        if (meters != null) {
            return meters;
        }
        if (module.equals(TaskManagerMetrics.OTHER) || distinctModules >= maxModules) {
            modulesFull = distinctModules >= maxModules;
            return bucket(TaskManagerMetrics.OTHER);
        }
        distinctModules++;
        meters = new ModuleMeters(module);
        modules.put(module, meters);
        return meters;
    }

    /** The {@code other} module, outside the count of distinct modules. */
    private ModuleMeters bucket(String name) {
        ModuleMeters meters = modules.get(name); // computeIfAbsent may lock even when present
        return meters != null ? meters : modules.computeIfAbsent(name, ModuleMeters::new);
    }

    /** Unregisters every meter created so far; for {@link TaskManagerMetrics#close()}. */
    synchronized void removeMeters(MeterRegistry registry) {
        for (ModuleMeters module : modules.values()) {
            for (TypeMeters type : module.types.values()) {
                for (Meter meter : type.all) {
                    registry.remove(meter);
                }
            }
        }
    }

    /** How many (module, type) pairs have meters; for tests. */
    int pairs() {
        return modules.values().stream().mapToInt(m -> m.types.size()).sum();
    }

    /** The meters of one module's types, capped as the listener's modules are. */
    private final class ModuleMeters {
        private final String module;
        final ConcurrentHashMap<String, TypeMeters> types = new ConcurrentHashMap<>();
        private int distinctTypes; // guarded by this
        private volatile boolean full;

        ModuleMeters(String module) {
            this.module = module;
        }

        TypeMeters meters(String type) {
            TypeMeters meters = types.get(type);
            if (meters != null) {
                return meters;
            }
            return full ? bucket() : addType(type);
        }

        private synchronized TypeMeters addType(String type) {
            TypeMeters meters = types.get(type);
            if (meters != null) {
                return meters;
            }
            if (type.equals(TaskManagerMetrics.OTHER) || distinctTypes >= maxTypesPerModule) {
                full = distinctTypes >= maxTypesPerModule;
                return bucket();
            }
            distinctTypes++;
            meters = factory.create(module, type);
            types.put(type, meters);
            return meters;
        }

        /** The {@code other} type, outside the count of distinct types. */
        private TypeMeters bucket() {
            TypeMeters meters = types.get(TaskManagerMetrics.OTHER); // computeIfAbsent may lock even when present
            return meters != null ? meters
                    : types.computeIfAbsent(TaskManagerMetrics.OTHER, t -> factory.create(module, t));
        }
    }
}
