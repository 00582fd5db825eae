package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.store.HistoryStore;
import dev.taskmanager.store.StoredTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server, in its own process, killed with SIGKILL while it works, then started again on the
 * same data directory: every task it had finished is in its history exactly as the API showed it,
 * and every task it was running is {@code failed}, {@code interrupted}, with its last checkpointed
 * progress.
 */
class CrashTest {
    private static final String NODE = "crash-test";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void aServerKilledMidWorkLosesNoFinishedTaskAndItsRunningTasksFailAsInterruptedWithTheirLastProgress()
            throws Exception {
        Path data = temp.resolve("data");
        Path tree = Files.createDirectories(temp.resolve("tree/sub"));
        FilesEndToEndTest.write(tree.resolve("big.bin"), 3 << 20);
        FilesEndToEndTest.write(tree.getParent().resolve("small.txt"), 1000);
        // a sparse 8 GiB file: no disk space, and seconds of hashing, so that this manifest is mid-work
        // at the kill
        Path slow = Files.createDirectories(temp.resolve("slow"));
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(slow.resolve("sparse.bin").toFile(), "rw")) {
            sparse.setLength(8L << 30);
        }
        String[] flags = {"--data-dir", data.toString(), "--allow-path", tree.getParent().toString(),
                "--allow-path", slow.toString(),
                "--enable-test-api", "--node-name", NODE, "--user-task-ttl-in-seconds", "3600",
                "--task-ttl-in-seconds", "3600"};

        Map<UUID, Map<String, Object>> finished = new LinkedHashMap<>();
        Map<UUID, Double> running = new LinkedHashMap<>();
        UUID slowManifest;
        try (ServerProcess first = ServerProcess.start(temp.resolve("first.err"), flags)) {
            // a files operation, to its end, and its tree as the API shows it
            String manifest = (String) ServerProcess.json(first.ok("POST", "/files/manifest?path=" + tree.getParent()));
            first.ok("GET", "/task_manager/wait_task/" + manifest + "?timeout=60");
            for (Object status : (List<?>) ServerProcess.json(first.ok("GET",
                    "/task_manager/task_status_recursive/" + manifest))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> s = (Map<String, Object>) status;
                finished.put(UUID.fromString((String) s.get("id")), s);
            }
            // many small tasks: finished, failed, and running with progress, some with running children
            first.ok("POST", "/task_manager_test/test_module");
            for (int i = 0; i < 300; i++) {
                UUID id = UUID.fromString((String) ServerProcess.json(first.ok("POST",
                        "/task_manager_test/test_task?entity=task-" + i + "&user_task=" + (i % 2 == 0))));
                if (i % 3 == 0) {
                    first.ok("POST", "/task_manager_test/finish_test_task/" + id);
                } else if (i % 3 == 1) {
                    first.ok("POST", "/task_manager_test/finish_test_task/" + id + "?error=broken%20" + i);
                } else {
                    first.ok("POST", "/task_manager_test/test_task_progress/" + id + "?completed=" + i + "&total=1000");
                    running.put(id, (double) i);
                    if (i % 10 == 2) {
                        UUID child = UUID.fromString((String) ServerProcess.json(first.ok("POST",
                                "/task_manager_test/test_task?parent_id=" + id)));
                        running.put(child, 0.0);
                    }
                    continue;
                }
                finished.put(id, status(first, id));
            }

            try (HistoryStore history = HistoryStore.builder().sqlite(data.resolve("history")).open()) {
                // the kill comes once the history holds what the API showed: finals at once, progress
                // within a checkpoint interval
                await("the history to catch up", () -> finished.keySet().stream().allMatch(id ->
                        history.find(id).map(t -> t.status().state().isTerminal()).orElse(false))
                        && running.entrySet().stream().allMatch(r -> history.find(r.getKey())
                        .map(t -> t.status().progress().completed() == r.getValue()).orElse(false)));
            }
            // a files operation running at the kill: its whole tree in the store, running, its progress
            // checkpointed (the root's first checkpoint can be written before its children's first rows)
            slowManifest = UUID.fromString((String) ServerProcess.json(first.ok("POST", "/files/manifest?path=" + slow)));
            try (HistoryStore history = HistoryStore.builder().sqlite(data.resolve("history")).open()) {
                await("the running manifest's first checkpoint and its output and file children", () -> {
                    List<StoredTask> manifestTree = history.tree(slowManifest, 100);
                    return manifestTree.size() == 3 && manifestTree.get(0).status().progress().completed() > 0;
                });
                assertThat(history.tree(slowManifest, 100)).as("the manifest of an 8 GiB file, still running")
                        .allMatch(t -> !t.status().state().isTerminal());
            }
            UUID late = running.keySet().iterator().next();
            first.ok("POST", "/task_manager_test/test_task_progress/" + late + "?completed=999");
            first.kill(); // the report above is lost unless its checkpoint came before the kill
            running.put(late, null);
            running.put(slowManifest, -1.0);
        }

        // What the store held at the kill, read before the restart: every task it then held as
        // unfinished is what the restart must record as interrupted, no more, no fewer.
        Map<UUID, StoredTask> unfinishedAtKill = new LinkedHashMap<>();
        List<StoredTask> slowTreeAtKill;
        try (HistoryStore history = HistoryStore.builder().sqlite(data.resolve("history")).open()) {
            history.query(TaskQuery.builder().states(TaskQuery.State.CREATED, TaskQuery.State.RUNNING)
                    .includeInternal(true).limit(TaskQuery.MAX_LIMIT).build(), NODE)
                    .tasks().forEach(t -> unfinishedAtKill.put(t.status().id(), t));
            slowTreeAtKill = history.tree(slowManifest, 100);
            for (UUID id : running.keySet()) {
                assertThat(unfinishedAtKill).as("task %s, running at the kill, is stored as unfinished; it is %s", id,
                        history.find(id).map(t -> t.status().state() + " " + t.status().error()).orElse("absent"))
                        .containsKey(id);
            }
            assertThat(slowTreeAtKill).as("the manifest, its output and its file").hasSize(3);
            List<UUID> expected = new ArrayList<>(running.keySet());
            slowTreeAtKill.stream().skip(1).forEach(t -> expected.add(t.status().id()));
            assertThat(unfinishedAtKill.keySet()).as("the running tasks and the manifest's tree, and nothing else")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }

        Instant restart = Instant.now();
        try (ServerProcess second = ServerProcess.start(temp.resolve("second.err"), flags);
             HistoryStore history = HistoryStore.builder().sqlite(data.resolve("history")).open()) {
            java.util.regex.Matcher interrupted = java.util.regex.Pattern.compile("History: (\\d+) tasks of node " + NODE
                    + " were unfinished when its server stopped; recorded them as failed \\(interrupted\\)")
                    .matcher(String.join("\n", second.output()));
            assertThat(interrupted.find()).as(String.join("\n", second.output())).isTrue();
            assertThat(Integer.parseInt(interrupted.group(1))).as("the tasks unfinished at the kill: the %s running "
                    + "tasks, the manifest and its 2 children", running.size() - 1).isEqualTo(unfinishedAtKill.size());

            for (Map.Entry<UUID, Map<String, Object>> f : finished.entrySet()) {
                StoredTask stored = history.find(f.getKey()).orElseThrow(() -> new AssertionError("lost " + f));
                assertSameAsTheApiShowed(stored.status(), f.getValue());
                assertThat(stored.node()).isEqualTo(NODE);
            }
            for (StoredTask atKill : unfinishedAtKill.values()) {
                // each one failed, interrupted, with exactly the progress of its last checkpoint
                TaskStatus stored = history.find(atKill.status().id()).orElseThrow().status();
                String what = "task " + stored.id() + " (" + stored.scope() + ")";
                assertThat(stored.state()).as(what).isEqualTo(TaskState.FAILED);
                assertThat(stored.error()).as(what).startsWith("interrupted: the server stopped (last seen at ");
                assertThat(stored.progress()).as(what).isEqualTo(atKill.status().progress());
                assertThat(stored.endTime()).as(what).isBefore(restart);
            }
            for (Map.Entry<UUID, Double> r : running.entrySet()) {
                TaskStatus stored = history.find(r.getKey()).orElseThrow().status();
                if (r.getValue() == null) {
                    assertThat(stored.progress().completed()).isIn(2.0, 999.0);
                } else if (r.getValue() < 0) { // the manifest: its last checkpoint, part of the way
                    assertThat(stored.progress().completed()).isPositive().isLessThan(stored.progress().total());
                } else {
                    assertThat(stored.progress().completed()).isEqualTo(r.getValue());
                }
            }
        }
    }

    private static Map<String, Object> status(ServerProcess server, UUID id) {
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) ServerProcess.json(server.ok("GET",
                "/task_manager/task_status/" + id));
        return status;
    }

    /** Every field of the compat {@code task_status} the API answered, against the stored snapshot. */
    private static void assertSameAsTheApiShowed(TaskStatus stored, Map<String, Object> shown) {
        String what = "task " + shown.get("id");
        assertThat(stored.state().wireName()).as(what).isEqualTo(shown.get("state"));
        assertThat(stored.error()).as(what).isEqualTo(shown.get("error"));
        assertThat(stored.type()).as(what).isEqualTo(shown.get("type"));
        assertThat(stored.scope()).as(what).isEqualTo(shown.get("scope"));
        assertThat(stored.entity()).as(what).isEqualTo(shown.get("entity"));
        assertThat(stored.abortable()).as(what).isEqualTo(shown.get("is_abortable"));
        assertThat((double) stored.sequenceNumber()).as(what).isEqualTo(shown.get("sequence_number"));
        assertThat(stored.progress().completed()).as(what).isEqualTo(shown.get("progress_completed"));
        assertThat(stored.progress().total()).as(what).isEqualTo(shown.get("progress_total"));
        assertThat(Optional.ofNullable(stored.parentId()).map(UUID::toString).orElse("none")).as(what)
                .isEqualTo(shown.get("parent_id"));
        assertThat(stored.startTime().getEpochSecond()).as(what)
                .isEqualTo(Instant.parse((String) shown.get("start_time")).getEpochSecond());
        assertThat(stored.endTime().getEpochSecond()).as(what)
                .isEqualTo(Instant.parse((String) shown.get("end_time")).getEpochSecond());
        List<String> children = new ArrayList<>();
        for (Object child : (List<?>) shown.get("children_ids")) {
            children.add((String) ((Map<?, ?>) child).get("task_id"));
        }
        if (stored.parentId() == null) {
            assertThat(stored.children()).extracting(UUID::toString).as(what).containsExactlyElementsOf(children);
        } else {
            // a folded child shows only its failed children (SPEC §12.4); its row keeps its final status,
            // which lists every child it had (each of which is stored too)
            assertThat(stored.children()).extracting(UUID::toString).as(what).containsAll(children);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
