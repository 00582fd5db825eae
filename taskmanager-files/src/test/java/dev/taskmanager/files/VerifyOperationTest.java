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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

class VerifyOperationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TaskManager tm;
    private Path allowed;
    private Path tree;
    private FilesWorkload files;
    private Path manifest;

    @BeforeEach
    void setUp() throws Exception {
        tm = new FakeTime().builder().build();
        allowed = Files.createDirectories(temp.resolve("allowed"));
        tree = Trees.create(allowed.resolve("tree"));
        files = FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).bufferSize(16 * 1024).workDirectory(temp.resolve("work")).build());
        ManifestRun run = files.startManifest(tree, null);
        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        manifest = run.output();
    }

    @AfterEach
    void tearDown() {
        tm.close();
    }

    @Test
    void verifyingAnIntactTreeSucceedsAndKeepsOnlyTheRootsDirectChildren() throws Exception {
        Task verify = files.startVerify(tree, manifest);

        TaskStatus root = verify.await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.DONE);
        assertThat(root.error()).isEmpty();
        assertThat(root.type()).isEqualTo("verify");
        assertThat(root.labels()).containsExactly(entry(FilesWorkload.MANIFEST_LABEL, manifest.toRealPath().toString()));
        assertThat(root.progress().completed()).isEqualTo(Trees.totalBytes(tree));
        assertThat(root.progress().total()).isEqualTo(root.progress().completed());
        List<TaskStatus> statuses = verify.statusRecursive();
        // The empty directory d is not in the manifest, so verification has no task for it.
        assertThat(statuses.subList(1, statuses.size()))
                .extracting(TaskStatus::scope, TaskStatus::entity, TaskStatus::state).containsExactlyInAnyOrder(
                        tuple("directory", "a", TaskState.DONE), tuple("directory", "e", TaskState.DONE),
                        tuple("files", ".", TaskState.DONE), tuple("file", "big.bin", TaskState.DONE));
    }

    @Test
    void aModifiedLargeFileAndAMissingSmallFileStayVisibleAsFailedLeavesUnderTheirDirectories() throws Exception {
        String expected = Trees.sha256(tree.resolve("a/large-a.bin"));
        flipFirstByte(tree.resolve("a/large-a.bin"));
        String actual = Trees.sha256(tree.resolve("a/large-a.bin"));
        Files.delete(tree.resolve("a/b/deep.txt"));

        Task verify = files.startVerify(tree, manifest);
        TaskStatus root = verify.await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo("2 of 9 files failed verification");
        List<TaskStatus> statuses = verify.statusRecursive();
        TaskStatus a = Trees.find(statuses, "directory", "a");
        assertThat(a.parentId()).isEqualTo(root.id());
        assertThat(a.error()).isEqualTo("2 of 6 files failed verification");

        TaskStatus modified = Trees.find(statuses, "file", "a/large-a.bin");
        assertThat(modified.state()).isEqualTo(TaskState.FAILED);
        assertThat(modified.error()).isEqualTo("sha256 mismatch: expected " + expected + ", got " + actual);
        assertThat(modified.parentId()).isEqualTo(a.id());

        TaskStatus missing = Trees.find(statuses, "file", "a/b/deep.txt");
        assertThat(missing.state()).isEqualTo(TaskState.FAILED);
        assertThat(missing.error()).isEqualTo("missing");
        TaskStatus smallFilesOfB = Trees.byId(statuses, missing.parentId());
        assertThat(smallFilesOfB).extracting(TaskStatus::scope, TaskStatus::entity, TaskStatus::state)
                .containsExactly("files", "a/b", TaskState.FAILED);
        TaskStatus b = Trees.byId(statuses, smallFilesOfB.parentId());
        assertThat(b).extracting(TaskStatus::scope, TaskStatus::entity, TaskStatus::state)
                .containsExactly("directory", "a/b", TaskState.FAILED);
        assertThat(b.parentId()).isEqualTo(a.id());

        // Folding dropped everything below the root's children that did not lead to a failure.
        assertThat(statuses).extracting(TaskStatus::entity).doesNotContain(
                "a/one.txt", "a/two.txt", "a/b/c", "a/b/c/large-c.bin", "a/b/empty.txt");
        assertThat(statuses).filteredOn(status -> !status.id().equals(root.id())
                        && !status.parentId().equals(root.id()))
                .allSatisfy(status -> assertThat(status.state()).isEqualTo(TaskState.FAILED));
    }

    @Test
    void aModifiedSmallFileAndAMissingLargeFileAreFlaggedToo() throws Exception {
        String expected = Trees.sha256(tree.resolve("e/x.dat"));
        flipFirstByte(tree.resolve("e/x.dat"));
        Files.delete(tree.resolve("big.bin"));

        Task verify = files.startVerify(tree, manifest);
        TaskStatus root = verify.await(WAIT);

        assertThat(root.error()).isEqualTo("2 of 9 files failed verification");
        List<TaskStatus> statuses = verify.statusRecursive();
        TaskStatus modified = Trees.find(statuses, "file", "e/x.dat");
        assertThat(modified.error()).isEqualTo("sha256 mismatch: expected " + expected + ", got "
                + Trees.sha256(tree.resolve("e/x.dat")));
        assertThat(Trees.byId(statuses, Trees.byId(statuses, modified.parentId()).parentId()).entity()).isEqualTo("e");
        TaskStatus missing = Trees.find(statuses, "file", "big.bin");
        assertThat(missing.error()).isEqualTo("missing");
        // A missing file has no size to go by, so it is checked with the small files of its directory.
        TaskStatus smallFilesOfTop = Trees.byId(statuses, missing.parentId());
        assertThat(smallFilesOfTop).extracting(TaskStatus::scope, TaskStatus::entity).containsExactly("files", ".");
        assertThat(smallFilesOfTop.parentId()).isEqualTo(root.id());
    }

    @Test
    void filesThatTheManifestDoesNotListAreIgnored() throws Exception {
        Trees.write(tree.resolve("a/new.txt"), 10, 1);
        Trees.write(tree.resolve("brand/new/dir.bin"), Trees.THRESHOLD, 2);

        TaskStatus root = files.startVerify(tree, manifest).await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aManifestPathThatLeavesTheDirectoryFailsTheRootBeforeAnythingIsRead() throws Exception {
        Trees.write(allowed.resolve("outside.txt"), 10, 1);
        Path evil = allowed.resolve("evil.sha256");
        Files.writeString(evil, Trees.sha256(allowed.resolve("outside.txt")) + "  ../outside.txt\n");

        TaskStatus root = files.startVerify(tree, evil).await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo("manifest " + evil.toRealPath() + ": line 1: the path has a '..' "
                + "component; manifest paths must stay inside the directory");
        assertThat(root.children()).isEmpty();
    }

    @Test
    void aListedFileBehindASymbolicLinkThatLeadsOutsideFailsWithoutBeingRead() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Trees.write(outside.resolve("secret.txt"), 10, 1);
        Files.createSymbolicLink(tree.resolve("link"), outside);
        Path sneaky = allowed.resolve("sneaky.sha256");
        Files.writeString(sneaky, Trees.sha256(outside.resolve("secret.txt")) + "  link/secret.txt\n");

        Task verify = files.startVerify(tree, sneaky);
        TaskStatus root = verify.await(WAIT);

        assertThat(root.error()).isEqualTo("1 of 1 files failed verification");
        TaskStatus leaf = Trees.find(verify.statusRecursive(), "file", "link/secret.txt");
        assertThat(leaf.error()).isEqualTo("cannot be reached: " + tree.toRealPath().resolve("link")
                + " is a symbolic link, not a directory (links are not followed)");
        assertThat(leaf.progress().completed()).isZero();
    }

    @Test
    void aListedPathThatIsNowASymbolicLinkToAFileFailsAsNotARegularFile() throws Exception {
        Files.delete(tree.resolve("a/one.txt"));
        Files.createSymbolicLink(tree.resolve("a/one.txt"), tree.resolve("a/two.txt"));

        Task verify = files.startVerify(tree, manifest);
        verify.await(WAIT);

        assertThat(Trees.find(verify.statusRecursive(), "file", "a/one.txt").error())
                .isEqualTo("not a regular file: it is a symbolic link (links are not followed)");
    }

    @Test
    void verificationAgreesWithSha256sum() throws Exception {
        assumeThat(Path.of("/usr/bin/sha256sum")).isExecutable();
        Trees.write(tree.resolve("e/back\\slash and space.txt"), 3, 1);
        Path output = allowed.resolve("for-sha256sum.sha256");
        assertThat(files.startManifest(tree, output).task().await(WAIT).state()).isEqualTo(TaskState.DONE);

        Process check = new ProcessBuilder("/usr/bin/sha256sum", "--check", "--quiet", output.toString())
                .directory(tree.toFile()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes());

        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(said).isZero();
        Path theirs = allowed.resolve("theirs.sha256");
        Process write = new ProcessBuilder("/bin/sh", "-c", "find . -type f -printf '%P\\n' | sort "
                + "| tr '\\n' '\\0' | xargs -0 /usr/bin/sha256sum > " + theirs).directory(tree.toFile()).start();
        assertThat(write.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Manifest.read(theirs).entries()).isEqualTo(Trees.digests(tree));
        assertThat(files.startVerify(tree, theirs).await(WAIT).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void thePathBasedFallbackForPlatformsWithoutSecureDirectoryStreamsGivesTheSameResults() throws Exception {
        FilesWorkload fallback = FilesWorkload.create(tm, List.of(allowed), FilesWorkload.Options.builder()
                .largeFileThreshold(Trees.THRESHOLD).workDirectory(temp.resolve("work")).forcePathFallback().build());
        Path output = allowed.resolve("fallback.sha256");

        ManifestRun run = fallback.startManifest(tree, output);
        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(Manifest.read(output).entries()).isEqualTo(Trees.digests(tree));
        assertThat(fallback.startVerify(tree, output).await(WAIT).state()).isEqualTo(TaskState.DONE);

        Path outside = Files.createDirectories(temp.resolve("outside"));
        Trees.write(outside.resolve("x.dat"), 5 * 1024, "e/x.dat".hashCode());
        Path e = tree.resolve("e");
        Files.move(e, tree.resolve("e.real"));
        Files.createSymbolicLink(e, outside);
        Task verify = fallback.startVerify(tree, output);
        assertThat(verify.await(WAIT).error()).isEqualTo("1 of 9 files failed verification");
        assertThat(Trees.find(verify.statusRecursive(), "file", "e/x.dat").error())
                .isEqualTo("cannot be reached: " + tree.toRealPath().resolve("e")
                        + " is a symbolic link, not a directory (links are not followed)");
    }

    private static void flipFirstByte(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        content[0] ^= 1;
        Files.write(file, content);
    }
}
