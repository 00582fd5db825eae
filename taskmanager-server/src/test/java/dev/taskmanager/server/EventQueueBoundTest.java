package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The queue between the tasks' threads and the dispatcher is bounded: when changes come faster than
 * events can be rendered, the excess is dropped (the tasks never wait) and clients get a reset.
 */
class EventQueueBoundTest {

    @Test
    void changesBeyondTheQueueAreDroppedWithoutWaitingAndClientsAreToldToReList() throws Exception {
        try (EventServer s = new EventServer(b -> b.eventBuffer(100_000)); SseClient sse = s.open("")) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            s.events().onDispatcher(() -> {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            int changes = EventFeed.MAX_PENDING_CHANGES + 100;
            for (int i = 0; i < changes; i++) { // created events, and the queue is full
                s.module("m").task("t").scope("node").track();
            }
            assertThat(s.events().feed().lostChanges()).isEqualTo(100);
            release.countDown();

            SseClient.Frame event;
            int created = 0;
            while (!(event = sse.nextEvent()).event().equals("reset")) {
                created++;
            }
            assertThat(event.json().get("reason").asText()).startsWith("events were dropped");
            assertThat(created).as("events rendered before the reset").isZero();
        }
    }
}
