package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TrackedTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resuming with {@code Last-Event-ID}: every missed event exactly once from the shared buffer, or one
 * {@code reset} when they are gone.
 */
class EventResumeTest {
    private EventServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    /** Runs {@code count} tasks through their whole life: 4 events each (created, started, finished, unregistered). */
    private void lifecycles(int count) {
        for (int i = 0; i < count; i++) {
            TrackedTask task = s.running("files");
            task.complete();
        }
    }

    private static List<String> read(SseClient sse, int events) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            SseClient.Frame event = sse.nextEvent();
            seen.add(event.id() + " " + event.event() + " " + event.taskId());
        }
        return seen;
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsEveryMissedEventExactlyOnce() {
        s = new EventServer();
        try (SseClient observer = s.open("")) {
            String lastSeen;
            try (SseClient first = s.open("")) {
                lifecycles(3);
                List<String> seen = read(first, 12);
                assertThat(read(observer, 12)).isEqualTo(seen);
                lastSeen = seen.get(7).split(" ")[0]; // it read 8 events, then went away
            }
            lifecycles(5);
            List<String> missed = new ArrayList<>(read(observer, 20));
            try (SseClient again = s.open("", "Last-Event-ID: " + lastSeen)) {
                List<String> replayed = read(again, 24);
                List<String> expected = new ArrayList<>();
                // the 4 it had not read, then the 20 that happened while it was away
                expected.addAll(replayed.subList(0, 4));
                expected.addAll(missed);
                assertThat(replayed).isEqualTo(expected);
                assertThat(replayed.get(0).split(" ")[0]).isEqualTo(Long.toString(Long.parseLong(lastSeen) + 1));
                TrackedTask live = s.running("files");
                SseClient.Frame next = again.nextEvent();
                assertThat(next.taskId()).as("then live events").isEqualTo(live.id().toString());
                assertThat(next.idNumber()).isEqualTo(Long.parseLong(missed.get(19).split(" ")[0]) + 1);
            }
        }
    }

    @Test
    void clientsThatCannotSetHeadersResumeWithTheQueryParameterAndTheHeaderWins() {
        s = new EventServer();
        long before;
        try (SseClient sse = s.open("")) {
            lifecycles(1);
            before = sse.nextEvent().idNumber(); // created
        }
        lifecycles(1);
        try (SseClient byParameter = s.open("?last_event_id=" + before)) {
            assertThat(byParameter.nextEvent().idNumber()).isEqualTo(before + 1);
        }
        try (SseClient both = s.open("?last_event_id=" + before, "Last-Event-ID: " + (before + 4))) {
            assertThat(both.nextEvent().idNumber()).as("the header's id").isEqualTo(before + 5);
        }
    }

    @Test
    void aClientResumingFromEventsNoLongerBufferedGetsOneResetThenLiveEvents() {
        s = new EventServer(b -> b.eventBuffer(16));
        long old;
        try (SseClient sse = s.open("")) {
            lifecycles(1);
            old = sse.nextEvent().idNumber();
        }
        lifecycles(10); // 40 events: the buffer keeps the newest 16
        long head = old + 43;
        Await.until("every event is in the buffer", () -> s.events().log().head() == head);
        try (SseClient late = s.open("", "Last-Event-ID: " + old)) {
            SseClient.Frame reset = late.nextEvent();
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(reset.json().get("reason").asText()).isEqualTo("events since " + old + " are no longer buffered");
            assertThat(reset.idNumber()).as("the newest id: resuming after it replays nothing twice").isEqualTo(head);
            TrackedTask live = s.running("files");
            SseClient.Frame next = late.nextEvent();
            assertThat(next.event()).isEqualTo("created");
            assertThat(next.taskId()).isEqualTo(live.id().toString());
        }
        try (SseClient resumed = s.open("", "Last-Event-ID: " + head)) {
            assertThat(resumed.nextEvent().event()).as("after the reset's id: no second reset").isEqualTo("created");
        }
    }

    @Test
    void anIdFromAnotherRunOfTheServerGetsAReset() {
        s = new EventServer();
        long head;
        try (SseClient sse = s.open("")) {
            lifecycles(1);
            head = read(sse, 4).stream().mapToLong(e -> Long.parseLong(e.split(" ")[0])).max().orElseThrow();
        }
        try (SseClient future = s.open("", "Last-Event-ID: " + (head + 1000))) {
            SseClient.Frame reset = future.nextEvent();
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(reset.json().get("reason").asText()).contains("not from this server's current run");
        }
        try (SseClient earlier = s.open("?last_event_id=41")) {
            SseClient.Frame reset = earlier.nextEvent();
            assertThat(reset.event()).as("ids start at the start time: an earlier run's are older").isEqualTo("reset");
            assertThat(reset.json().get("reason").asText()).isEqualTo("events since 41 are no longer buffered");
        }
    }

    @Test
    void aResetIsDeliveredWhateverTheFilters() {
        s = new EventServer(b -> b.eventBuffer(16));
        lifecycles(10);
        try (SseClient filtered = s.open("?module=none&types=created&state=done", "Last-Event-ID: 1")) {
            assertThat(filtered.nextEvent().event()).isEqualTo("reset");
        }
    }
}
