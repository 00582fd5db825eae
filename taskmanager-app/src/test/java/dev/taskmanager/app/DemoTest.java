package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} end to end, piped (plain progress lines), on a small generated directory. */
class DemoTest {

    private static final long TOTAL = 100 + (2 << 20) + 5000;

    @TempDir
    Path temp;

    private Path data;

    /** The demo's temporary directories, removed after each test. */
    private final List<Path> workDirectories = new ArrayList<>();

    @AfterEach
    void removeWorkDirectories() throws IOException {
        for (Path work : workDirectories) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The demo with its history in this test's data directory, never the user's. */
    private Run demo(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", temp.resolve("state").toString()));
        Run run = Run.main(all.toArray(new String[0]));
        Matcher written = Pattern.compile("output=(\\S+)").matcher(run.out());
        if (written.find()) {
            workDirectories.add(Path.of(written.group(1)).getParent());
        }
        return run;
    }

    @BeforeEach
    void generateTree() throws Exception {
        data = Files.createDirectories(temp.resolve("data"));
        FilesEndToEndTest.write(data.resolve("a.txt"), 100);
        FilesEndToEndTest.write(Files.createDirectories(data.resolve("sub")).resolve("big.bin"), 2 << 20);
        FilesEndToEndTest.write(data.resolve("sub/c.txt"), 5000);
    }

    @Test
    void theDemoHashesThroughTheApiThenPrintsTheFinalTreeRealByteCountsAndWhatToTryNext() throws Exception {
        Run run = demo("demo", "--api-port", "0", "--path", data.toString());

        assertThat(run.code()).as(run.toString()).isZero();
        String out = run.out();
        Path real = data.toRealPath();
        assertThat(out).doesNotContain("\033[");
        assertThat(out).contains("Hashing " + real + ": 3 files, 2.0 MiB (" + TOTAL + " bytes)",
                "POST /files/manifest?path=" + real + "&output=");

        Matcher listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(out);
        assertThat(listening.find()).isTrue();
        String port = listening.group(1);
        Matcher started = Pattern.compile("-> task ([0-9a-f-]{36})").matcher(out);
        assertThat(started.find()).isTrue();
        String id = started.group(1);
        assertThat(out).contains("Dashboard: http://127.0.0.1:" + port + "/ui/ (open it in a browser",
                "open http://127.0.0.1:" + port + "/ui/tasks/" + id + "   (the dashboard");

        // the final tree: the root and its children, with bytes
        assertThat(out).contains("The final tree of task " + id + " (in full: ./taskmanager tasks tree " + id
                + " -p " + port + ")");
        assertThat(out).containsPattern(id.substring(0, 8) + " +directory +done +2\\.0 / 2\\.0 MiB +" + Pattern.quote(real.toString()));
        assertThat(out).containsPattern("directory +done +2\\.0 / 2\\.0 MiB +sub");
        assertThat(out).containsPattern("files +done +100 / 100 B +\\.");

        // real counts, the manifest, the verification
        assertThat(out).contains("Manifest: done in ", ": 3 files, " + TOTAL + " bytes (2.0 MiB) hashed",
                "Verify: done in ", "all 3 files match; " + TOTAL + " bytes (2.0 MiB) re-hashed");
        Matcher written = Pattern.compile("Written to (\\S+)").matcher(out);
        assertThat(written.find()).isTrue();
        assertThat(Files.readAllLines(Path.of(written.group(1)))).hasSize(3)
                .contains(FilesEndToEndTest.sha256(data.resolve("sub/big.bin")) + "  sub/big.bin");

        // the CLI against the in-process server, then the commands to try
        assertThat(out).containsPattern("task_id +type +kind +scope +state");
        assertThat(out).containsPattern(id + " manifest +node directory done");
        assertThat(out).containsPattern("[0-9a-f-]{36} verify +node directory done");
        assertThat(out).contains(
                "curl -s http://127.0.0.1:" + port + "/task_manager/task_status/" + id,
                "curl -s http://127.0.0.1:" + port + "/task_manager/task_status_recursive/" + id,
                "curl -s http://127.0.0.1:" + port + "/task_manager/list_module_tasks/files",
                "./taskmanager tasks list files -p " + port,
                "./taskmanager tasks tree " + id + " -p " + port,
                "./taskmanager files verify " + real + " --manifest " + written.group(1) + " -p " + port,
                "--keep-serving");
        assertThat(out).containsPattern("\\d+\\.\\d+s +100% +2\\.0 / 2\\.0 MiB .* done");
    }

    @Test
    void theSecondRunShowsTheFirstRunsManifestReadBackFromHistory() throws Exception {
        Run first = demo("demo", "--api-port", "0", "--path", data.toString());
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).contains("holds no earlier run yet; run the demo again to see this one read back");
        Matcher started = Pattern.compile("-> task ([0-9a-f-]{36})").matcher(first.out());
        assertThat(started.find()).isTrue();
        String manifest = started.group(1);

        Run second = demo("demo", "--api-port", "0", "--path", data.toString());

        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).contains("From the previous run, read back from history (SQLite "
                + temp.resolve("state").toRealPath().resolve("history/tasks.db") + "):");
        assertThat(second.out()).containsPattern("  task " + manifest + ": manifest of "
                + Pattern.quote(data.toRealPath().toString()) + ", done at \\S+Z, 2\\.0 MiB");
    }

    @Test
    void theDemoFallsBackToAFreePortWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run run = demo("demo", "--api-port", String.valueOf(taken.getLocalPort()), "--path", data.toString());

            assertThat(run.code()).as(run.toString()).isZero();
            assertThat(run.out()).containsPattern("listening on http://127\\.0\\.0\\.1:\\d+ \\(in this process; port "
                    + taken.getLocalPort() + " is taken: ");
            assertThat(run.out()).doesNotContain("listening on http://127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void largeTreesAreReadCappedToLastAboutSevenSecondsAndSmallOnesAreNot() {
        assertThat(Demo.readCap(1 << 20)).isZero();
        assertThat(Demo.readCap(7L * 40 << 20)).isEqualTo(40L << 20);
        assertThat(Demo.readCap(Demo.SMALL_TREE_BYTES)).isEqualTo(Demo.SMALL_TREE_BYTES / 7);
    }
}
