package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskProgress;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The demo's rendering, without a terminal. */
class ProgressViewTest {

    private static final UUID ROOT = UUID.fromString("5b0c0000-0000-4000-8000-000000000001");

    @Test
    void aLiveFrameKeepsToTheTerminalsWidthAndHeight() {
        List<TaskStatus> running = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            running.add(status(UUID.randomUUID(), ROOT, i % 3 == 0 ? "directory" : "file",
                    "some/rather/long/path/to/a/file-" + i + ".bin", TaskState.RUNNING, 1 << 20, 4 << 20, ""));
        }
        ProgressView.Snapshot snapshot = new ProgressView.Snapshot(root(TaskState.RUNNING, 100 << 20, 300 << 20),
                running, 12, 1, Duration.ofMillis(2500));

        List<String> frame = ProgressView.frame(snapshot, 72, 10);

        assertThat(frame).hasSize(10).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(72));
        assertThat(frame.get(0)).startsWith("manifest /data  running  2.5s");
        assertThat(frame.get(1)).contains("[##########--------------------]  33%  100.0 / 300.0 MiB  40.0 MiB/s");
        assertThat(frame.get(2)).contains("12 finished (1 failed), 30 running");
        assertThat(frame.get(3)).contains("file ");
        assertThat(frame.get(9)).isEqualTo("    ... and 24 more running");
    }

    @Test
    void beforeTheScanEndsThereIsNoTotalToShow() {
        ProgressView.Snapshot snapshot = new ProgressView.Snapshot(root(TaskState.RUNNING, 0, 0), List.of(), 0, 0,
                Duration.ofMillis(300));

        assertThat(ProgressView.frame(snapshot, 80, 24).get(1)).isEqualTo("  scanning the tree...");
        assertThat(ProgressView.line(snapshot)).isEqualTo("    0.3s  scanning the tree...");
    }

    @Test
    void aPlainLineCarriesPercentageBytesRateAndState() {
        ProgressView.Snapshot done = new ProgressView.Snapshot(root(TaskState.DONE, 3 << 20, 3 << 20), List.of(),
                5, 0, Duration.ofSeconds(2));

        assertThat(ProgressView.line(done)).isEqualTo("    2.0s  100%  3.0 / 3.0 MiB  1.5 MiB/s  done");
    }

    @Test
    void plainOutputHasNoEscapeSequences() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressView view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        view.show(new ProgressView.Snapshot(root(TaskState.RUNNING, 1, 2), List.of(), 0, 0, Duration.ofSeconds(1)));
        view.close();

        assertThat(view.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\033").endsWith("\n");
    }

    @Test
    void theFinalTreeIndentsByDepthAndShowsErrors() {
        UUID dir = UUID.fromString("d1000000-0000-4000-8000-000000000002");
        List<TaskStatus> tree = List.of(
                root(TaskState.FAILED, 10, 10),
                status(dir, ROOT, "directory", "a", TaskState.FAILED, 10, 10, "1 of 1 files failed verification"),
                status(UUID.fromString("f1000000-0000-4000-8000-000000000003"), dir, "file", "a/x.bin",
                        TaskState.FAILED, 10, 10, "missing"));

        List<String> lines = ProgressView.tree(tree);

        assertThat(lines).containsExactly(
                "  id       scope     state  completed / total entity    error",
                "  5b0c0000 directory failed 10 / 10 B         /data     1 of 1 files failed verification",
                "  d1000000 directory failed 10 / 10 B         a         1 of 1 files failed verification",
                "  f1000000 file      failed 10 / 10 B           a/x.bin missing");
    }

    @Test
    void byteCountsUseTheUnitOfTheTotal() {
        assertThat(ProgressView.bytes(new TaskProgress(512 << 10, 3L << 30))).isEqualTo("0.0 / 3.0 GiB");
        assertThat(ProgressView.bytes(new TaskProgress(1536, 4096))).isEqualTo("1.5 / 4.0 KiB");
        assertThat(ProgressView.bytes(0)).isEqualTo("0 B");
    }

    private static TaskStatus root(TaskState state, double completed, double total) {
        return status(ROOT, null, "directory", "/data", state, completed, total,
                state == TaskState.FAILED ? "1 of 1 files failed verification" : "");
    }

    private static TaskStatus status(UUID id, UUID parent, String scope, String entity, TaskState state,
                                     double completed, double total, String error) {
        Instant start = Instant.parse("2025-01-16T16:12:11Z");
        return new TaskStatus(id, "files", "manifest", TaskKind.NODE, scope, state, parent == null, start,
                state.isTerminal() ? start.plusSeconds(2) : null, error, parent, 1, 0, "", "", entity, "bytes",
                new TaskProgress(completed, total), List.of(), parent == null, parent != null, start,
                state.isTerminal() ? start.plusSeconds(2) : start, null, null, null, false, null, java.util.Map.of());
    }
}
