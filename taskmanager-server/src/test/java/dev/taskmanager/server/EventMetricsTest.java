package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TrackedTask;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event stream's clients and dropped clients at {@code GET /metrics}, parsed as Prometheus parses them. */
class EventMetricsTest {

    private static double sample(EventServer s, String name) throws Exception {
        ApiClient.Answer answer = s.client.get("/metrics");
        assertThat(answer.status()).isEqualTo(200);
        List<PrometheusParser.Sample> samples = PrometheusParser.parseText(answer.body());
        return samples.stream().filter(sample -> sample.name().equals(name) && sample.labels().isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in the scrape")).value();
    }

    @Test
    void connectedAndDroppedClientsArePublished() throws Exception {
        try (EventServer s = new EventServer(b -> b.metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .eventBuffer(16))) {
            SseClient stuck = SseClient.connect(s.port(), 2048, EventStream.PATH);
            try {
                Await.until("the stream is open", () -> s.events().connectedClients() == 1);
                assertThat(sample(s, "taskmanager_events_clients_active")).isEqualTo(1);
                assertThat(sample(s, "taskmanager_events_clients_dropped_total")).isZero();

                String big = "x".repeat(4000);
                for (int i = 0; i < 100_000 && s.events().maxLag() <= 16 && s.events().droppedClients() == 0; i++) {
                    TrackedTask task = s.module("m").task("t").scope("node").entity(big).track();
                    task.start();
                    task.complete();
                }
                stuck.readHead();
                List<SseClient.Frame> frames = stuck.readToEnd();
                assertThat(frames.get(frames.size() - 1).event()).isEqualTo("reset");
                Await.until("the stuck client is gone", () -> s.events().connectedClients() == 0);
                assertThat(sample(s, "taskmanager_events_clients_active")).isZero();
                assertThat(sample(s, "taskmanager_events_clients_dropped_total")).isEqualTo(1);
            } finally {
                stuck.close();
            }
        }
    }
}
