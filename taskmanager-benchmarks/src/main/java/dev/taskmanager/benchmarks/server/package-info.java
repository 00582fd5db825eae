/**
 * Benchmarks of the HTTP server, run by {@code bench/server-bench.sh} rather than JMH: a load tool
 * ({@code wrk}) measures requests per second against {@link dev.taskmanager.benchmarks.server.BenchServer}
 * (the API and a fixed-body floor on the same Jetty stack), and
 * {@link dev.taskmanager.benchmarks.server.WaitLoad} measures threads and heap under thousands of
 * pending {@code wait_task} requests. {@code bench/hardening-bench.sh} runs issue 11's measurements:
 * {@link dev.taskmanager.benchmarks.server.SlowListingLoad} (heap under slow readers of a huge
 * listing), {@link dev.taskmanager.benchmarks.server.WaitLeak} (heap after timed-out waits),
 * {@link dev.taskmanager.benchmarks.server.Slowloris} (descriptors under a slowloris attack) and
 * {@link dev.taskmanager.benchmarks.server.MemoryFootprint} (memory per task, connection and wait).
 * {@link dev.taskmanager.benchmarks.server.ListLoad} (issue 9) measures {@code GET /v2/tasks} pages
 * over a million tasks: req/s, latency, allocation per page and the live heap while serving.
 * Nothing here runs during {@code mvn verify}.
 */
package dev.taskmanager.benchmarks.server;
