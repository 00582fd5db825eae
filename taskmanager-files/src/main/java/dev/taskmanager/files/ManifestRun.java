package dev.taskmanager.files;

import dev.taskmanager.Task;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A manifest operation that was started: its root task, where the manifest goes, and the manifest
 * itself once the operation is done. The task is what operators watch and abort; {@link #manifest()}
 * is for library callers who want the digests without reading the file back.
 *
 * <p>Thread-safe.
 */
public final class ManifestRun {
    private final Task task;
    private final Path output;
    private final CompletableFuture<Manifest> manifest;

    ManifestRun(Task task, Path output, CompletableFuture<Manifest> manifest) {
        this.task = task;
        this.output = output;
        this.manifest = manifest;
    }

    /** The root task of the operation (type {@code manifest}, scope {@code directory}). */
    public Task task() {
        return task;
    }

    /**
     * Where the manifest is written when the operation succeeds: the output that was asked for (as a
     * real path), or the default under the work directory ({@link FilesWorkload#defaultOutput}).
     * Nothing is written if the operation fails or is aborted.
     */
    public Path output() {
        return output;
    }

    /**
     * Completes with the manifest after the root task is {@code done} (the file has been written by
     * then). If the task fails or is aborted, completes exceptionally with an
     * {@link IllegalStateException} carrying the task's error. A new copy on every call, so cancelling
     * it affects nobody else.
     */
    public CompletableFuture<Manifest> manifest() {
        return manifest.copy();
    }

    @Override
    public String toString() {
        return "ManifestRun[" + task.id() + " -> " + output + "]";
    }
}
