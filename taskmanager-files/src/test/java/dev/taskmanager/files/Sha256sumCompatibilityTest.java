package dev.taskmanager.files;

import dev.taskmanager.FakeTime;
import dev.taskmanager.Task;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Verification reads what {@code sha256sum -c} reads, tested against manifests the real
 * {@code sha256sum} wrote; and unreadable files can be skipped, reported rather than fatal.
 */
class Sha256sumCompatibilityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TaskManager tm;
    private Path allowed;
    private Path tree;
    private FilesWorkload files;

    @BeforeEach
    void setUp() throws IOException {
        tm = new FakeTime().builder().build();
        allowed = Files.createDirectories(temp.resolve("allowed"));
        tree = Trees.create(allowed.resolve("tree"));
        files = workload(IoHook.NONE);
    }

    @AfterEach
    void tearDown() {
        tm.close();
    }

    private FilesWorkload workload(IoHook hook) {
        return FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).workDirectory(temp.resolve("work")).hook(hook).build());
    }

    /** Runs {@code command} with {@code sh -c} in the tree; returns its standard output. */
    private String shell(String command) throws IOException, InterruptedException {
        assumeThat(Path.of("/usr/bin/sha256sum")).isExecutable();
        Process process = new ProcessBuilder("/bin/sh", "-c", command).directory(tree.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + err).isZero();
        return out;
    }

    @Test
    void aManifestThatFindAndSha256sumWroteWithDotSlashPathsVerifies() throws Exception {
        String text = shell("find . -type f -exec sha256sum {} +");
        assertThat(text.lines()).allMatch(line -> line.substring(66).startsWith("./"));
        Path manifest = Files.writeString(allowed.resolve("find.sha256"), text);

        TaskStatus root = files.startVerify(tree, manifest).await(WAIT);

        assertThat(root.state()).as(root.error()).isEqualTo(TaskState.DONE);
        assertThat(root.progress().completed()).isEqualTo(Trees.totalBytes(tree));
        assertThat(Manifest.read(manifest).entries()).isEqualTo(Trees.digests(tree));
    }

    @Test
    void concatenatedManifestsWithRepeatedLinesAndTheBinaryMarkerVerify() throws Exception {
        String text = shell("sha256sum a/* big.bin readme.txt 2>/dev/null; sha256sum -b big.bin; "
                + "find . -name '*.txt' -exec sha256sum {} +");
        Path manifest = Files.writeString(allowed.resolve("concatenated.sha256"), text);

        TaskStatus root = files.startVerify(tree, manifest).await(WAIT);

        assertThat(root.state()).as(root.error()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aManifestWeWroteChecksWithSha256sumAndAChangedFileFailsInBoth() throws Exception {
        Trees.write(tree.resolve("e/back\\slash and space.txt"), 3, 1);
        Path output = allowed.resolve("ours.sha256");
        assertThat(files.startManifest(tree, output).task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(shell("sha256sum --check --quiet " + output)).isEmpty();

        Trees.write(tree.resolve("a/two.txt"), 2048, 99);

        assertThat(files.startVerify(tree, output).await(WAIT).error()).isEqualTo("1 of 10 files failed verification");
        Process check = new ProcessBuilder("/usr/bin/sha256sum", "--check", "--quiet", output.toString())
                .directory(tree.toFile()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isEqualTo(1);
        assertThat(said).contains("a/two.txt: FAILED");
    }

    /** Fails opening the given files as a file without read permission would (tests may run as root). */
    private static IoHook deny(String... paths) {
        Set<String> denied = Set.of(paths);
        return new IoHook() {
            @Override
            public void checked(String path) throws IOException {
                if (denied.contains(path)) {
                    throw new AccessDeniedException(path);
                }
            }
        };
    }

    @Test
    void anUnreadableFileFailsTheVerificationUnlessSkippingIsAskedThenItIsReportedAndSkipped() throws Exception {
        ManifestRun manifest = files.startManifest(tree, null);
        assertThat(manifest.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        FilesWorkload denying = workload(deny("a/two.txt", "big.bin"));

        Task strict = denying.startVerify(tree, manifest.output());
        assertThat(strict.await(WAIT).error()).isEqualTo("2 of 9 files failed verification");
        assertThat(Trees.find(strict.statusRecursive(), "file", "a/two.txt").error())
                .isEqualTo("java.nio.file.AccessDeniedException (a/two.txt)");

        Task lenient = denying.startVerify(tree, manifest.output(), true);
        TaskStatus root = lenient.await(WAIT);

        assertThat(root.state()).as(root.error()).isEqualTo(TaskState.DONE);
        List<TaskStatus> statuses = lenient.statusRecursive();
        assertThat(Trees.find(statuses, "file", "a/two.txt").error())
                .isEqualTo("skipped: unreadable (skip_unreadable=true): java.nio.file.AccessDeniedException: a/two.txt");
        assertThat(Trees.find(statuses, "file", "big.bin").error())
                .startsWith("skipped: unreadable (skip_unreadable=true): ");
        assertThat(Trees.find(statuses, "directory", "a").state()).isEqualTo(TaskState.DONE);
        assertThat(root.progress().completed()).isEqualTo(Trees.totalBytes(tree) - 2048 - 300 * 1024);
    }

    @Test
    void skippingUnreadableFilesStillFailsOnMissingAndModifiedOnes() throws Exception {
        ManifestRun manifest = files.startManifest(tree, null);
        assertThat(manifest.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        Files.delete(tree.resolve("a/one.txt"));
        Trees.write(tree.resolve("e/x.dat"), 5 * 1024, 1234);

        Task verify = files.startVerify(tree, manifest.output(), true);

        assertThat(verify.await(WAIT).error()).isEqualTo("2 of 9 files failed verification");
        assertThat(Trees.find(verify.statusRecursive(), "file", "a/one.txt").error()).isEqualTo("missing");
    }

    @Test
    void aFileWithoutReadPermissionIsSkippedForReal() throws Exception {
        assumeThat(PrivateDirectory.currentUid()).as("root reads everything").isNotZero();
        ManifestRun manifest = files.startManifest(tree, null);
        assertThat(manifest.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        Path secret = tree.resolve("a/two.txt");
        Files.setPosixFilePermissions(secret, Set.of());
        try {
            Task verify = files.startVerify(tree, manifest.output(), true);
            assertThat(verify.await(WAIT).state()).isEqualTo(TaskState.DONE);
            assertThat(Trees.find(verify.statusRecursive(), "file", "a/two.txt").error())
                    .startsWith("skipped: unreadable (skip_unreadable=true): java.nio.file.AccessDeniedException");
        } finally {
            Files.setPosixFilePermissions(secret, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
        }
    }
}
