package dev.taskmanager.files;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ManifestOperationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

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

    private FilesWorkload workload(FilesWorkload.Options.Builder options) {
        return FilesWorkload.create(tm, List.of(allowed),
                options.largeFileThreshold(Trees.THRESHOLD).bufferSize(16 * 1024)
                        .workDirectory(temp.resolve("work")).build());
    }

    private FilesWorkload workload() {
        return workload(FilesWorkload.Options.builder());
    }

    @Test
    void manifestListsTheSha256OfEveryRegularFileAsComputedIndependently() throws Exception {
        ManifestRun run = workload().startManifest(tree, null);

        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(run.manifest().get().entries()).isEqualTo(Trees.digests(tree))
                .containsOnlyKeys(Trees.FILES.keySet());
    }

    @Test
    void manifestFileIsInSha256sumFormatSortedByPath() throws Exception {
        Path output = allowed.resolve("tree.sha256");
        ManifestRun run = workload().startManifest(tree, output);
        run.task().await(WAIT);

        List<String> expected = new ArrayList<>();
        Trees.digests(tree).forEach((path, digest) -> expected.add(digest + "  " + path));
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        assertThat(text.lines()).containsExactlyElementsOf(expected);
        assertThat(text.lines().map(line -> line.substring(66))).isSorted();
        assertThat(run.output()).isEqualTo(output.toRealPath());
        assertThat(Manifest.read(output)).isEqualTo(run.manifest().get());
    }

    @Test
    void rootProgressEndsAtTheTotalBytesWithTotalEqualToCompleted() throws Exception {
        ManifestRun run = workload().startManifest(tree, null);

        TaskStatus last = run.task().await(WAIT);

        long total = Trees.totalBytes(tree);
        assertThat(total).isEqualTo(Trees.FILES.values().stream().mapToLong(Integer::longValue).sum());
        assertThat(last.progress().completed()).isEqualTo(total);
        assertThat(last.progress().total()).isEqualTo(total);
        assertThat(last.progressUnits()).isEqualTo("bytes");
    }

    @Test
    void rootIsAnAbortableUserTaskOfTheFilesModuleNamedAfterTheDirectory() throws Exception {
        ManifestRun run = workload().startManifest(tree, null);

        TaskStatus root = run.task().await(WAIT);

        assertThat(root.module()).isEqualTo(FilesWorkload.MODULE);
        assertThat(root.type()).isEqualTo("manifest");
        assertThat(root.scope()).isEqualTo("directory");
        assertThat(root.entity()).isEqualTo(tree.toRealPath().toString());
        assertThat(root.userTask()).isTrue();
        assertThat(root.abortable()).isTrue();
        assertThat(root.internal()).isFalse();
        assertThat(root.parentId()).isNull();
    }

    @Test
    void afterSuccessTheRecursiveStatusHoldsOnlyTheRootAndItsDirectChildren() throws Exception {
        ManifestRun run = workload().startManifest(tree, null);
        run.task().await(WAIT);

        List<TaskStatus> statuses = run.task().statusRecursive();

        assertThat(statuses.get(0).id()).isEqualTo(run.task().id());
        List<TaskStatus> children = statuses.subList(1, statuses.size());
        assertThat(children).extracting(TaskStatus::scope, TaskStatus::entity).containsExactlyInAnyOrder(
                tuple("output", run.output().toString()),
                tuple("directory", "a"), tuple("directory", "d"), tuple("directory", "e"),
                tuple("files", "."), tuple("file", "big.bin"));
        assertThat(children).allSatisfy(child -> {
            assertThat(child.parentId()).isEqualTo(run.task().id());
            assertThat(child.state()).isEqualTo(TaskState.DONE);
            assertThat(child.type()).isEqualTo("manifest");
            assertThat(child.internal()).isTrue();
            assertThat(child.children()).isEmpty();
        });
        long bytesOfA = Trees.FILES.entrySet().stream().filter(file -> file.getKey().startsWith("a/"))
                .mapToLong(Map.Entry::getValue).sum();
        TaskStatus a = Trees.find(statuses, "directory", "a");
        assertThat(a.progress().completed()).isEqualTo(bytesOfA);
        assertThat(a.progress().total()).isEqualTo(bytesOfA);
        assertThat(Trees.find(statuses, "files", ".").progress().completed()).isEqualTo(100);
    }

    @Test
    void withoutAnOutputTheManifestGoesToTheWorkDirectoryNamedAfterTheTask() throws Exception {
        FilesWorkload files = workload();
        ManifestRun run = files.startManifest(tree, null);
        run.task().await(WAIT);

        assertThat(run.output()).isEqualTo(files.defaultOutput(run.task().id()))
                .isEqualTo(temp.resolve("work").toRealPath().resolve(run.task().id() + ".sha256"))
                .isRegularFile();
        assertThat(Manifest.read(run.output()).entries()).isEqualTo(Trees.digests(tree));
    }

    @Test
    void symbolicLinksInsideTheTreeAreNeitherListedNorFollowed() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Trees.write(outside.resolve("secret.txt"), 50, 7);
        Files.createSymbolicLink(tree.resolve("link-to-dir"), outside);
        Files.createSymbolicLink(tree.resolve("a/link-to-file"), outside.resolve("secret.txt"));

        ManifestRun run = workload().startManifest(tree, null);
        run.task().await(WAIT);

        assertThat(run.manifest().get().entries()).containsOnlyKeys(Trees.FILES.keySet());
    }

    @Test
    void fileNamesWithSpacesBackslashesAndNewlinesAreHashedAndEscaped() throws Exception {
        Trees.write(tree.resolve("e/with space.txt"), 3, 1);
        Trees.write(tree.resolve("e/back\\slash.txt"), 4, 2);
        Trees.write(tree.resolve("e/new\nline.txt"), 5, 3);
        Path output = allowed.resolve("odd.sha256");

        ManifestRun run = workload().startManifest(tree, output);
        run.task().await(WAIT);

        assertThat(run.manifest().get().entries()).isEqualTo(Trees.digests(tree));
        assertThat(Files.readString(output)).contains("  e/with space.txt\n")
                .contains("\\" + Trees.sha256(tree.resolve("e/back\\slash.txt")) + "  e/back\\\\slash.txt\n")
                .contains("\\" + Trees.sha256(tree.resolve("e/new\nline.txt")) + "  e/new\\nline.txt\n");
        assertThat(Manifest.read(output)).isEqualTo(run.manifest().get());
    }

    @Test
    void anEmptyDirectoryGivesAnEmptyManifestAndZeroProgress() throws Exception {
        Path empty = Files.createDirectories(allowed.resolve("empty"));

        ManifestRun run = workload().startManifest(empty, null);
        TaskStatus last = run.task().await(WAIT);

        assertThat(last.state()).isEqualTo(TaskState.DONE);
        assertThat(last.progress().completed()).isZero();
        assertThat(run.manifest().get().entries()).isEmpty();
        assertThat(Files.size(run.output())).isZero();
    }

    @Test
    void filesThatVanishBeforeTheyAreReadFailTheirOwnLeavesAndNoManifestIsWritten() throws Exception {
        Set<String> vanishing = Set.of("a/one.txt", "a/large-a.bin");
        IoHook deleteFirst = new IoHook() {
            @Override
            public void opening(String path) throws IOException {
                if (vanishing.contains(path)) {
                    Files.delete(tree.resolve(path));
                }
            }
        };
        ManifestRun run = workload(FilesWorkload.Options.builder().hook(deleteFirst)).startManifest(tree, null);

        TaskStatus root = run.task().await(WAIT);

        assertThat(root.state()).isEqualTo(TaskState.FAILED);
        assertThat(root.error()).isEqualTo("2 of 9 files could not be hashed; no manifest written");
        List<TaskStatus> statuses = run.task().statusRecursive();
        TaskStatus a = Trees.find(statuses, "directory", "a");
        assertThat(a.state()).isEqualTo(TaskState.FAILED);
        assertThat(a.error()).isEqualTo("2 of 6 files could not be hashed");
        TaskStatus large = Trees.find(statuses, "file", "a/large-a.bin");
        assertThat(large.state()).isEqualTo(TaskState.FAILED);
        assertThat(large.error()).startsWith("java.nio.file.NoSuchFileException (").contains("large-a.bin");
        assertThat(large.parentId()).isEqualTo(a.id());
        TaskStatus small = Trees.find(statuses, "file", "a/one.txt");
        assertThat(small.error()).startsWith("java.nio.file.NoSuchFileException (").contains("one.txt");
        TaskStatus smallFiles = Trees.byId(statuses, small.parentId());
        assertThat(smallFiles.scope()).isEqualTo("files");
        assertThat(smallFiles.entity()).isEqualTo("a");
        assertThat(smallFiles.error()).isEqualTo("1 of 2 files could not be hashed");
        assertThat(smallFiles.parentId()).isEqualTo(a.id());
        assertThat(run.output()).doesNotExist();
        assertThatThrownBy(() -> run.manifest().get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 of 9 files could not be hashed");
    }

    @Test
    void everyOtherFileIsStillHashedWhenOneFails() throws Exception {
        IoHook deleteOne = new IoHook() {
            @Override
            public void opening(String path) throws IOException {
                if (path.equals("big.bin")) {
                    Files.delete(tree.resolve(path));
                }
            }
        };
        ManifestRun run = workload(FilesWorkload.Options.builder().hook(deleteOne)).startManifest(tree, null);

        TaskStatus root = run.task().await(WAIT);

        assertThat(root.progress().completed()).isEqualTo(Trees.totalBytes(tree));
        List<TaskStatus> statuses = run.task().statusRecursive();
        assertThat(statuses).filteredOn(status -> status.state() == TaskState.FAILED)
                .extracting(TaskStatus::entity)
                .containsExactlyInAnyOrder(tree.toRealPath().toString(), "big.bin", run.output().toString());
        assertThat(Trees.find(statuses, "output", run.output().toString()).error())
                .isEqualTo("not written: 1 of 9 files could not be hashed; no manifest written");
    }

    @Test
    void filesOpenAtOnceNeverExceedTheReadLimit() throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        IoHook counting = new IoHook() {
            @Override
            public void opening(String path) {
                mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            }

            @Override
            public void closed(String path) {
                open.decrementAndGet();
            }
        };
        for (int i = 0; i < 20; i++) {
            Trees.write(tree.resolve("wide/dir" + i + "/file.bin"), Trees.THRESHOLD + i, i);
        }
        ManifestRun run = workload(FilesWorkload.Options.builder().maxConcurrentReads(2).hook(counting))
                .startManifest(tree, null);

        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(mostOpen.get()).isBetween(1, 2);
        assertThat(open.get()).isZero();
    }

    @Test
    void aTreeWithMoreDirectoriesThanParallelSlotsCompletesByWorkingThroughThemInTurn() throws Exception {
        Path deep = allowed.resolve("deep");
        List<String> expected = new ArrayList<>();
        for (String x : List.of("p", "q", "r")) {
            for (String y : List.of("s", "t", "u")) {
                for (String z : List.of("v", "w")) {
                    String path = x + "/" + y + "/" + z + "/f.txt";
                    Trees.write(deep.resolve(path), 64, path.hashCode());
                    expected.add(path);
                }
            }
        }

        ManifestRun run = workload(FilesWorkload.Options.builder().parallelDirectories(1)).startManifest(deep, null);

        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(run.manifest().get().entries()).isEqualTo(Trees.digests(deep)).containsOnlyKeys(expected);
        assertThat(run.task().statusRecursive()).extracting(TaskStatus::scope)
                .containsExactlyInAnyOrder("directory", "output", "directory", "directory", "directory");
    }

    @Test
    void aThrottledRunProducesTheSameManifest() throws Exception {
        ManifestRun run = workload(FilesWorkload.Options.builder().maxBytesPerSecond(64L << 20))
                .startManifest(tree, null);

        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(run.manifest().get().entries()).isEqualTo(Trees.digests(tree));
    }

    @Test
    void onlyTheRootTaskAppearsInTheModuleListing() throws Exception {
        ManifestRun run = workload().startManifest(tree, null);
        run.task().await(WAIT);

        assertThat(tm.module(FilesWorkload.MODULE).tasks().map(TaskStats::id).collect(Collectors.toList()))
                .containsExactly(run.task().id());
    }
}
