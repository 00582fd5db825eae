/**
 * Micrometer meters for Task Manager. {@link dev.taskmanager.micrometer.TaskManagerMetrics} binds a
 * {@link dev.taskmanager.TaskManager} to any {@link io.micrometer.core.instrument.MeterRegistry};
 * {@link dev.taskmanager.micrometer.EventStreamMetrics} does the same for an event stream through
 * {@link dev.taskmanager.micrometer.EventStreamStats}, and {@link dev.taskmanager.micrometer.HistoryMetrics}
 * for a history store's {@link dev.taskmanager.micrometer.HistoryHealth}. The meter names, tags and example queries are
 * in {@code docs/metrics.md}. Everything else here is package-private: the listener that counts on
 * task threads and the per-(module, type) meter cache.
 */
package dev.taskmanager.micrometer;
