package dev.taskmanager.files;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Where a manifest goes and how it gets there. Regressions: an output silently replaced any existing
 * file (the data being hashed included) and was left mode 0600; a write that failed (a full disk)
 * left its deleted temporary file open, so the disk stayed full until a garbage collection.
 */
class ManifestOutputTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TaskManager tm;
    private Path allowed;
    private Path tree;
    private Path work;

    @BeforeEach
    void setUp() throws IOException {
        tm = new FakeTime().builder().build();
        allowed = Files.createDirectories(temp.resolve("allowed"));
        tree = Trees.create(allowed.resolve("tree"));
        work = temp.resolve("work");
    }

    @AfterEach
    void tearDown() {
        tm.close();
    }

    private FilesWorkload workload(IoHook hook) {
        return FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).workDirectory(work).hook(hook).build());
    }

    @Test
    void anExistingOutputIsRefusedUnlessOverwriteIsAsked() throws Exception {
        Path output = Files.writeString(allowed.resolve("tree.sha256"), "precious\n");
        FilesWorkload files = workload(IoHook.NONE);

        assertThatThrownBy(() -> files.startManifest(tree, output))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'output': " + output + " exists; pass overwrite=true to replace it");
        assertThatThrownBy(() -> files.requestManifest(tree.toString(), tree.resolve("big.bin").toString(), false))
                .hasMessage("parameter 'output': " + tree.resolve("big.bin") + " exists; pass overwrite=true to "
                        + "replace it");
        assertThat(Files.readString(output)).isEqualTo("precious\n");

        ManifestRun replaced = files.startManifest(tree, output, true);
        assertThat(replaced.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(Manifest.read(output).entries()).isEqualTo(Trees.digests(tree));
    }

    @Test
    void anOutputThatAppearsWhileTheManifestIsComputedIsNotReplaced() throws Exception {
        Path output = allowed.resolve("tree.sha256");
        IoHook createOutput = new IoHook() {
            @Override
            public void opening(String path) throws IOException {
                if (path.equals("big.bin")) {
                    Files.writeString(output, "someone else's\n");
                }
            }
        };
        ManifestRun run = workload(createOutput).startManifest(tree, output);

        TaskStatus root = run.task().await(WAIT);

        String why = output.toRealPath() + " was created while the manifest was computed; not replaced "
                + "(pass overwrite=true to replace it)";
        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo(why);
        assertThat(Files.readString(output)).isEqualTo("someone else's\n");
        assertThat(Trees.find(run.task().statusRecursive(), "output", output.toRealPath().toString()).error())
                .isEqualTo("not written: " + why);
        assertThat(temporaryFiles(allowed)).isEmpty();
    }

    @Test
    void theOutputGetsTheUsualUmaskModeNotOwnerOnly() throws Exception {
        Path probe = Files.createFile(temp.resolve("probe"));
        String umaskMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(probe));
        assumeThat(umaskMode).as("a umask that lets others read").isEqualTo("rw-r--r--");
        Path output = allowed.resolve("tree.sha256");

        workload(IoHook.NONE).startManifest(tree, output).task().await(WAIT);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(output))).isEqualTo("rw-r--r--");
    }

    @Test
    void anOutputInsideTheTreeIsLeftOutOfTheManifestSoThatItNeverListsItself() throws Exception {
        Path output = tree.resolve("a/SHA256SUMS");
        Files.writeString(output, "old manifest\n");

        ManifestRun run = workload(IoHook.NONE).startManifest(tree, output, true);

        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(run.manifest().get().entries()).containsOnlyKeys(Trees.FILES.keySet());
        Map<String, String> expected = Trees.digests(tree);
        expected.remove("a/SHA256SUMS");
        assertThat(Manifest.read(output).entries()).isEqualTo(expected);
    }

    @Test
    void theOutputTaskNamesTheFileFromTheStartAndEndsDoneOnceItIsWritten() throws Exception {
        FilesWorkload files = workload(IoHook.NONE);
        ManifestRun run = files.startManifest(tree, null);

        TaskStatus root = run.task().await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.DONE);
        TaskStatus output = Trees.find(run.task().statusRecursive(), "output", run.output().toString());
        assertThat(output.state()).isEqualTo(TaskState.DONE);
        assertThat(output.type()).isEqualTo("manifest");
        assertThat(output.parentId()).isEqualTo(root.id());
        assertThat(run.output()).isEqualTo(work.toRealPath().resolve(root.id() + ".sha256")).isRegularFile();
        assertThat(root.labels()).containsEntry(FilesWorkload.OUTPUT_LABEL, run.output().toString());
    }

    @Test
    void aWriteThatFailsLikeAFullDiskLeavesNoTemporaryFileAndNoOpenDescriptor() throws Exception {
        assumeThat(Path.of("/proc/self/fd")).isDirectory();
        Path output = allowed.resolve("tree.sha256");
        IoHook fullDisk = new IoHook() {
            @Override
            public void writing(String name, long bytesSoFar) throws IOException {
                if (name.equals("tree.sha256")) {
                    throw new IOException("No space left on device");
                }
            }
        };
        FilesWorkload files = workload(fullDisk);
        files.startManifest(tree, null).task().await(WAIT); // loads every class the run needs
        List<String> before = openDescriptors();

        ManifestRun run = files.startManifest(tree, output);
        TaskStatus root = run.task().await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo("java.io.IOException (No space left on device)");
        assertThat(Trees.find(run.task().statusRecursive(), "output", allowed.toRealPath().resolve("tree.sha256")
                .toString()).error()).isEqualTo("not written: No space left on device");
        assertThat(output).doesNotExist();
        assertThat(temporaryFiles(allowed)).isEmpty();
        assertThat(openDescriptors()).as("descriptors open after the failed write")
                .noneMatch(target -> target.contains(allowed.toString()) || target.endsWith("(deleted)"))
                .hasSameSizeAs(before);
    }

    @Test
    void temporaryFilesThatAKilledRunLeftAreRemovedAtStartAndLiveOnesAreKept() throws Exception {
        Files.createDirectories(work);
        long deadPid = 4_999_999; // above Linux's highest pid (4194304)
        long livePid = ProcessHandle.current().parent().orElseThrow().pid();
        Path stale = Files.writeString(work.resolve(".x.sha256." + deadPid + ".0123456789abcdef.tmp"), "half");
        Path ours = Files.writeString(work.resolve(".x.sha256." + ProcessHandle.current().pid()
                + ".0123456789abcdef.tmp"), "half");
        Path live = Files.writeString(work.resolve(".x.sha256." + livePid + ".0123456789abcdef.tmp"), "half");
        Path unrelated = Files.writeString(work.resolve(".x.sha256.tmp"), "mine");

        workload(IoHook.NONE);

        assertThat(stale).doesNotExist();
        assertThat(ours).as("this process's pid, but not written by it: a previous process with the same pid")
                .doesNotExist();
        assertThat(live).exists();
        assertThat(unrelated).exists();
    }

    @Test
    void writingAnOutputRemovesTheStaleTemporaryFilesOfThatOutputOnly() throws Exception {
        Path stale = Files.writeString(allowed.resolve(".tree.sha256.4999999.0123456789abcdef.tmp"), "half");
        Path other = Files.writeString(allowed.resolve(".other.sha256.4999999.0123456789abcdef.tmp"), "half");

        workload(IoHook.NONE).startManifest(tree, allowed.resolve("tree.sha256")).task().await(WAIT);

        assertThat(stale).doesNotExist();
        assertThat(other).exists();
    }

    private static List<Path> temporaryFiles(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> AtomicFile.isTemporary(path.getFileName().toString()))
                    .collect(Collectors.toList());
        }
    }

    /** Where this process's open descriptors point, as {@code /proc/self/fd} shows them. */
    private static List<String> openDescriptors() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // the descriptor of the listing itself, closed by now
                }
            }
        }
        return targets;
    }
}
