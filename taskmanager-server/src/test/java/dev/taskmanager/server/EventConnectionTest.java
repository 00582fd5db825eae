package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskManager;
import dev.taskmanager.TrackedTask;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The life of one stream's connection: heartbeats on the stream's clock, cleanup the moment the client
 * goes away, the server's connection guards (which must not cut a long-lived stream), shutdown, and the
 * access checks every route has.
 */
class EventConnectionTest {

    @Test
    void aQuietStreamGetsAHeartbeatEveryFifteenSecondsOfTheClock() {
        try (EventServer s = new EventServer(); SseClient sse = s.open("?types=created")) {
            s.timer.advance(Duration.ofMillis(14_999));
            TrackedTask marker = s.running("m");
            assertThat(sse.next().taskId()).as("no heartbeat before 15 s").isEqualTo(marker.id().toString());
            s.timer.advance(Duration.ofMillis(1));
            SseClient.Frame beat = sse.next();
            assertThat(beat.isEvent()).isFalse();
            assertThat(beat.comment()).isEqualTo("heartbeat");
            s.timer.advance(Duration.ofSeconds(15));
            assertThat(sse.next().comment()).as("and again").isEqualTo("heartbeat");
        }
    }

    @Test
    void clientsThatCloseTheirSocketsAreForgottenAtOnceWithoutWaitingForAHeartbeat() throws Exception {
        int clients = 100;
        // The stream's clock never moves here, and the idle timeout is an hour: no heartbeat, no
        // idle probe and no write can find the closed sockets; only watching the socket can.
        try (EventServer s = new EventServer(b -> b.metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .idleTimeout(Duration.ofHours(1)))) {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            List<SseClient> streams = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                streams.add(s.open(i % 2 == 0 ? "" : "?module=nothing"));
            }
            Await.until("every stream is registered", () -> s.events().connectedClients() == clients);
            assertThat(s.server.guard().openFrom(loopback)).isEqualTo(clients);
            assertThat(s.server.openConnections()).isEqualTo(clients);

            streams.forEach(SseClient::close);

            Await.until("every closed client is forgotten", () -> s.events().connectedClients() == 0);
            Await.until("every connection is released", () -> s.server.openConnections() == 0
                    && s.server.guard().openFrom(loopback) == 0);
            assertThat(s.events().droppedClients()).as("leaving is not being dropped").isZero();
            assertThat(metric(s, "taskmanager_events_clients_active")).isZero();
            assertThat(metric(s, "taskmanager_events_clients_dropped_total")).isZero();

            SseClient after = s.open("");
            TrackedTask task = s.running("m");
            assertThat(after.nextEvent().taskId()).as("the stream still serves").isEqualTo(task.id().toString());
            after.close();
        }
    }

    private static double metric(EventServer s, String name) throws Exception {
        ApiClient.Answer answer = s.client.get("/metrics");
        assertThat(answer.status()).isEqualTo(200);
        return PrometheusParser.parseText(answer.body()).stream()
                .filter(sample -> sample.name().equals(name) && sample.labels().isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in the scrape")).value();
    }

    @Test
    void aClientThatClosesItsSocketLeavesNoStateOnceAnEventCannotBeWritten() {
        try (EventServer s = new EventServer()) {
            SseClient sse = s.open("");
            sse.close();
            for (int i = 0; i < 10_000 && s.events().connectedClients() > 0; i++) {
                s.running("m").complete();
                Await.until("the dispatcher is done", () -> s.events().feed().pendingChanges() == 0);
            }
            Await.until("the closed client is forgotten", () -> s.events().connectedClients() == 0);
        }
    }

    @Test
    void theRequestHeadTimeoutAndTheIdleTimeoutDoNotCutAStreamThatHeartbeats() throws IOException {
        TaskManager tm = TaskManager.builder().build();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).ownsTaskManager(true)
                .idleTimeout(Duration.ofMillis(300)).requestHeaderTimeout(Duration.ofMillis(200))
                .eventHeartbeat(Duration.ofMillis(100)).build().start();
             SseClient sse = SseClient.open(server.port(), EventStream.PATH)) {
            assertThat(sse.next().retry()).isEqualTo("3000");
            for (int i = 0; i < 12; i++) { // at least 1.2 s: four idle timeouts, six head timeouts
                assertThat(sse.next().comment()).isEqualTo("heartbeat");
            }
            TrackedTask task = tm.module("m").task("t").scope("node").track();
            SseClient.Frame created = sse.nextEvent();
            assertThat(created.taskId()).isEqualTo(task.id().toString());
            assertThat(server.guard().headTimeouts()).isZero();
        }
    }

    @Test
    void theIdleTimeoutDoesNotCutAStreamWithNothingToSend() throws IOException {
        TaskManager tm = TaskManager.builder().build();
        try (TaskManagerServer server = TaskManagerServer.builder(tm).port(0).ownsTaskManager(true)
                .idleTimeout(Duration.ofMillis(200)).eventHeartbeat(Duration.ofHours(1)).build().start();
             SseClient sse = SseClient.open(server.port(), EventStream.PATH)) {
            assertThat(sse.next().retry()).isEqualTo("3000");
            EventStream events = server.api().events();
            Await.until("three idle timeouts passed", () -> events.idleTimeouts() >= 3);
            TrackedTask task = tm.module("m").task("t").scope("node").track();
            assertThat(sse.nextEvent().taskId()).isEqualTo(task.id().toString());
            assertThat(events.connectedClients()).isEqualTo(1);
        }
    }

    @Test
    void stoppingTheServerEndsEveryStream() {
        EventServer s = new EventServer();
        try (SseClient a = s.open(""); SseClient b = s.open("?module=x")) {
            s.running("m");
            assertThat(a.nextEvent().event()).isEqualTo("created");
            s.close();
            List<SseClient.Frame> rest = a.readToEnd();
            assertThat(rest).allMatch(SseClient.Frame::isEvent);
            assertThat(b.readToEnd()).isEmpty();
            assertThat(s.events().connectedClients()).isZero();
        } finally {
            s.close();
        }
    }

    @Test
    void theStreamObeysTheTokenAndTheHostCheckAndCrossOriginReadsNeedNoOriginCheck() {
        try (EventServer s = new EventServer(b -> b.authToken("s3cret"))) {
            Problem.assertProblem(s.client.get("/v2/events"), 401, null, "bearer token");
            try (SseClient rebound = SseClient.open(s.port(), EventStream.PATH, "Authorization: Bearer s3cret",
                    "Host: evil.example")) {
                assertThat(rebound.status()).isEqualTo(421);
                assertThat(rebound.body()).contains("evil.example");
            }
            try (SseClient sse = SseClient.open(s.port(), EventStream.PATH, "Authorization: Bearer s3cret",
                    "Origin: https://elsewhere.example", "Sec-Fetch-Site: cross-site")) {
                assertThat(sse.status()).isEqualTo(200);
                assertThat(sse.header("Access-Control-Allow-Origin")).as("a browser cannot read it cross-origin").isNull();
            }
        }
    }
}
