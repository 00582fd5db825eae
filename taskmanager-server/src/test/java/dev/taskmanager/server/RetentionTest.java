package dev.taskmanager.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Retention over HTTP (SPEC §6): TTLs on fake time, user tasks, seed mode. */
class RetentionTest extends ApiTestBase {

    @Test
    void aFinishedTaskStaysForTheTtlThenLeaves() {
        client.post("/task_manager/ttl?ttl=10");
        String id = client.createTestTask("");
        client.finish(id);
        f.time.advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(client.status(id).get("state").asText()).isEqualTo("done");
        f.time.advance(Duration.ofSeconds(1));
        assertError(client.get("/task_manager/task_status/" + id), 400, "task with id " + id + " not found");
    }

    @Test
    void withTtlZeroAFinishedTaskLeavesAtOnce() {
        String id = client.createTestTask("");
        client.finish(id);
        assertError(client.get("/task_manager/task_status/" + id), 400, "not found");
        assertThat(client.get("/task_manager/list_module_tasks/test").body()).isEqualTo("[]");
    }

    @Test
    void theTtlInForceAtCompletionApplies() {
        client.post("/task_manager/ttl?ttl=100");
        String id = client.createTestTask("");
        client.finish(id);
        client.post("/task_manager/ttl?ttl=0");
        f.time.advance(Duration.ofSeconds(99));
        f.tm.cleanUp();
        assertThat(client.status(id).get("state").asText()).isEqualTo("done");
        f.time.advance(Duration.ofSeconds(2));
        f.tm.cleanUp();
        assertError(client.get("/task_manager/task_status/" + id), 400, "not found");
    }

    @Test
    void userTasksAreKeptForTheUserTaskTtl() {
        client.post("/task_manager/user_ttl?user_ttl=60");
        String user = client.createTestTask("user_task=true");
        String plain = client.createTestTask("user_task=FALSE");
        client.finish(user);
        client.finish(plain);
        assertError(client.get("/task_manager/task_status/" + plain), 400, "not found");
        f.time.advance(Duration.ofSeconds(59));
        assertThat(client.status(user).get("state").asText()).isEqualTo("done");
        f.time.advance(Duration.ofSeconds(2));
        assertError(client.get("/task_manager/task_status/" + user), 400, "not found");
    }

    @Test
    void readingNeverUnregistersByDefault() {
        client.post("/task_manager/ttl?ttl=60");
        String id = client.createTestTask("");
        client.finish(id);
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/task_manager/task_status/" + id).status()).isEqualTo(200);
            assertThat(client.get("/task_manager/task_status_recursive/" + id).status()).isEqualTo(200);
            assertThat(client.get("/task_manager/wait_task/" + id).status()).isEqualTo(200);
        }
    }

    @Test
    void seedModeUnregistersAFinishedTaskOnItsFirstStatusRead() {
        try (ServerFixture seed = new ServerFixture(b -> b.unregisterFinishedOnRead(true), s -> s)) {
            seed.withTestModule();
            ApiClient c = seed.client;
            c.post("/task_manager/ttl?ttl=60");
            String running = c.createTestTask("");
            String finished = c.createTestTask("");
            String recursive = c.createTestTask("");
            c.finish(finished);
            c.finish(recursive);

            assertThat(c.status(running).get("state").asText()).isEqualTo("running");
            assertThat(c.status(running).get("state").asText()).isEqualTo("running"); // running: kept

            assertThat(c.status(finished).get("state").asText()).isEqualTo("done");
            assertError(c.get("/task_manager/task_status/" + finished), 400, "not found");

            assertThat(c.get("/task_manager/task_status_recursive/" + recursive).status()).isEqualTo(200);
            assertError(c.get("/task_manager/task_status_recursive/" + recursive), 400, "not found");
        }
    }
}
