package dev.taskmanager.files;

import dev.taskmanager.FakeTime;
import dev.taskmanager.TaskManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The data and work directories: created {@code 0700}, and refused, as OpenSSH refuses such
 * directories, when another user owns them or could write to them. Regression: the work directory
 * used to be a fixed name in {@code /tmp}, accepted whoever had made it, so another local user could
 * pre-create it {@code 0777} and replace a manifest in it.
 */
class PrivateDirectoryTest {
    private static final int SOMEONE_ELSE = 4242;

    @TempDir
    Path temp;

    @Test
    void missingDirectoriesAreCreatedWithMode0700WhateverTheUmask() throws Exception {
        Path data = temp.resolve("state/taskmanager");

        Path real = PrivateDirectory.ensure(data.resolve("files"));

        assertThat(real).isEqualTo(data.resolve("files").toRealPath());
        for (Path created : List.of(temp.resolve("state"), data, data.resolve("files"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).as(created.toString())
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void anExistingPrivateDirectoryIsAcceptedAsItIs() throws Exception {
        Path data = Files.createDirectory(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(PrivateDirectory.ensure(data)).isEqualTo(data.toRealPath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aDirectoryOthersMayWriteIsRefusedNamingThePathOwnerAndMode() throws Exception {
        Path data = Files.createDirectory(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        int uid = PrivateDirectory.currentUid();

        assertThatThrownBy(() -> PrivateDirectory.ensure(data))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(data.toRealPath() + " is owned by ")
                .hasMessageContaining("(uid " + uid + ") and has mode 0777; refusing it, as OpenSSH refuses such "
                        + "directories: it must be owned by uid " + uid + " (who runs this process) and writable "
                        + "by nobody else");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwx---"));
        assertThatThrownBy(() -> PrivateDirectory.ensure(data)).hasMessageContaining("has mode 0770");
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
        Path data = Files.createDirectory(temp.resolve("data"));

        assertThatThrownBy(() -> PrivateDirectory.ensure(data, SOMEONE_ELSE))
                .hasMessageStartingWith(data.toRealPath() + " is owned by ")
                .hasMessageContaining("it must be owned by uid " + SOMEONE_ELSE);
    }

    @Test
    void aDirectoryReallyChownedToAnotherUserIsRefused() throws Exception {
        assumeThat(PrivateDirectory.currentUid()).as("only root can give a directory away").isZero();
        Path data = Files.createDirectory(temp.resolve("data"));
        Files.setAttribute(data, "unix:uid", SOMEONE_ELSE);

        assertThatThrownBy(() -> PrivateDirectory.ensure(data))
                .hasMessageStartingWith(data.toRealPath() + " is owned by uid " + SOMEONE_ELSE + " and has mode 0");
    }

    @Test
    void aWritableDirectoryAboveIsRefusedUnlessItHasTheStickyBit() throws Exception {
        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> PrivateDirectory.ensure(shared.resolve("data")))
                .hasMessageStartingWith(shared.toRealPath() + " is owned by ")
                .hasMessageContaining("every directory above " + shared.toRealPath().resolve("data")
                        + " must be owned by uid");

        Files.setAttribute(shared, "unix:mode", 01777);
        assertThat(PrivateDirectory.ensure(shared.resolve("data"))).isDirectory();
    }

    @Test
    void aWorkloadRefusesAWorkDirectoryOthersMayWriteAndSaysWhy() throws Exception {
        Path work = Files.createDirectory(temp.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (TaskManager tm = new FakeTime().builder().build()) {
            assertThatThrownBy(() -> FilesWorkload.create(tm, List.of(),
                    FilesWorkload.Options.builder().workDirectory(work).build()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("work directory " + work + ": " + work.toRealPath() + " is owned by ")
                    .hasMessageContaining("mode 0777");
        }
    }
}
