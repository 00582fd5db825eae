package dev.taskmanager.files;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathConfinementTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private TaskManager tm;
    private Path allowed;
    private Path outside;
    private Path work;
    private FilesWorkload files;

    @BeforeEach
    void setUp() throws Exception {
        tm = new FakeTime().builder().build();
        allowed = Files.createDirectories(temp.resolve("allowed"));
        Trees.write(allowed.resolve("tree/file.txt"), 10, 1);
        outside = Files.createDirectories(temp.resolve("outside"));
        Trees.write(outside.resolve("secret.txt"), 10, 2);
        work = temp.resolve("work");
        files = FilesWorkload.create(tm, List.of(allowed), options());
    }

    @AfterEach
    void tearDown() {
        tm.close();
    }

    private FilesWorkload.Options options() {
        return FilesWorkload.Options.builder().workDirectory(work).build();
    }

    private long tasksInModule() {
        return tm.module(FilesWorkload.MODULE).tasks(TaskFilter.DEFAULT).count();
    }

    @Test
    void withoutAllowedRootsEveryDirectoryIsRefusedWithAHintOnHowToAllowOne() {
        FilesWorkload none = FilesWorkload.create(tm, List.of(), options());

        assertThatThrownBy(() -> none.startManifest(allowed, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'path'")
                .hasMessageContaining(allowed.toString())
                .hasMessageContaining("no directory is allowed")
                .hasMessageContaining("--allow-path");
        assertThat(none.allowedRoots()).isEmpty();
        assertThat(tasksInModule()).isZero();
    }

    @Test
    void aDirectoryOutsideTheAllowedRootsIsRefusedNamingTheParameterAndThePath() {
        assertThatThrownBy(() -> files.startManifest(outside, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'path': " + outside + " is outside the allowed directories [" + allowed
                        + "]; " + PathPolicy.HOW_TO_ALLOW);
        assertThatThrownBy(() -> files.startVerify(Path.of("/"), allowed.resolve("tree/file.txt")))
                .hasMessageStartingWith("parameter 'path': / is outside the allowed directories");
        assertThat(tasksInModule()).isZero();
    }

    @Test
    void dotDotCannotEscapeAnAllowedRoot() {
        Path escape = allowed.resolve("tree/../../outside");

        assertThatThrownBy(() -> files.startManifest(escape, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("parameter 'path': " + outside + " is outside the allowed directories");
        assertThatThrownBy(() -> files.startManifest(allowed.resolve("tree"), allowed.resolve("../outside/m.sha256")))
                .hasMessageStartingWith("parameter 'output': " + outside.resolve("m.sha256") + " is outside");
    }

    @Test
    void aSymbolicLinkInsideAnAllowedRootThatPointsOutsideIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(allowed.resolve("link"), outside);

        assertThatThrownBy(() -> files.startManifest(link, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("parameter 'path': " + link + " resolves to " + outside.toRealPath()
                        + ", which is outside the allowed directories");
        assertThatThrownBy(() -> files.startVerify(allowed.resolve("tree"), link.resolve("secret.txt")))
                .hasMessageStartingWith("parameter 'manifest': " + link.resolve("secret.txt") + " resolves to");
        assertThatThrownBy(() -> files.startManifest(allowed.resolve("tree"), link.resolve("m.sha256")))
                .hasMessageStartingWith("parameter 'output': " + link.resolve("m.sha256") + " resolves to");
        assertThat(outside.resolve("m.sha256")).doesNotExist();
        assertThat(tasksInModule()).isZero();
    }

    @Test
    void aNonexistentDirectoryIsRefusedAsMissing() {
        Path missing = allowed.resolve("nope");

        assertThatThrownBy(() -> files.startManifest(missing, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'path': " + missing + " does not exist");
    }

    @Test
    void aRegularFileIsRefusedWhereADirectoryIsExpected() {
        Path file = allowed.resolve("tree/file.txt");

        assertThatThrownBy(() -> files.startManifest(file, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'path': " + file + " is not a directory");
    }

    @Test
    void aManifestMustBeAnExistingRegularFile() {
        Path tree = allowed.resolve("tree");

        assertThatThrownBy(() -> files.startVerify(tree, allowed.resolve("none.sha256")))
                .hasMessage("parameter 'manifest': " + allowed.resolve("none.sha256") + " does not exist");
        assertThatThrownBy(() -> files.startVerify(tree, tree))
                .hasMessage("parameter 'manifest': " + tree + " is not a regular file");
        assertThatThrownBy(() -> files.startVerify(tree, outside.resolve("secret.txt")))
                .hasMessageStartingWith("parameter 'manifest': " + outside.resolve("secret.txt") + " is outside");
    }

    @Test
    void anOutputMustGoIntoAnExistingDirectoryAndNotReplaceADirectory() throws Exception {
        Path tree = allowed.resolve("tree");

        assertThatThrownBy(() -> files.startManifest(tree, allowed.resolve("missing/m.sha256")))
                .hasMessage("parameter 'output': directory " + allowed.resolve("missing") + " of "
                        + allowed.resolve("missing/m.sha256") + " does not exist");
        assertThatThrownBy(() -> files.startManifest(tree, tree))
                .hasMessage("parameter 'output': " + tree + " exists and is not a regular file; it would not be replaced");
        Path link = Files.createSymbolicLink(allowed.resolve("m.sha256"), allowed.resolve("tree/file.txt"));
        assertThatThrownBy(() -> files.startManifest(tree, link))
                .hasMessageStartingWith("parameter 'output': " + link + " exists and is not a regular file");
        assertThat(tasksInModule()).isZero();
    }

    @Test
    void theWorkDirectoryTakesOutputsAndManifestsButIsNotScanned() throws Exception {
        Path output = work.resolve("mine.sha256");
        ManifestRun run = files.startManifest(allowed.resolve("tree"), output);
        assertThat(run.task().await(WAIT).state()).isEqualTo(TaskState.DONE);

        assertThat(files.startVerify(allowed.resolve("tree"), output).await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThatThrownBy(() -> files.startManifest(work, null))
                .hasMessageStartingWith("parameter 'path': " + work + " is outside the allowed directories");
    }

    @Test
    void stringParametersAreRequiredAndValidatedLikeRequestParameters() {
        assertThatThrownBy(() -> files.requestManifest(null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Missing mandatory parameter 'path'");
        assertThatThrownBy(() -> files.requestManifest(" ", "x", false))
                .hasMessage("Missing mandatory parameter 'path'");
        assertThatThrownBy(() -> files.requestVerify(allowed.toString(), "", false))
                .hasMessage("Missing mandatory parameter 'manifest'");
        assertThatThrownBy(() -> files.requestManifest("bad\0path", null, false))
                .hasMessageStartingWith("parameter 'path': 'bad\0path' is not a valid path");
        assertThatThrownBy(() -> files.requestManifest(outside.toString(), null, false))
                .hasMessageStartingWith("parameter 'path': " + outside + " is outside");
        assertThat(tasksInModule()).isZero();
    }

    @Test
    void aBlankOutputParameterMeansTheDefaultOutputAndTheIdFindsTheTask() throws Exception {
        UUID id = files.requestManifest(allowed.resolve("tree").toString(), "", false);

        assertThat(tm.find(id)).isPresent();
        assertThat(tm.find(id).get().await(WAIT).state()).isEqualTo(TaskState.DONE);
        assertThat(files.defaultOutput(id)).isRegularFile();
        UUID verify = files.requestVerify(allowed.resolve("tree").toString(), files.defaultOutput(id).toString(), false);
        assertThat(tm.find(verify).get().await(WAIT).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void allowedRootsMustBeExistingDirectories() {
        assertThatThrownBy(() -> FilesWorkload.create(tm, List.of(temp.resolve("nope")), options()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("allowed root " + temp.resolve("nope") + " does not exist");
        assertThatThrownBy(() -> FilesWorkload.create(tm, List.of(outside.resolve("secret.txt")), options()))
                .hasMessage("allowed root " + outside.resolve("secret.txt") + " is not a directory");
    }

    @Test
    void anAllowedRootGivenThroughASymbolicLinkAllowsItsTarget() throws Exception {
        Path viaLink = Files.createSymbolicLink(temp.resolve("via-link"), allowed);
        FilesWorkload linked = FilesWorkload.create(tm, List.of(viaLink), options());

        assertThat(linked.allowedRoots()).containsExactly(allowed.toRealPath());
        assertThat(linked.startManifest(viaLink.resolve("tree"), null).task().await(WAIT).state())
                .isEqualTo(TaskState.DONE);
        assertThat(linked.startManifest(allowed.resolve("tree"), null).task().await(WAIT).state())
                .isEqualTo(TaskState.DONE);
    }
}
