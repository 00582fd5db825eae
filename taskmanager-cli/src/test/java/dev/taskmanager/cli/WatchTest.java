package dev.taskmanager.cli;

import static dev.taskmanager.cli.V2Fixtures.ENDED;
import static dev.taskmanager.cli.V2Fixtures.STARTED;
import static dev.taskmanager.cli.V2Fixtures.problem;
import static dev.taskmanager.cli.V2Fixtures.progress;
import static dev.taskmanager.cli.V2Fixtures.quote;
import static dev.taskmanager.cli.V2Fixtures.task;
import static dev.taskmanager.cli.V2Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tasks watch ID}: looks at {@code GET /v2/tasks/{id}?view=tree} every interval through
 * the injected sleeper (which moves a fake clock instead of sleeping), shows the progress as
 * lines, JSON lines or frames redrawn in place, and exits with the codes of {@code wait --quiet}.
 */
class WatchTest {

    private static final String PATH = "/v2/tasks/t1";
    private static final String LOOK = "GET " + PATH + "?view=tree";
    private static final long MIB = 1 << 20;

    private final FakeServer server = FakeServer.start();
    private final Cli.FakeTime time = new Cli.FakeTime();

    @AfterEach
    void stop() {
        server.close();
    }

    /** The task at {@code mib} of 100 MiB, running at 1 MiB/s. */
    private static String running(long mib, String... descendants) {
        return tree(task("t1", "progress", progress("bytes", Long.toString(mib * MIB),
                Long.toString(100 * MIB), Long.toString(MIB), Long.toString(100 - mib))),
                descendants);
    }

    private static String ended(String state, String... more) {
        String[] members = new String[6 + more.length];
        members[0] = "state";
        members[1] = quote(state);
        members[2] = "end_time";
        members[3] = quote(ENDED);
        members[4] = "progress";
        members[5] = progress("bytes", Long.toString(100 * MIB), Long.toString(100 * MIB),
                "null", "null");
        System.arraycopy(more, 0, members, 6, more.length);
        return tree(task("t1", members));
    }

    private Cli.Result watch(Terminal terminal, String... options) {
        String[] args = Cli.concat(new String[] {"tasks", "watch", "t1"}, options);
        return Cli.run(time.sleeper, terminal, time, Cli.concat(args, server.address()));
    }

    private Cli.Result watch(String... options) {
        return watch(Terminal.pipe(), options);
    }

    /** The looks at the tree the watch made, without the wait for the end sent beside them. */
    private List<String> looks() {
        return server.requestLines().stream().filter(line -> !line.contains(":wait")).toList();
    }

    @Test
    void pipedItPrintsALinePerLookWithProgressRateAndEtaThenTheEndAndExitsZero() {
        server.get(PATH, running(25)).get(PATH, running(50)).get(PATH, ended("done"));

        Cli.Result result = watch("--interval", "5");

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(Cli.lines(
                "    0.0s running  25.0/100.0 MiB 25%  1.0 MiB/s  ETA 1m15s",
                "    5.0s running  50.0/100.0 MiB 50%  1.0 MiB/s  ETA 50s",
                "   10.0s done  100.0/100.0 MiB 100% in 21.2s"));
        assertThat(looks()).containsExactly(LOOK, LOOK, LOOK);
        assertThat(time.sleeper.pauses).containsExactly(Duration.ofSeconds(5),
                Duration.ofSeconds(5));
    }

    @Test
    void theDefaultIntervalIsOneSecond() {
        server.get(PATH, running(1)).get(PATH, running(2)).get(PATH, ended("done"));
        assertThat(watch().exitCode()).isZero();
        assertThat(time.sleeper.pauses).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(1));
    }

    @Test
    void progressAloneGetsALineAtMostEveryFiveSecondsButANewStateAtOnce() {
        for (int mib = 0; mib < 12; mib++) {
            server.get(PATH, running(mib));
        }
        server.get(PATH, tree(task("t1", "abort_requested", "true", "progress",
                progress("bytes", Long.toString(12 * MIB), Long.toString(100 * MIB), "null",
                        "null"))));
        server.get(PATH, ended("aborted", "abort", "{\"reason\": \"wrong dir\", "
                + "\"requested_by\": \"cli-alice@db7-0000abcd\", \"requested_at\": \"x\"}",
                "error", quote("abort requested: wrong dir")));

        Cli.Result result = watch();

        assertThat(result.exitCode()).isEqualTo(123);
        assertThat(result.out().lines().map(line -> line.substring(0, 8).trim()))
                .containsExactly("0.0s", "5.0s", "10.0s", "12.0s", "13.0s");
        assertThat(result.out()).contains("   12.0s running, abort requested  12.0/100.0 MiB 12%\n",
                "   13.0s aborted: wrong dir (by cli-alice@db7-0000abcd)  100.0/100.0 MiB 100%");
        assertThat(looks()).hasSize(14);
    }

    @Test
    void aFailedTaskExits123WithItsError() {
        server.get(PATH, running(10)).get(PATH, ended("failed", "error",
                quote("2 of 40 files failed verification")));

        Cli.Result result = watch();

        assertThat(result.exitCode()).isEqualTo(123);
        assertThat(result.out()).endsWith("    1.0s failed: 2 of 40 files failed verification  "
                + "100.0/100.0 MiB 100% in 21.2s\n");
    }

    @Test
    void aTaskThatAlreadyEndedGivesOneLineAndItsCodeWithoutAPause() {
        server.get(PATH, ended("done"));
        Cli.Result result = watch();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).hasLineCount(1);
        assertThat(time.sleeper.pauses).isEmpty();
        assertThat(server.requestLines()).containsExactly(LOOK);
    }

    @Test
    void theCountsBelowTheTaskAreShownAndTheyChangeTheLine() {
        String runningChild = task("c1", "scope", quote("file"), "entity", quote("a/big.bin"));
        String doneChild = task("c2", "state", quote("done"));
        String failedChild = task("c3", "state", quote("failed"));
        server.get(PATH, tree(task("t1", "children", "[{\"id\": \"c1\"}]"), runningChild,
                doneChild, failedChild, task("c4", "state", quote("created"))));
        server.get(PATH, ended("done"));

        Cli.Result result = watch();

        assertThat(result.out().lines().findFirst()).contains(
                "    0.0s running; below: 1 running, 2 finished (1 failed)");
    }

    @Test
    void timeoutGivesUpWithExit124AndItsPausesEndAtTheTimeout() {
        server.get(PATH, running(1));

        Cli.Result result = watch("--timeout", "3", "--interval", "2");

        assertThat(result.exitCode()).isEqualTo(124);
        assertThat(result.err()).isEqualTo("watch: gave up after 3 s; the task is still running\n");
        assertThat(time.sleeper.pauses).containsExactly(Duration.ofSeconds(2),
                Duration.ofSeconds(1));
        assertThat(looks()).hasSize(3);
    }

    @Test
    void timeoutZeroLooksOnceAndNeverPauses() {
        server.get(PATH, running(1));
        Cli.Result result = watch("--timeout", "0");
        assertThat(result.exitCode()).isEqualTo(124);
        assertThat(result.out()).hasLineCount(1);
        assertThat(time.sleeper.pauses).isEmpty();
    }

    @Test
    void anUnknownTaskExits125WithTheServersMessage() {
        server.on("GET", PATH, 404, problem("task-not-found", 404, "task with id t1 not found",
                null));

        Cli.Result result = watch();

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error executing GET request to " + PATH
                + " with parameters {\"view\": \"tree\"}: remote replied with status code 404:\n"
                + "task with id t1 not found\n");
    }

    @Test
    void aTaskUnregisteredBetweenTwoLooksEndsWithWhatTheWaitForItsEndAnswered() {
        server.get(PATH, running(10))
                .on("GET", PATH, 404, problem("task-not-found", 404, "gone", null))
                .get(PATH + ":wait", task("t1", "state", quote("failed"), "error", quote("boom"),
                        "start_time", quote(STARTED), "end_time", quote(ENDED)));

        Cli.Result result = watch();

        assertThat(result.exitCode()).as(result.err()).isEqualTo(123);
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).endsWith("    1.0s failed: boom in 21.2s\n");
        assertThat(server.requestLines()).containsOnlyOnce("GET " + PATH + ":wait");
    }

    @Test
    void aTaskGoneBeforeItsEndCouldBeHeardExits125SayingSo() {
        server.get(PATH, running(10))
                .on("GET", PATH, 404, problem("task-not-found", 404, "task with id t1 not found",
                        null));
        // GET /v2/tasks/t1:wait is not scripted: the fake server answers 404

        Cli.Result result = watch();

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.err()).endsWith("task with id t1 not found\n"
                + "the task was unregistered before its end was seen\n");
    }

    @Test
    void anyOtherErrorOnALaterLookExits125() {
        server.get(PATH, running(10)).on("GET", PATH, 500, "{\"message\": \"oops\", \"code\": 500}");
        Cli.Result result = watch();
        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.err()).endsWith("status code 500:\noops\n");
    }

    @Test
    void anAnswerThatIsNotATaskExits125() {
        server.get(PATH, "[1]");
        Cli.Result result = watch();
        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.err()).isEqualTo("error: GET " + PATH + " returned a body that is not "
                + "what was expected (expected a task object)\n");
    }

    @Test
    void anUnreachableServerExits125() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Cli.Result result = Cli.run(time.sleeper, Terminal.pipe(), time, "tasks", "watch", "t1",
                "-h", "127.0.0.1", "-p", Integer.toString(port));
        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.err()).startsWith("error: cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void anIntervalOfZeroIsABadOption() {
        Cli.Result result = watch("--interval", "0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: the argument ('0') for option '--interval' is "
                + "invalid (watch looks at most once a second)\n");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void asJsonEachLineIsTheTaskAndItsRunningDescendantsAsSent() {
        String child = task("c1", "entity", quote("x"), "progress", progress("bytes", "2.50",
                "10", "null", "null"));
        server.get(PATH, running(5, child, task("c2", "state", quote("done"))))
                .get(PATH, ended("done"));

        Cli.Result result = watch("--output", "json", "--interval", "5");

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(2);
        Json.Obj first = (Json.Obj) JsonReader.parse(lines.get(0));
        assertThat(first.members()).extracting(Json.Member::name).containsExactly("task",
                "running");
        assertThat(((Json.Obj) first.get("task")).get("descendants")).isNull();
        assertThat(((Json.Obj) first.get("task")).get("id")).isEqualTo(new Json.Str("t1"));
        assertThat(first.get("running").toJsonText()).isEqualTo("["
                + JsonReader.parse(child).toJsonText() + "]").contains("\"completed\":2.50");
        assertThat(lines.get(1)).contains("\"state\":\"done\"");
    }

    @Test
    void onATerminalEachLookRedrawsTheFrameInPlace() {
        server.get(PATH, running(25, task("c1", "scope", quote("file"),
                "entity", quote("a/evil\u001b[2J.bin"))))
                .get(PATH, running(50))
                .get(PATH, ended("done"));

        Cli.Result result = watch(Terminal.fixed(100, 10));

        assertThat(result.exitCode()).isZero();
        String bar25 = "[" + "#".repeat(7) + "-".repeat(23) + "]";
        String bar50 = "[" + "#".repeat(15) + "-".repeat(15) + "]";
        String bar100 = "[" + "#".repeat(30) + "]";
        assertThat(result.out()).isEqualTo("\033[?25l"
                // the first frame: 4 lines, the entity's ESC escaped
                + "\033[2Kmanifest  /srv/data  running\n"
                + "\033[2K  " + bar25 + " 25.0/100.0 MiB 25%  1.0 MiB/s  ETA 1m15s\n"
                + "\033[2K  below: 1 running, 0 finished\n"
                + "\033[2K    file a/evil\\x1b[2J.bin [----------]\n"
                + "\033[J"
                // up 4 lines, 2 lines, the rest cleared
                + "\033[4A\r"
                + "\033[2Kmanifest  /srv/data  running\n"
                + "\033[2K  " + bar50 + " 50.0/100.0 MiB 50%  1.0 MiB/s  ETA 50s\n"
                + "\033[J"
                + "\033[2A\r"
                + "\033[2Kmanifest  /srv/data  done\n"
                + "\033[2K  " + bar100 + " 100.0/100.0 MiB 100%  in 21.2s\n"
                + "\033[J"
                + "\033[?25h");
    }

    @Test
    void noLineOfAFrameIsWiderThanTheTerminalLessOneColumn() {
        server.get(PATH, running(25, task("c1", "scope", quote("file"),
                "entity", quote("a/" + "very-long-name/".repeat(10) + "\u001b[2J.bin"))))
                .get(PATH, ended("failed", "error", quote("x".repeat(200))));

        Cli.Result result = watch(Terminal.fixed(40, 10));

        assertThat(result.exitCode()).isEqualTo(123);
        String visible = result.out().replaceAll("\033\\[(\\d+A\r|2K|J|\\?25[lh])", "");
        assertThat(visible).doesNotContain("\033");
        assertThat(visible.lines()).hasSize(6).allSatisfy(line -> assertThat(line)
                .hasSizeLessThanOrEqualTo(39));
        assertThat(visible).contains("    file a/very-lo... [----------]\n",
                "manifest  /srv/data  failed: xxxxxxx...\n");
    }

    @Test
    void aFrameShowsTheRunningDescendantsThatFitAndCountsTheRest() {
        String[] children = new String[8];
        for (int i = 0; i < children.length; i++) {
            children[i] = task("c" + i, "scope", quote("file"), "entity", quote("f" + i),
                    "progress", progress("bytes", "512", "1024", "null", "null"));
        }
        TaskTree tree = readTree(running(30, children));

        List<String> frame = WatchView.frame(tree, 79, 7);

        assertThat(frame).hasSize(7);
        assertThat(frame.get(2)).isEqualTo("  below: 8 running, 0 finished");
        assertThat(frame.subList(3, 6)).allSatisfy(line -> assertThat(line)
                .matches("    file f\\d \\[#####-----\\] 0\\.5/1\\.0 KiB 50%"));
        assertThat(frame.get(6)).isEqualTo("    ... and 5 more running");
    }

    @Test
    void aTreeIsReadAsItArrivesKeepingOnlyTheRunningDescendants() {
        String[] descendants = new String[TaskTree.MAX_RUNNING_KEPT + 10 + 5];
        for (int i = 0; i < descendants.length; i++) {
            descendants[i] = task("d" + i, "state", quote(i < TaskTree.MAX_RUNNING_KEPT + 10
                    ? "running" : i % 2 == 0 ? "done" : "aborted"));
        }

        TaskTree tree = readTree(tree(task("t1"), descendants));

        assertThat(tree.running()).hasSize(TaskTree.MAX_RUNNING_KEPT);
        assertThat(tree.runningCount()).isEqualTo(TaskTree.MAX_RUNNING_KEPT + 10);
        assertThat(tree.finished()).isEqualTo(5);
        assertThat(tree.failed()).isEqualTo(2);
        assertThat(tree.task().get("descendants")).isNull();
        assertThat(tree.task().members()).hasSize(29);
    }

    @Test
    void theTokenIsSentWithEveryLook() {
        server.get(PATH, running(1)).get(PATH, ended("done"));
        Cli.Result result = Cli.run(time.sleeper, Map.of(BearerToken.VARIABLE, "s3cret"),
                Cli.concat(new String[] {"tasks", "watch", "t1"}, server.address()));
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).filteredOn(r -> !r.path().endsWith(":wait")).hasSize(2)
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer s3cret"));
    }

    private static TaskTree readTree(String body) {
        try {
            return TaskTree.read(new java.io.ByteArrayInputStream(
                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
