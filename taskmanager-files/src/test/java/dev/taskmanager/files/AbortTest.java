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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AbortTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TaskManager tm;
    private Path allowed;
    private Path tree;
    private final BlockingHook hook = new BlockingHook();

    @BeforeEach
    void setUp() throws Exception {
        tm = new FakeTime().builder().build();
        allowed = Files.createDirectories(temp.resolve("allowed"));
        tree = Trees.create(allowed.resolve("tree"));
    }

    @AfterEach
    void tearDown() {
        hook.release.countDown();
        tm.close();
    }

    /** Blocks the first read anywhere until released, and counts the bytes read per file. */
    private static final class BlockingHook implements IoHook {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean first = new AtomicBoolean(true);
        final ConcurrentHashMap<String, Long> bytesRead = new ConcurrentHashMap<>();

        @Override
        public void read(String path, long bytesSoFar) throws InterruptedException {
            bytesRead.merge(path, bytesSoFar, Math::max);
            if (first.compareAndSet(true, false)) {
                blocked.countDown();
                release.await();
            }
        }

        long total() {
            return bytesRead.values().stream().mapToLong(Long::longValue).sum();
        }

        void awaitBlocked() throws InterruptedException {
            assertThat(blocked.await(30, TimeUnit.SECONDS)).as("a read reached the hook").isTrue();
        }
    }

    private FilesWorkload workload() {
        return FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).bufferSize(16 * 1024).maxConcurrentReads(1)
                .workDirectory(temp.resolve("work")).hook(hook).build());
    }

    @Test
    void abortMidwayStopsReadingAndFailsTheRootWithAbortRequested() throws Exception {
        ManifestRun run = workload().startManifest(tree, null);
        hook.awaitBlocked();

        run.task().abort();
        hook.release.countDown();
        TaskStatus root = run.task().await(WAIT);

        long total = Trees.totalBytes(tree);
        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).contains("abort requested");
        assertThat(hook.total()).isPositive().isLessThanOrEqualTo(16 * 1024).isLessThan(total);
        assertThat(root.progress().completed()).isEqualTo(hook.total());
        assertThat(run.output()).doesNotExist();
        assertThatThrownBy(() -> run.manifest().get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("abort requested");
    }

    @Test
    void afterAnAbortEveryTaskOfTheTreeHasEndedAndTheAbortedOnesSayWhy() throws Exception {
        ManifestRun run = workload().startManifest(tree, null);
        hook.awaitBlocked();

        run.task().abort("operator changed their mind");
        hook.release.countDown();
        run.task().await(WAIT);

        List<TaskStatus> statuses = run.task().statusRecursive();
        assertThat(statuses).allSatisfy(status -> assertThat(status.state().isTerminal()).isTrue());
        assertThat(statuses).filteredOn(status -> status.state() == TaskState.FAILED).isNotEmpty()
                .allSatisfy(status -> assertThat(status.error())
                        .contains("abort requested: operator changed their mind"));
        assertThat(statuses.get(0).error()).contains("abort requested: operator changed their mind");
    }

    @Test
    void aReadWaitingForItsTurnUnderAThrottleStopsPromptlyOnAbort() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        IoHook signal = new IoHook() {
            @Override
            public void read(String path, long bytesSoFar) {
                firstRead.countDown();
            }
        };
        // At 1 KiB/s every 16 KiB buffer after the first waits 16 s for its turn.
        FilesWorkload slow = FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).bufferSize(16 * 1024).maxBytesPerSecond(1024)
                .workDirectory(temp.resolve("work")).hook(signal).build());
        ManifestRun run = slow.startManifest(tree, null);
        assertThat(firstRead.await(30, TimeUnit.SECONDS)).isTrue();

        run.task().abort();

        TaskStatus root = run.task().await(Duration.ofSeconds(10));
        assertThat(root.error()).contains("abort requested");
        assertThat(root.progress().completed()).isLessThan(Trees.totalBytes(tree));
    }

    @Test
    void abortingAVerificationStopsItToo() throws Exception {
        FilesWorkload files = workload();
        hook.first.set(false); // let the manifest run through
        ManifestRun manifest = files.startManifest(tree, null);
        assertThat(manifest.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        hook.bytesRead.clear();
        hook.first.set(true);

        Task verify = files.startVerify(tree, manifest.output());
        hook.awaitBlocked();
        verify.abort();
        hook.release.countDown();
        TaskStatus root = verify.await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).contains("abort requested");
        assertThat(hook.total()).isLessThan(Trees.totalBytes(tree));
    }
}
