package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskState;
import dev.taskmanager.TrackedTask;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and stuck clients never slow the tasks: a client that stops reading (a real socket with a tiny
 * receive buffer that nobody reads) is reset and disconnected once it is more than its bound behind,
 * and tasks finish while it is stuck.
 */
class EventBackpressureTest {
    /** Big events fill the socket buffers between server and client in a few hundred tasks. */
    private static final String BIG = "x".repeat(4000);

    private EventServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    /**
     * Runs whole task lifecycles until the client is more than {@code lag} events behind (or was
     * already reset for it: when the dispatcher outruns its pump before the socket fills).
     */
    private void fillUntilBehindBy(long lag) {
        for (int i = 0; i < 100_000 && s.events().maxLag() <= lag && s.events().droppedClients() == 0; i++) {
            TrackedTask task = s.module("files").task("copy").scope("file").entity(BIG).track();
            task.start();
            task.complete();
        }
    }

    /**
     * Runs task lifecycles until the one client has stopped moving: through three rounds of 200 more
     * events each, its cursor stays put and its write stays in flight. Returns its cursor, or -1 if
     * the server cut it off meanwhile (a short idle timeout).
     */
    private long fillUntilStuck() {
        int still = 0;
        for (int round = 0; round < 500 && still < 3; round++) {
            List<Long> cursors = s.events().cursors();
            if (cursors.isEmpty()) {
                return -1;
            }
            long before = cursors.get(0);
            for (int i = 0; i < 50; i++) {
                TrackedTask task = s.module("files").task("copy").scope("file").entity(BIG).track();
                task.start();
                task.complete();
            }
            Await.until("the dispatcher is done", () -> s.events().feed().pendingChanges() == 0);
            List<Long> now = s.events().cursors();
            boolean stuck = !now.isEmpty() && now.get(0) == before && s.events().writingClients() == 1;
            still = stuck ? still + 1 : 0;
        }
        List<Long> cursors = s.events().cursors();
        if (cursors.isEmpty()) {
            return -1;
        }
        if (still < 3) {
            throw new AssertionError("the client never got stuck");
        }
        return cursors.get(0);
    }

    @Test
    void aClientThatStopsReadingIsResetAndDisconnectedOnceItFallsBehindItsBound() {
        s = new EventServer(b -> b.eventBuffer(64));
        SseClient stuck = SseClient.connect(s.port(), 2048, EventStream.PATH);
        try {
            Await.until("the stream is open", () -> s.events().connectedClients() == 1);
            fillUntilBehindBy(64);

            stuck.readHead(); // the client reads again: its pending write completes, then the reset goes out
            List<SseClient.Frame> frames = stuck.readToEnd();
            SseClient.Frame last = frames.get(frames.size() - 1);
            assertThat(last.event()).isEqualTo("reset");
            assertThat(last.json().get("reason").asText()).isEqualTo("the client fell behind");
            long previous = 0;
            for (SseClient.Frame frame : frames) {
                if (frame.isEvent()) {
                    assertThat(frame.idNumber()).isGreaterThan(previous);
                    previous = frame.idNumber();
                }
            }
            Await.until("its state is gone", () -> s.events().connectedClients() == 0);
            assertThat(s.events().droppedClients()).isEqualTo(1);
            assertThat(s.server.droppedEventStreamClients()).isEqualTo(1);
        } finally {
            stuck.close();
        }
    }

    @Test
    void aClientWhoseConnectionTakesNothingForAnIdleTimeoutIsDropped() {
        s = new EventServer(b -> b.idleTimeout(java.time.Duration.ofMillis(500)));
        SseClient stuck = SseClient.connect(s.port(), 2048, EventStream.PATH);
        try {
            Await.until("the stream is open", () -> s.events().connectedClients() == 1);
            fillUntilStuck();
            Await.until("the stuck client is cut off", () -> s.events().connectedClients() == 0);
            assertThat(s.events().droppedClients()).isEqualTo(1);
        } finally {
            stuck.close();
        }
    }

    @Test
    void aTaskFinishesWhileAClientIsStuck() throws Exception {
        s = new EventServer();
        SseClient stuck = SseClient.connect(s.port(), 2048, EventStream.PATH);
        try {
            Await.until("the stream is open", () -> s.events().connectedClients() == 1);
            long stuckAt = fillUntilStuck();

            TrackedTask task = s.running("files");
            CountDownLatch finished = new CountDownLatch(1);
            Thread worker = new Thread(() -> {
                for (int i = 1; i <= 1000; i++) {
                    task.progress().set(i, 1000);
                }
                task.complete();
                finished.countDown();
            });
            worker.start();
            assertThat(finished.await(20, TimeUnit.SECONDS)).as("the task finished while the client was stuck").isTrue();
            assertThat(task.state()).isEqualTo(TaskState.DONE);
            assertThat(s.events().connectedClients()).as("and the stuck client is still there").isEqualTo(1);
            Await.until("the task's events are in the log", () -> s.events().feed().pendingChanges() == 0);
            assertThat(s.events().cursors()).as("it stayed stuck all along").containsExactly(stuckAt);
        } finally {
            stuck.close();
        }
    }
}
