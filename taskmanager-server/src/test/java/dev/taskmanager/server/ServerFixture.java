package dev.taskmanager.server;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real server on an ephemeral port around a task manager on fake time, with the test API on.
 * Close it after each test.
 */
final class ServerFixture implements AutoCloseable {
    final FakeTime time = new FakeTime();
    final TaskManager tm;
    final TaskManagerServer server;
    final ApiClient client;

    ServerFixture() {
        this(b -> b, s -> s);
    }

    ServerFixture(UnaryOperator<TaskManager.Builder> manager, UnaryOperator<TaskManagerServer.Builder> server) {
        this.tm = manager.apply(time.builder().shards(2)).build();
        try {
            this.server = server.apply(TaskManagerServer.builder(tm).port(0).enableTestApi(true)
                    .ownsTaskManager(true)).build().start();
        } catch (IOException e) {
            tm.close();
            throw new UncheckedIOException(e);
        }
        this.client = new ApiClient(this.server.uri());
    }

    /** Registers the test module over HTTP. */
    ServerFixture withTestModule() {
        ApiClient.Answer answer = client.post("/task_manager_test/test_module");
        if (answer.status() != 200) {
            throw new AssertionError(answer.body());
        }
        return this;
    }

    @Override
    public void close() {
        server.close();
    }
}
