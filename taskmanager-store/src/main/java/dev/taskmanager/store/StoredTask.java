package dev.taskmanager.store;

import dev.taskmanager.TaskStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A task as the history store holds it: the last snapshot written for it, which server ran it, and
 * when that snapshot was written. For a finished task the snapshot is its final status; for one that
 * was still running it is its last checkpoint, at most one checkpoint interval old (or, after the
 * server stopped without finishing it, the {@code failed} status written at the next start, whose
 * error begins with {@value HistoryStore#INTERRUPTED}).
 *
 * @param status  the stored snapshot; its {@code children} are the ids the task listed when written
 * @param node    the {@code --node-name} of the server that ran the task
 * @param written when the row was last written
 */
public record StoredTask(TaskStatus status, String node, Instant written) {

    /** All three are required. */
    public StoredTask {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(written, "written");
    }
}
