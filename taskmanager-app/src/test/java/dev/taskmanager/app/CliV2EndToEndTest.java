package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.Task;
import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.cli.Sleeper;
import dev.taskmanager.cli.TasksCli;
import dev.taskmanager.cli.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 commands of the {@code tasks} CLI against the real server (issue 9): {@code watch} on a
 * real files operation, {@code find} paging through the v2 list, {@code abort --reason} read back
 * through {@code GET /v2/tasks/{id}}, {@code list --wide}; every {@code --output json} parsed back
 * with jackson.
 */
class CliV2EndToEndTest {

    private static final long KIB = 1 << 10;

    @TempDir
    Path temp;

    /** For find, abort and list: {@code serve}'s wiring, with the test API. */
    private AppServer server;
    /** For watch: a files workload slow enough to watch. */
    private TunedFilesServer files;

    @AfterEach
    void stopServers() {
        if (server != null) {
            server.close();
        }
        if (files != null) {
            files.close();
        }
    }

    private void startWithTestApi() throws Exception {
        server = AppServer.start(List.of(), "--enable-test-api", "--task-ttl-in-seconds", "60");
        server.postOk("/task_manager_test/test_module");
    }

    private String testTask(String query) {
        return server.postOk("/task_manager_test/test_task" + (query.isEmpty() ? "" : "?" + query))
                .replace("\"", "");
    }

    /**
     * A sleeper that, instead of sleeping, returns once task {@code id} read at least {@code step}
     * more bytes than when it was called, or ended: so each look of the watch sees the operation
     * moved on, however fast or slow the machine. Woken by a listener on the task manager.
     */
    private static final class ProgressSleeper implements Sleeper, TaskListener {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition moved = lock.newCondition();
        private final TunedFilesServer server;
        private final long step;
        private volatile UUID id;
        private int pauses;

        ProgressSleeper(TunedFilesServer server, long step) {
            this.server = server;
            this.step = step;
        }

        @Override
        public void onProgress(Task task) {
            signal();
        }

        @Override
        public void onFinished(TaskStatus status) {
            signal();
        }

        private void signal() {
            lock.lock();
            try {
                moved.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            pauses++;
            Task task = server.taskManager().find(id).orElseThrow();
            double from = task.status().progress().completed();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            lock.lock();
            try {
                while (task.status().progress().completed() < from + step
                        && !task.state().isTerminal()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("task " + id + " did not move in 30 s");
                    }
                    moved.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Four files of 512 KiB in two directories: each a leaf of its own, 2 MiB in all. */
    private Path tree() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Random random = new Random(7);
        for (String name : List.of("a/one.bin", "a/two.bin", "b/three.bin", "b/four.bin")) {
            byte[] bytes = new byte[(int) (512 * KIB)];
            random.nextBytes(bytes);
            Files.createDirectories(data.resolve(name).getParent());
            Files.write(data.resolve(name), bytes);
        }
        return data;
    }

    /** A server whose files workload reads 2 MiB/s in 32 KiB buffers, files of 256 KiB up a leaf each. */
    private ProgressSleeper startThrottled(Path data, long step) throws Exception {
        files = TunedFilesServer.start(List.of(data), options -> options.maxBytesPerSecond(2 << 20)
                .bufferSize((int) (32 * KIB)).largeFileThreshold(256 * KIB));
        ProgressSleeper sleeper = new ProgressSleeper(files, step);
        files.taskManager().addListener(sleeper);
        return sleeper;
    }

    private Run watch(Sleeper sleeper, Terminal terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of(files.address()));
            code = TasksCli.run(o, e, sleeper, terminal, all.toArray(new String[0]));
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void watchRedrawsARealManifestInPlaceUntilItIsDoneAndExitsZero() throws Exception {
        Path data = tree();
        ProgressSleeper sleeper = startThrottled(data, 384 * KIB);
        String id = files.run("files", "manifest", data.toString()).out().trim();
        sleeper.id = UUID.fromString(id);

        Run run = watch(sleeper, Terminal.fixed(120, 30), "tasks", "watch", id);

        assertThat(run.code()).as(run.toString()).isZero();
        String out = run.out();
        assertThat(out).startsWith("\033[?25l").endsWith("\033[J\033[?25h");
        String[] frames = out.substring(6, out.length() - 6).split("\033\\[J", -1);
        List<String> drawn = List.of(frames).subList(0, frames.length - 1);
        assertThat(drawn.size()).as("frames, one per look").isGreaterThanOrEqualTo(4)
                .isEqualTo(sleeper.pauses + 1);
        for (int i = 1; i < drawn.size(); i++) {
            long linesBefore = drawn.get(i - 1).chars().filter(c -> c == '\n').count();
            assertThat(drawn.get(i)).as("frame %d goes back up over the one before", i)
                    .startsWith("\033[" + linesBefore + "A\r\033[2K");
        }
        assertThat(drawn.subList(1, drawn.size() - 1)).as("frames while it ran")
                .anySatisfy(frame -> assertThat(frame).containsPattern(" MiB [1-9][0-9]?%")
                        .contains("manifest  " + data.toRealPath() + "  running", "below: "));
        assertThat(drawn.get(drawn.size() - 1)).contains("manifest  " + data.toRealPath() + "  done",
                "2.0/2.0 MiB 100%");
    }

    @Test
    void watchAsJsonOfAFailingVerificationEndsWith123AndTheTasksAsTheServerHasThem() throws Exception {
        Path data = tree();
        ProgressSleeper sleeper = startThrottled(data, 512 * KIB);
        String manifestId = files.run("files", "manifest", data.toString()).out().trim();
        assertThat(files.run("tasks", "wait", "-q", manifestId).code()).isZero();
        Path manifest = files.dataDirectory.resolve("files/" + manifestId + ".sha256");
        Files.write(data.resolve("b/four.bin"), new byte[(int) (512 * KIB)]);
        String id = files.run("files", "verify", data.toString(), "--manifest",
                manifest.toString()).out().trim();
        sleeper.id = UUID.fromString(id);

        Run run = watch(sleeper, Terminal.pipe(), "tasks", "watch", id, "--output", "json");

        assertThat(run.code()).as(run.toString()).isEqualTo(123);
        List<Object> lines = run.out().lines().map(JsonDocument::parse).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
        Map<?, ?> last = (Map<?, ?>) lines.get(lines.size() - 1);
        Map<?, ?> task = (Map<?, ?>) last.get("task");
        assertThat(task.get("id")).isEqualTo(id);
        assertThat(task.get("state")).isEqualTo("failed");
        assertThat((String) task.get("error")).contains("1 of 4 files failed verification");
        assertThat(last.get("running")).isEqualTo(List.of());
        Map<?, ?> first = (Map<?, ?>) lines.get(0);
        // the first poll may come before the operation's body started it
        assertThat(((Map<?, ?>) first.get("task")).get("state")).as("the task before it ended").isIn("created", "running");
    }

    @Test
    void findWalksEveryPageOfTheV2ListInCreationOrder() throws Exception {
        startWithTestApi();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            ids.add(testTask("keyspace=ks1&entity=e" + i));
            testTask("keyspace=ks2");
        }

        Map<String, Object> all = object("tasks", "find", "--module", "test", "--keyspace", "ks1",
                "--page-size", "4", "--all", "--output", "json");
        assertThat(ids(all)).isEqualTo(ids);
        assertThat(all).containsEntry("next_page_token", "").containsEntry("total_size", 11L);

        Run text = server.run("tasks", "find", "--module", "test", "--keyspace", "ks1",
                "--page-size", "4", "--all");
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out().lines().skip(1).map(line -> line.substring(0, 36)))
                .containsExactlyElementsOf(ids);

        Run firstPage = server.run("tasks", "find", "--module", "test", "--keyspace", "ks1",
                "--page-size", "4");
        assertThat(firstPage.out().lines()).hasSize(5);
        String token = firstPage.err().replaceAll("(?s).*--page-token (\\S+) .*", "$1");
        Map<String, Object> second = object("tasks", "find", "--module", "test", "--keyspace",
                "ks1", "--page-size", "4", "--page-token", token, "--output", "json");
        assertThat(ids(second)).isEqualTo(ids.subList(4, 8));
    }

    @Test
    void findFiltersByStateAndARefusedFilterExitsFourNamingIt() throws Exception {
        startWithTestApi();
        String running = testTask("");
        String failed = testTask("");
        server.postOk("/task_manager_test/finish_test_task/" + failed + "?error=boom");

        Map<String, Object> page = object("tasks", "find", "--module", "test", "--state", "failed",
                "--output", "json");
        assertThat(ids(page)).containsExactly(failed);
        assertThat(ids(object("tasks", "find", "--state", "running", "--state", "failed",
                "--output", "json"))).containsExactly(running, failed);

        Run bad = server.run("tasks", "find", "--created-after", "yesterday");
        assertThat(bad.code()).isEqualTo(4);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).contains("status code 400", "created_after", "yesterday");
    }

    @Test
    void abortWithAReasonIsRecordedWithWhoAskedAndReadBackThroughTheV2Api() throws Exception {
        startWithTestApi();
        String id = testTask("abortable=true");

        Run abort = server.run("tasks", "abort", id, "--reason", "wrong directory");

        assertThat(abort.code()).as(abort.toString()).isZero();
        assertThat(abort.out()).isEmpty();
        HttpResponse<String> answer = server.get("/v2/tasks/" + id);
        assertThat(answer.statusCode()).isEqualTo(200);
        Map<?, ?> task = (Map<?, ?>) JsonDocument.parse(answer.body());
        assertThat(task.get("state")).isEqualTo("aborted");
        Map<?, ?> record = (Map<?, ?>) task.get("abort");
        assertThat(record.get("reason")).isEqualTo("wrong directory");
        assertThat((String) record.get("requested_by"))
                .matches("cli-[A-Za-z0-9._-]+@[A-Za-z0-9._-]+-[0-9a-f]{8}");

        Run again = server.run("tasks", "abort", id, "--reason", "again");
        assertThat(again.code()).isZero();
        assertThat(again.out()).isEqualTo("Task with id " + id + " already finished (aborted); "
                + "nothing to abort\n");
        Map<String, Object> againJson = object("tasks", "abort", id, "--reason", "again",
                "--output", "json");
        assertThat(againJson).containsEntry("already_finished", true);
        assertThat(((Map<?, ?>) againJson.get("task")).get("state")).isEqualTo("aborted");

        String other = UUID.randomUUID().toString();
        Run unknown = server.run("tasks", "abort", other, "--reason", "x");
        assertThat(unknown.code()).isEqualTo(4);
        assertThat(unknown.err()).contains("status code 404", "task with id " + other + " not found");

        String stubborn = testTask("");
        assertThat(server.run("tasks", "abort", stubborn, "--reason", "x").out())
                .isEqualTo("Task with id " + stubborn + " is not abortable\n");
    }

    @Test
    void abortWithAReasonAsJsonIsTheTaskTheServerAnswered() throws Exception {
        startWithTestApi();
        String id = testTask("abortable=true");
        Map<String, Object> task = object("tasks", "abort", id, "--reason", "r", "--output", "json");
        assertThat(task).containsEntry("id", id);
        assertThat(((Map<?, ?>) task.get("abort")).get("reason")).isEqualTo("r");
    }

    @Test
    void listWideShowsAModuleBySequenceNumberWithProgress() throws Exception {
        startWithTestApi();
        String first = testTask("entity=first");
        String second = testTask("entity=second");
        server.postOk("/task_manager_test/test_task_progress/" + second + "?completed=5&total=20");

        Run run = server.run("tasks", "list", "test", "--wide");

        assertThat(run.code()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("task_id").contains(" state   progress ",
                "sequence_number");
        assertThat(lines.subList(1, lines.size())).satisfiesExactly(
                row -> assertThat(row).startsWith(first).contains(" 1 ", "first"),
                row -> assertThat(row).startsWith(second).contains("5/20 25%", " 2 ", "second"));
        assertThat(server.run("tasks", "list", "test").out()).doesNotContain("progress");
    }

    /** The ids of a page's {@code tasks}, in order. */
    private static List<String> ids(Map<String, Object> page) {
        List<String> ids = new ArrayList<>();
        for (Object task : (List<?>) page.get("tasks")) {
            ids.add((String) ((Map<?, ?>) task).get("id"));
        }
        return ids;
    }

    /** Runs a command that prints one JSON object and parses it (maps, lists, longs...). */
    private Map<String, Object> object(String... args) {
        Run run = server.run(args);
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).endsWith("\n").hasLineCount(1);
        Object value = JsonDocument.parse(run.out());
        assertThat(value).isInstanceOf(Map.class);
        Map<String, Object> object = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> object.put((String) k, v));
        return object;
    }
}
