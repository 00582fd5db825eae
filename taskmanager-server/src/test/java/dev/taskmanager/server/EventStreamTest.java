package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/events} over real HTTP: the wire format, the data of each event, and per-task order. */
class EventStreamTest {
    private EventServer s;

    @BeforeEach
    void start() {
        s = new EventServer();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void aStreamIsServerSentEventsThatStartWithRetryAndAreNeverCached() {
        try (SseClient sse = SseClient.open(s.port(), "/v2/events")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(sse.header("Cache-Control")).isEqualTo("no-store");
            assertThat(sse.header("Connection")).as("the stream lasts as long as its connection").isEqualTo("close");
            SseClient.Frame first = sse.next();
            assertThat(first.retry()).isEqualTo("3000");
            assertThat(first.isEvent()).isFalse();
        }
    }

    @Test
    void anEventCarriesTheTaskExactlyAsGetV2TasksWritesIt() {
        try (SseClient sse = s.open("")) {
            TrackedTask task = s.module("files").task("manifest").scope("node").entity("/srv").label("ticket", "OPS-1")
                    .progressUnits("bytes").track();
            SseClient.Frame created = sse.nextEvent();
            assertThat(created.event()).isEqualTo("created");
            JsonNode fromApi = s.client.get("/v2/tasks/" + task.id()).json();
            assertThat(created.json()).isEqualTo(fromApi);
            assertThat(created.data()).doesNotContain("\n");
        }
    }

    @Test
    void eventsOfATaskFollowItsChangesAndIdsStrictlyIncrease() {
        try (SseClient sse = s.open("")) {
            TrackedTask task = s.module("files").task("copy").scope("node").track();
            task.start();
            task.progress().set(5, 10);
            task.complete();
            List<SseClient.Frame> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(sse.nextEvent());
            }
            assertThat(events).extracting(SseClient.Frame::event)
                    .containsExactly("created", "started", "progress", "finished", "unregistered");
            assertThat(events).extracting(SseClient.Frame::taskId).containsOnly(task.id().toString());
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).idNumber()).isGreaterThan(events.get(i - 1).idNumber());
            }
            assertThat(events.get(0).json().get("state").asText()).isEqualTo("created");
            assertThat(events.get(1).json().get("state").asText()).isEqualTo("running");
            assertThat(events.get(2).json().at("/progress/completed").asDouble()).isEqualTo(5);
            assertThat(events.get(3).json().get("state").asText()).isEqualTo("done");
            assertThat(events.get(4).json().get("state").asText()).as("an unregistered task's last state").isEqualTo("done");
        }
    }

    @Test
    void aFinishedEventTellsDoneFailedAndAbortedApart() {
        try (SseClient sse = s.open("?types=finished")) {
            TrackedTask failed = s.running("m");
            failed.fail("disk on fire");
            TrackedTask aborted = s.running("m");
            aborted.abort("wrong directory", "alice");
            aborted.fail("stopped");
            JsonNode first = sse.nextEvent().json();
            assertThat(first.get("state").asText()).isEqualTo("failed");
            assertThat(first.get("error").asText()).isEqualTo("disk on fire");
            JsonNode second = sse.nextEvent().json();
            assertThat(second.get("state").asText()).isEqualTo("aborted");
            assertThat(second.at("/abort/requested_by").asText()).isEqualTo("alice");
        }
    }

    @Test
    void abortRequestsAreEventsOfTheirOwn() {
        try (SseClient sse = s.open("?types=abort_requested")) {
            TrackedTask task = s.running("m");
            task.abort("enough", "bob");
            JsonNode data = sse.nextEvent().json();
            assertThat(data.get("abort_requested").asBoolean()).isTrue();
            assertThat(data.at("/abort/reason").asText()).isEqualTo("enough");
        }
    }
}
