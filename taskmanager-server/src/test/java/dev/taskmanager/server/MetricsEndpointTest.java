package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.taskmanager.TaskBuilder;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import dev.taskmanager.server.PrometheusParser.Sample;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on a real server: a known sequence of tasks on fake time, then the scrape parsed
 * by a real Prometheus text-format parser ({@link PrometheusParser}) and its values checked; JVM and
 * Jetty meters beside them, URI tags bounded to route templates, content negotiation, access rules.
 */
class MetricsEndpointTest {

    private static ServerFixture serverWithMetrics(UnaryOperator<TaskManagerServer.Builder> more) {
        return new ServerFixture(b -> b.taskTtl(Duration.ofSeconds(60)),
                s -> more.apply(s.metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).jvmMetrics(true)));
    }

    private static TrackedTask running(TaskBuilder builder) {
        TrackedTask task = builder.track();
        task.start();
        return task;
    }

    private static List<Sample> scrape(ServerFixture f) throws Exception {
        ApiClient.Answer answer = f.client.get("/metrics");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.raw().headers().firstValue("Content-Type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        // kept for whoever reads a failure of this test
        Files.writeString(Path.of("target", "last-scrape.txt"), answer.body());
        return PrometheusParser.parseText(answer.body());
    }

    /** The value of the one sample named {@code name} with exactly these labels. */
    private static double value(List<Sample> samples, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        assertThat(found).as(name + wanted + " in the scrape, where " + name + " has "
                + samples.stream().filter(s -> s.name().equals(name)).map(Sample::labels).toList()).hasSize(1);
        return found.get(0).value();
    }

    private static boolean has(List<Sample> samples, String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    @Test
    void aScrapeAfterAKnownSequenceOfTasksParsesAndShowsTheirCounts() throws Exception {
        try (ServerFixture f = serverWithMetrics(s -> s)) {
            TaskModule backup = f.tm.module("backup");
            backup.setStallThreshold(Duration.ofMinutes(5));
            TrackedTask done = running(backup.task("backup"));
            TrackedTask failed = running(backup.task("backup"));
            TrackedTask aborted = running(backup.task("backup"));
            TrackedTask stalled = running(backup.task("verify"));
            f.time.advance(Duration.ofSeconds(30));
            done.complete();                                    // 30 s
            f.time.advance(Duration.ofMinutes(5));
            failed.fail("disk full");                           // 330 s
            aborted.abort("operator");
            aborted.complete();                                 // 330 s, aborted
            backup.task("backup").track().abort("too late");    // aborted before it started
            f.tm.cleanUp();                                     // 330 s: the verify stalls, the done task expires
            f.time.advance(Duration.ofSeconds(75));             // 405 s: the other three are due since 390 s

            List<Sample> samples = scrape(f);

            String[] backups = {"module", "backup", "type", "backup"};
            assertThat(value(samples, "taskmanager_tasks_running", backups)).isZero();
            assertThat(value(samples, "taskmanager_tasks_running", "module", "backup", "type", "verify")).isEqualTo(1);
            assertThat(value(samples, "taskmanager_tasks_finished_total", "module", "backup", "type", "backup",
                    "outcome", "done")).isEqualTo(1);
            assertThat(value(samples, "taskmanager_tasks_finished_total", "module", "backup", "type", "backup",
                    "outcome", "failed")).isEqualTo(1);
            assertThat(value(samples, "taskmanager_tasks_finished_total", "module", "backup", "type", "backup",
                    "outcome", "aborted")).isEqualTo(2);
            assertThat(samples).filteredOn(x -> x.name().equals("taskmanager_tasks_duration_seconds_count"))
                    .extracting(Sample::type).containsOnly("histogram");
            assertThat(value(samples, "taskmanager_tasks_duration_seconds_count", backups)).as("tasks that ran")
                    .isEqualTo(3);
            assertThat(value(samples, "taskmanager_tasks_duration_seconds_sum", backups))
                    .isCloseTo(30 + 330 + 330, within(1e-6));
            assertThat(bucket(samples, "10.0")).isZero();
            assertThat(bucket(samples, "30.0")).isEqualTo(1);
            assertThat(bucket(samples, "300.0")).isEqualTo(1);
            assertThat(bucket(samples, "600.0")).isEqualTo(3);
            assertThat(bucket(samples, "+Inf")).isEqualTo(3);
            assertThat(value(samples, "taskmanager_tasks_duration_seconds_max", backups)).isCloseTo(330, within(1e-6));
            assertThat(value(samples, "taskmanager_tasks_stalls_total", "module", "backup", "type", "verify"))
                    .isEqualTo(1);
            assertThat(value(samples, "taskmanager_tasks_stalled")).isEqualTo(1);
            assertThat(value(samples, "taskmanager_tasks_retained")).isEqualTo(3);
            assertThat(value(samples, "taskmanager_expiry_lag_seconds")).isEqualTo(405 - 390);

            stalled.progress().add(1);
            f.tm.cleanUp();
            List<Sample> after = scrape(f);
            assertThat(value(after, "taskmanager_tasks_stalled")).isZero();
            assertThat(value(after, "taskmanager_tasks_retained")).isZero();
            assertThat(value(after, "taskmanager_expiry_lag_seconds")).isZero();
        }
    }

    private static double bucket(List<Sample> samples, String le) {
        return value(samples, "taskmanager_tasks_duration_seconds_bucket", "module", "backup", "type", "backup", "le", le);
    }

    @Test
    void theScrapeCarriesJvmAndJettyMetersWithUriTagsBoundedToRouteTemplates() throws Exception {
        try (ServerFixture f = serverWithMetrics(s -> s)) {
            f.withTestModule();
            for (int i = 0; i < 20; i++) {
                String id = f.client.createTestTask("");
                f.client.status(id);
                f.client.get("/task_manager/task_status/" + java.util.UUID.randomUUID()); // 400: unknown id
                f.client.get("/task_manager/no_such_route/" + i);                        // 404
            }
            f.client.get("/metrics"); // a scrape counts itself, once per status

            List<Sample> samples = scrape(f);

            for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds",
                    "jvm_gc_memory_allocated_bytes_total", "jetty_connections_current_connections",
                    "jetty_threads_busy", "jetty_server_requests_seconds_count")) {
                assertThat(has(samples, name)).as(name + " in the scrape").isTrue();
            }
            String requests = "jetty_server_requests_seconds_count";
            assertThat(value(samples, requests, "method", "GET", "outcome", "SUCCESS", "status", "200",
                    "uri", "/task_manager/task_status/{task_id}")).isEqualTo(20);
            assertThat(value(samples, requests, "method", "GET", "outcome", "CLIENT_ERROR", "status", "400",
                    "uri", "/task_manager/task_status/{task_id}")).isEqualTo(20);
            assertThat(value(samples, requests, "method", "GET", "outcome", "CLIENT_ERROR", "status", "404",
                    "uri", "NOT_FOUND")).isEqualTo(20);
            assertThat(value(samples, requests, "method", "GET", "outcome", "SUCCESS", "status", "200",
                    "uri", "/metrics")).isEqualTo(1);

            Set<String> templates = f.server.api().router().routes().stream().map(Router.Route::template)
                    .collect(Collectors.toCollection(HashSet::new));
            templates.addAll(List.of("NOT_FOUND", "UNKNOWN"));
            Set<String> uris = samples.stream().map(s -> s.labels().get("uri")).filter(u -> u != null)
                    .collect(Collectors.toSet());
            assertThat(templates).containsAll(uris);
        }
    }

    @Test
    void tenThousandTypesInOneModuleKeepTheScrapeBounded() throws Exception {
        try (ServerFixture f = serverWithMetrics(s -> s)) {
            TaskModule chaotic = f.tm.module("chaotic");
            for (int i = 0; i < 10_000; i++) {
                running(chaotic.task("type-" + i)).complete();
            }

            List<Sample> samples = scrape(f);

            Set<String> types = samples.stream().filter(s -> s.name().startsWith("taskmanager_"))
                    .map(s -> s.labels().get("type")).filter(t -> t != null).collect(Collectors.toSet());
            assertThat(types).hasSize(51).contains("other", "type-0", "type-49").doesNotContain("type-50");
            assertThat(value(samples, "taskmanager_tasks_finished_total",
                    "module", "chaotic", "type", "other", "outcome", "done")).isEqualTo(10_000 - 50);
            // per type: running, 3 outcomes, stalls, and the duration's 18 buckets, +Inf, count, sum and max
            assertThat(samples.stream().filter(s -> s.name().startsWith("taskmanager_")).count())
                    .as("samples of the task manager's meters").isEqualTo(51 * (5 + 18 + 4) + 3);
        }
    }

    @Test
    void openMetricsIsServedWhenTheScraperAsksForItAndPassesTheStrictParser() throws Exception {
        try (ServerFixture f = serverWithMetrics(s -> s)) {
            RawHttp.Raw openMetrics = get(f, "/metrics", "Accept: application/openmetrics-text;version=1.0.0;q=0.5,"
                    + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
            assertThat(openMetrics.status()).isEqualTo(200);
            assertThat(openMetrics.head()).containsIgnoringCase(
                    "Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(openMetrics.body()).endsWith("# EOF\n");
            List<Sample> samples = PrometheusParser.parseOpenMetrics(openMetrics.body());
            assertThat(value(samples, "taskmanager_tasks_retained")).isZero();

            RawHttp.Raw refused = get(f, "/metrics", "Accept: application/openmetrics-text;q=0, text/plain");
            assertThat(refused.head()).containsIgnoringCase("Content-Type: text/plain; version=0.0.4; charset=utf-8");
            assertThat(refused.body()).doesNotContain("# EOF");
        }
    }

    @Test
    void metricsObeyTheTokenAndHostRules() {
        try (ServerFixture f = serverWithMetrics(s -> s.authToken("metrics-token-0123456789"))) {
            RawHttp.Raw anonymous = get(f, "/metrics");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("taskmanager_");
            RawHttp.Raw rebound = get(f, "/metrics", "Host: evil.example", "Authorization: Bearer metrics-token-0123456789");
            assertThat(rebound.status()).isEqualTo(421);
            RawHttp.Raw allowed = get(f, "/metrics", "Authorization: Bearer metrics-token-0123456789");
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.body()).contains("taskmanager_tasks_retained ");
        }
    }

    @Test
    void withoutMetricsThereIsNoRouteAndNoListener() {
        try (ServerFixture f = new ServerFixture()) {
            assertThat(f.client.get("/metrics").status()).isEqualTo(404);
            assertThat(f.server.metrics()).isEmpty();
        }
        assertThatThrownBy(() -> TaskManagerServer.builder(dev.taskmanager.TaskManager.builder().build())
                .jvmMetrics(true).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("metrics(registry)");
    }

    @Test
    void closingTheServerUnbindsTheTaskManagersMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ServerFixture f = new ServerFixture(b -> b, s -> s.metrics(registry))) {
            running(f.tm.module("m").task("t")).complete();
            assertThat(registry.find("taskmanager.tasks.finished").counters()).hasSize(3);
        }
        assertThat(registry.find("taskmanager.tasks.finished").counters()).isEmpty();
        assertThat(registry.find("taskmanager.tasks.retained").gauges()).isEmpty();
    }

    private static RawHttp.Raw get(ServerFixture f, String path, String... headers) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        boolean host = false;
        for (String header : headers) {
            request.append(header).append("\r\n");
            host |= header.regionMatches(true, 0, "Host:", 0, 5);
        }
        if (!host) {
            request.append("Host: 127.0.0.1\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        return RawHttp.exchange(f.server.port(), request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
