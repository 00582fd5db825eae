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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file that changes while it is hashed fails its leaf with {@code file changed as we read it}, as
 * {@code tar} says. Regression: such a file got a digest of neither version, the manifest task ended
 * {@code done}, and a later verification reported a false mismatch.
 */
class ChangedWhileReadTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BIG = "big.bin";

    @TempDir
    Path temp;
    private TaskManager tm;
    private Path allowed;
    private Path tree;

    @BeforeEach
    void setUp() throws IOException {
        tm = new FakeTime().builder().build();
        allowed = Files.createDirectories(temp.resolve("allowed"));
        tree = Trees.create(allowed.resolve("tree"));
    }

    @AfterEach
    void tearDown() {
        tm.close();
    }

    /** Runs {@code change} once, after the first buffer of {@code big.bin} was read. */
    private FilesWorkload workload(ChangeAction change) {
        AtomicBoolean done = new AtomicBoolean();
        IoHook hook = new IoHook() {
            @Override
            public void read(String path, long bytesSoFar) throws IOException {
                if (path.equals(BIG) && done.compareAndSet(false, true)) {
                    change.run(tree.resolve(BIG));
                }
            }
        };
        return FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).bufferSize(16 * 1024).workDirectory(temp.resolve("work"))
                .hook(hook).build());
    }

    @FunctionalInterface
    private interface ChangeAction {
        void run(Path file) throws IOException;
    }

    private void assertManifestFailsOnBig(ChangeAction change) throws Exception {
        ManifestRun run = workload(change).startManifest(tree, null);

        TaskStatus root = run.task().await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo("1 of 9 files could not be hashed; no manifest written");
        assertThat(Trees.find(run.task().statusRecursive(), "file", BIG).error())
                .isEqualTo("file changed as we read it");
        assertThat(run.output()).doesNotExist();
    }

    @Test
    void aFileThatGrowsWhileItIsHashedFailsItsLeaf() throws Exception {
        assertManifestFailsOnBig(file -> Files.write(file, new byte[100], StandardOpenOption.APPEND));
    }

    @Test
    void aFileRewrittenInPlaceWithTheSameSizeFailsItsLeafByItsModificationTime() throws Exception {
        assertManifestFailsOnBig(file -> {
            FileTime before = Files.getLastModifiedTime(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(raf.length() - 1);
                raf.write(42);
            }
            // The kernel's clock may not have ticked since the scan: make the change visible, as any
            // later write would.
            Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1000));
        });
    }

    @Test
    void aFileReplacedByAnotherOfTheSameSizeAndTimeFailsItsLeafByItsIdentity() throws Exception {
        assertManifestFailsOnBig(file -> {
            Path other = file.resolveSibling("replacement");
            Files.copy(file, other);
            Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
            Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
    }

    @Test
    void aVerificationReportsTheChangeRatherThanAFalseMismatch() throws Exception {
        FilesWorkload plain = FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).workDirectory(temp.resolve("work")).build());
        ManifestRun manifest = plain.startManifest(tree, null);
        assertThat(manifest.task().await(WAIT).state()).isEqualTo(TaskState.DONE);

        Task verify = workload(file -> Files.write(file, new byte[1], StandardOpenOption.APPEND))
                .startVerify(tree, manifest.output());
        TaskStatus root = verify.await(WAIT);

        assertThat(root.error()).isEqualTo("1 of 9 files failed verification");
        assertThat(Trees.find(verify.statusRecursive(), "file", BIG).error()).isEqualTo("file changed as we read it");
    }
}
