package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TrackedTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real server on an ephemeral port for event-stream tests: the task manager and the stream's
 * coalescing and heartbeats on one fake time, whose timers run when the test advances it.
 */
final class EventServer implements AutoCloseable {
    final FakeTime time = new FakeTime();
    final FakeTimer timer = new FakeTimer(time);
    final TaskManager tm;
    final TaskManagerServer server;
    final ApiClient client;

    EventServer() {
        this(s -> s);
    }

    EventServer(UnaryOperator<TaskManagerServer.Builder> settings) {
        this.tm = time.builder().build();
        try {
            this.server = settings.apply(TaskManagerServer.builder(tm).port(0).ownsTaskManager(true)
                    .eventTime(time, timer)).build().start();
        } catch (IOException e) {
            tm.close();
            throw new UncheckedIOException(e);
        }
        this.client = new ApiClient(server.uri());
    }

    EventStream events() {
        return server.api().events();
    }

    int port() {
        return server.port();
    }

    /**
     * Opens a stream with the given query ({@code ""} or {@code "?module=x"}) and reads up to its retry
     * line. The changes made before are dispatched first, so none of them reaches the new stream.
     */
    SseClient open(String query, String... headerLines) {
        dispatched();
        long before = events().openedCount();
        SseClient sse = SseClient.open(port(), EventStream.PATH + query, headerLines);
        assertThat(sse.status()).as("status of %s", query).isEqualTo(200);
        assertThat(sse.next().retry()).isEqualTo("3000");
        Await.until("the stream is registered", () -> events().openedCount() > before);
        return sse;
    }

    /** Returns once every change the tasks made so far has been turned into events (the dispatcher ran past them). */
    void dispatched() {
        CountDownLatch done = new CountDownLatch(1);
        events().onDispatcher(done::countDown);
        try {
            assertThat(done.await(20, TimeUnit.SECONDS)).as("the dispatcher caught up").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    TaskModule module(String name) {
        return tm.module(name);
    }

    /** A started tracked task of module {@code name}. */
    TrackedTask running(String name) {
        TrackedTask task = module(name).task("copy").scope("node").entity("e").track();
        task.start();
        return task;
    }

    @Override
    public void close() {
        server.close();
    }
}
