package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskmanager.TrackedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Progress events are coalesced per task on the stream's clock (a fake one here, advanced by the
 * test): at most 4 a second by default, the newest state winning, and the last progress before
 * {@code finished} never lost.
 */
class EventCoalescingTest {
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
    void aBurstOfAThousandReportsOverOneSecondYieldsAtMostFourProgressEventsAndTheFinalValue() {
        try (SseClient sse = s.open("?types=progress,finished")) {
            TrackedTask task = s.running("files");
            for (int i = 1; i <= 1000; i++) {
                task.progress().set(i, 1000);
                if (i < 1000) {
                    s.timer.advance(Duration.ofMillis(1)); // the burst spans [0, 999] ms of the stream's clock
                }
            }
            task.complete();
            List<JsonNode> progress = new ArrayList<>();
            SseClient.Frame event;
            while (!(event = sse.nextEvent()).event().equals("finished")) {
                progress.add(event.json());
            }
            List<JsonNode> whileRunning = progress.stream().filter(p -> p.get("state").asText().equals("running")).toList();
            assertThat(whileRunning).as("progress events in one second of the clock").hasSizeLessThanOrEqualTo(4);
            assertThat(progress).as("the last one, at least").isNotEmpty();
            assertThat(progress.size() - whileRunning.size()).as("at most the one flushed before finished").isLessThanOrEqualTo(1);
            assertThat(progress.get(progress.size() - 1).at("/progress/completed").asDouble()).isEqualTo(1000);
            assertThat(event.json().at("/progress/completed").asDouble()).isEqualTo(1000);
            long previous = 0;
            for (JsonNode p : progress) {
                long completed = p.at("/progress/completed").asLong();
                assertThat(completed).as("the newest state each time").isGreaterThan(previous);
                previous = completed;
            }
        }
    }

    @Test
    void reportsWithinTheIntervalWaitForItAndTheNewestWins() {
        try (SseClient sse = s.open("?types=progress,created")) {
            TrackedTask task = s.running("files");
            assertThat(sse.nextEvent().event()).isEqualTo("created");
            task.progress().set(1, 1000);
            SseClient.Frame first = sse.nextEvent();
            assertThat(first.event()).isEqualTo("progress");
            assertThat(first.json().at("/progress/completed").asDouble()).isEqualTo(1);
            for (int i = 2; i <= 1000; i++) {
                task.progress().set(i, 1000); // all at the same instant: within the first's interval
            }
            TrackedTask marker = s.running("marker");
            SseClient.Frame next = sse.nextEvent();
            assertThat(next.event()).as("nothing between the first progress and the marker").isEqualTo("created");
            assertThat(next.taskId()).isEqualTo(marker.id().toString());

            s.timer.advance(Duration.ofMillis(249));
            TrackedTask marker2 = s.running("marker");
            assertThat(sse.nextEvent().taskId()).as("still nothing 249 ms later").isEqualTo(marker2.id().toString());

            s.timer.advance(Duration.ofMillis(1));
            SseClient.Frame flushed = sse.nextEvent();
            assertThat(flushed.event()).isEqualTo("progress");
            assertThat(flushed.json().at("/progress/completed").asDouble()).isEqualTo(1000);
            assertThat(flushed.json().get("state").asText()).isEqualTo("running");
        }
    }

    @Test
    void aPendingProgressIsSentRightBeforeFinishedAndNoneAfterIt() {
        try (SseClient sse = s.open("?types=progress,finished,unregistered")) {
            TrackedTask task = s.running("files");
            task.progress().set(1, 10);
            assertThat(sse.nextEvent().json().at("/progress/completed").asDouble()).isEqualTo(1);
            task.progress().set(7, 10); // within the interval: pending
            task.complete();
            SseClient.Frame flushed = sse.nextEvent();
            assertThat(flushed.event()).isEqualTo("progress");
            assertThat(flushed.json().at("/progress/completed").asDouble()).isEqualTo(7);
            assertThat(sse.nextEvent().event()).isEqualTo("finished");
            assertThat(sse.nextEvent().event()).isEqualTo("unregistered");
            s.timer.advance(Duration.ofSeconds(1));
            assertThat(s.events().feed().progressSlots()).as("no coalescing state left for the task").isZero();
        }
    }

    @Test
    void eachTaskIsCoalescedOnItsOwn() {
        try (SseClient sse = s.open("?types=progress")) {
            TrackedTask a = s.running("files");
            TrackedTask b = s.running("files");
            a.progress().set(1, 2);
            b.progress().set(1, 2);
            assertThat(List.of(sse.nextEvent().taskId(), sse.nextEvent().taskId()))
                    .containsExactlyInAnyOrder(a.id().toString(), b.id().toString());
        }
    }

    @Test
    void aParentGetsProgressEventsWhenItsChildrenProgressCoalescedTheSameWay() {
        TrackedTask root = s.running("files");
        TrackedTask child = s.module("files").task("file").scope("file").parent(root.id()).track();
        child.start();
        try (SseClient sse = s.open("?task=" + root.id() + "&types=progress")) {
            s.timer.advance(Duration.ofMillis(250)); // the child's creation already counted as the root's progress
            child.progress().set(40, 100);
            List<String> ids = List.of(sse.nextEvent().taskId(), sse.nextEvent().taskId());
            assertThat(ids).containsExactlyInAnyOrder(root.id().toString(), child.id().toString());
            for (int i = 41; i <= 60; i++) {
                child.progress().set(i, 100);
            }
            s.timer.advance(Duration.ofMillis(250));
            JsonNode first = sse.nextEvent().json();
            JsonNode second = sse.nextEvent().json();
            JsonNode rootNow = first.get("id").asText().equals(root.id().toString()) ? first : second;
            assertThat(rootNow.at("/progress/completed").asDouble()).as("the root shows its children's progress")
                    .isEqualTo(60);
        }
    }
}
