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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Real FIFOs (made with {@code mkfifo}) in the tree, and swapped in for a file between its check and
 * its open. Regression: {@code FileChannel.open} blocked forever on a FIFO, holding a read permit;
 * with the two permits held, every later operation hung, and abort could not free them.
 */
class FifoTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TaskManager tm;
    private Path allowed;

    @BeforeEach
    void setUp() throws Exception {
        assumeThat(Path.of("/usr/bin/mkfifo")).isExecutable();
        tm = new FakeTime().builder().build();
        allowed = Files.createDirectories(temp.resolve("allowed"));
    }

    @AfterEach
    void tearDown() {
        if (tm != null) {
            tm.close();
        }
    }

    private FilesWorkload workload(int reads, Duration stallTimeout, IoHook hook) {
        return FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).maxConcurrentReads(reads).stallTimeout(stallTimeout)
                .workDirectory(temp.resolve("work")).hook(hook).build());
    }

    /** Replaces the file at {@code path} by a FIFO, as a hostile user with write access could. */
    static void swapForFifo(Path path) throws IOException, InterruptedException {
        Files.delete(path);
        Process mkfifo = new ProcessBuilder("/usr/bin/mkfifo", path.toString()).inheritIO().start();
        if (!mkfifo.waitFor(30, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
    }

    /** Swaps each file in {@code paths} for a FIFO when it has been checked, just before it is opened. */
    private static class FifoSwapper implements IoHook {
        final Path top;
        final Set<String> paths;
        final CountDownLatch swapped;
        final CountDownLatch closed;

        FifoSwapper(Path top, String... paths) {
            this.top = top;
            this.paths = ConcurrentHashMap.newKeySet();
            this.paths.addAll(List.of(paths));
            this.swapped = new CountDownLatch(paths.length);
            this.closed = new CountDownLatch(paths.length);
        }

        @Override
        public void checked(String path) throws IOException, InterruptedException {
            if (paths.contains(path)) {
                swapForFifo(top.resolve(path));
                swapped.countDown();
            }
        }

        @Override
        public void closed(String path) {
            if (paths.remove(path)) {
                closed.countDown();
            }
        }
    }

    @Test
    void aFifoInTheTreeIsNotListedAndAListedPathThatIsNowAFifoFailsWithoutBlocking() throws Exception {
        Path tree = Trees.create(allowed.resolve("tree"));
        Process mkfifo = new ProcessBuilder("/usr/bin/mkfifo", tree.resolve("pipe").toString()).start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        FilesWorkload files = workload(2, Duration.ofHours(1), IoHook.NONE);

        ManifestRun run = files.startManifest(tree, null);
        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(run.manifest().get().entries()).containsOnlyKeys(Trees.FILES.keySet());

        swapForFifo(tree.resolve("a/two.txt"));
        Task verify = files.startVerify(tree, run.output());
        TaskStatus root = verify.await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo("1 of 9 files failed verification");
        assertThat(Trees.find(verify.statusRecursive(), "file", "a/two.txt").error())
                .isEqualTo("not a regular file: it is a FIFO, socket or device");
    }

    @Test
    void aFifoSwappedInJustBeforeTheOpenFailsThatFileAfterTheStallTimeoutAndTheRestIsChecked() throws Exception {
        Path tree = Trees.create(allowed.resolve("tree"));
        FilesWorkload plain = workload(2, Duration.ofHours(1), IoHook.NONE);
        ManifestRun manifest = plain.startManifest(tree, null);
        assertThat(manifest.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        FifoSwapper swapper = new FifoSwapper(tree, "a/one.txt");
        FilesWorkload files = workload(2, Duration.ofSeconds(1), swapper);

        Task verify = files.startVerify(tree, manifest.output());
        TaskStatus root = verify.await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo("1 of 9 files failed verification");
        List<TaskStatus> tree1 = verify.statusRecursive();
        assertThat(Trees.find(tree1, "file", "a/one.txt").error()).isEqualTo("no progress for 1 s opening a/one.txt "
                + "(a FIFO that nobody writes to blocks this); gave up on it");
        assertThat(tree1).filteredOn(status -> status.state() == TaskState.FAILED)
                .extracting(TaskStatus::scope, TaskStatus::entity).containsExactlyInAnyOrder(
                        tuple("directory", tree.toRealPath().toString()), tuple("directory", "a"),
                        tuple("files", "a"), tuple("file", "a/one.txt"));
        long total = Trees.totalBytes(tree);
        assertThat(root.progress().completed()).isEqualTo(total);
        assertThat(swapper.closed.await(30, TimeUnit.SECONDS)).as("the stuck open was freed and ended").isTrue();

        Files.delete(tree.resolve("a/one.txt"));
        Trees.write(tree.resolve("a/one.txt"), 1024, "a/one.txt".hashCode());
        assertThat(files.startVerify(tree, manifest.output()).await(WAIT).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void abortFreesOperationsStuckOnFifosAndTheReadPermitsTheyHeld() throws Exception {
        Path first = allowed.resolve("first");
        Path second = allowed.resolve("second");
        Trees.write(first.resolve("stuck-1.bin"), Trees.THRESHOLD, 1);
        Trees.write(second.resolve("stuck-2.bin"), Trees.THRESHOLD, 2);
        Path third = Trees.create(allowed.resolve("third"));
        FifoSwapper swapper = new FifoSwapper(allowed, "stuck-1.bin", "stuck-2.bin") {
            @Override
            public void checked(String path) throws IOException, InterruptedException {
                if (paths.contains(path)) {
                    swapForFifo((path.equals("stuck-1.bin") ? first : second).resolve(path));
                    swapped.countDown();
                }
            }
        };
        // Two read permits, and a stall timeout too long to matter: only abort can free them.
        FilesWorkload files = workload(2, Duration.ofHours(1), swapper);

        ManifestRun stuck1 = files.startManifest(first, null);
        ManifestRun stuck2 = files.startManifest(second, null);
        assertThat(swapper.swapped.await(30, TimeUnit.SECONDS)).as("both opens reached a FIFO").isTrue();
        ManifestRun later = files.startManifest(third, null);
        stuck1.task().abort();
        stuck2.task().abort();

        assertThat(stuck1.task().await(WAIT).error()).contains("abort requested");
        assertThat(stuck2.task().await(WAIT).error()).contains("abort requested");
        assertThat(swapper.closed.await(30, TimeUnit.SECONDS)).as("both stuck opens were freed").isTrue();
        assertThat(later.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(later.manifest().get().entries()).isEqualTo(Trees.digests(third));
        assertThat(files.startManifest(third, null).task().await(WAIT).state()).isEqualTo(TaskState.DONE);
    }
}
