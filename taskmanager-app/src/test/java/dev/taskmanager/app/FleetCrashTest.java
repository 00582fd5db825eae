package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskState;
import dev.taskmanager.store.HistoryStore;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code serve} processes on one PostgreSQL; one is killed with SIGKILL while it runs tasks.
 * Within its lease plus 5 s the others show its running tasks as {@code node lost}, and every task it
 * had finished is still there, as it ended.
 */
class FleetCrashTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void aKilledNodesRunningTasksShowNodeLostOnTheOthersWithinTheLeasePlusFiveSecondsAndNothingFinishedIsMissing()
            throws Exception {
        String url = SharedPostgres.newDatabase();
        List<ServerProcess> servers = new ArrayList<>();
        try {
            for (String name : List.of("node-a", "node-b", "node-c")) {
                int port = freePort();
                servers.add(ServerProcess.startExactly(temp.resolve(name + ".err"), List.of("--api-port",
                        String.valueOf(port), "--data-dir", temp.resolve(name).toString(), "--enable-test-api",
                        "--store", url, "--node-name", name, "--advertise-address", "127.0.0.1:" + port,
                        "--lease-interval", "250ms", "--lease-duration", LEASE.toMillis() + "ms",
                        "--user-task-ttl-in-seconds", "3600", "--task-ttl-in-seconds", "3600")));
            }
            ServerProcess a = servers.get(0);
            ServerProcess b = servers.get(1);
            ServerProcess c = servers.get(2);
            assertThat(c.output()).anyMatch(line -> line.startsWith("Fleet: node node-c (epoch 1) advertised as 127.0.0.1:"));

            c.ok("POST", "/task_manager_test/test_module");
            Map<UUID, String> finished = new LinkedHashMap<>();
            List<UUID> running = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                UUID id = UUID.fromString((String) ServerProcess.json(c.ok("POST",
                        "/task_manager_test/test_task?entity=task-" + i + "&user_task=true")));
                if (i % 3 == 0) {
                    c.ok("POST", "/task_manager_test/finish_test_task/" + id);
                    finished.put(id, "done");
                } else if (i % 3 == 1) {
                    c.ok("POST", "/task_manager_test/finish_test_task/" + id + "?error=broken");
                    finished.put(id, "failed");
                } else {
                    c.ok("POST", "/task_manager_test/test_task_progress/" + id + "?completed=" + i + "&total=100");
                    running.add(id);
                }
            }
            try (HistoryStore reader = HistoryStore.builder().postgres(url).open()) {
                await("the store to hold what node-c's API showed", START_DEADLINE, () ->
                        finished.keySet().stream().allMatch(id -> reader.find(id)
                                .map(t -> t.status().state().isTerminal()).orElse(false))
                        && running.stream().allMatch(id -> reader.find(id).isPresent()));
            }

            c.kill();
            long killed = System.nanoTime();

            await("node-c's running tasks to show node lost on node-a", LEASE.plusSeconds(5), () ->
                    running.stream().allMatch(id -> lost(a, id)));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(LEASE.plusSeconds(5));
            for (UUID id : running) {
                assertThat(lost(b, id)).as("node-b agrees on " + id).isTrue();
            }
            Map<String, String> listed = new LinkedHashMap<>();
            String token = "";
            do {
                Map<?, ?> page = (Map<?, ?>) ServerProcess.json(b.ok("GET",
                        "/v2/tasks?cluster=true&module=test&page_size=25&page_token=" + token));
                for (Object o : (List<?>) page.get("tasks")) {
                    Map<?, ?> task = (Map<?, ?>) o;
                    listed.put((String) task.get("id"), (String) task.get("state"));
                    assertThat(task.get("node")).isEqualTo("127.0.0.1:" + c.uri().getPort());
                }
                token = (String) page.get("next_page_token");
            } while (!token.isEmpty());
            for (Map.Entry<UUID, String> f : finished.entrySet()) {
                assertThat(listed.get(f.getKey().toString())).as("finished task " + f.getKey()).isEqualTo(f.getValue());
            }
            assertThat(listed).hasSize(60);
        } finally {
            servers.forEach(ServerProcess::close);
        }
    }

    /** Whether a node answers the task as failed because its node was lost. */
    private static boolean lost(ServerProcess server, UUID id) {
        var answer = server.send("GET", "/v2/tasks/" + id);
        if (answer.statusCode() != 200) {
            return false;
        }
        Map<?, ?> task = (Map<?, ?>) ServerProcess.json(answer.body());
        return TaskState.FAILED.wireName().equals(task.get("state"))
                && String.valueOf(task.get("error")).startsWith("node lost: node-c stopped renewing its lease at ");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + within + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
