package dev.taskmanager;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable summary of a task as listings and queries return it (SPEC §12.2, SPEC §22).
 * Cheaper than a {@link TaskStatus}: it needs neither children nor progress, so building one takes
 * no lock and reads no clock. The first thirteen components are the compat listing's; the rest were
 * added for filtering and paging and are appended so the compat ones keep their positions.
 *
 * @param id             the task id
 * @param module         the module the task belongs to
 * @param state          the state when the snapshot was taken
 * @param type           what operation the task covers
 * @param kind           node or cluster
 * @param scope          which part of the operation the task covers
 * @param keyspace       optional keyspace, {@code ""} when unused
 * @param table          optional table, {@code ""} when unused
 * @param entity         optional free-form entity, {@code ""} when unused
 * @param sequenceNumber the running number of SPEC §4
 * @param shard          the registry partition owning the task
 * @param startTime      when the task started, or {@code null} while it is created
 * @param endTime        when the task completed, or {@code null} until then
 * @param createdTime    when the task was registered, full precision; {@code null} only if a
 *                       {@link ClusterTaskProvider} does not know
 * @param parentId       the parent's id, or {@code null} for a root
 * @param userTask       whether the task was started on behalf of a user
 * @param internal       whether listings hide it by default
 * @param abortRequest   the abort request the task received, or {@code null} if none
 * @param stalled        whether the task is running and stalled (SPEC §19)
 * @param deadline       when the task is aborted if still running, or {@code null} for none
 * @param labels         the task's labels, never {@code null}
 */
public record TaskStats(
        UUID id,
        String module,
        TaskState state,
        String type,
        TaskKind kind,
        String scope,
        String keyspace,
        String table,
        String entity,
        long sequenceNumber,
        int shard,
        Instant startTime,
        Instant endTime,
        Instant createdTime,
        UUID parentId,
        boolean userTask,
        boolean internal,
        AbortRequest abortRequest,
        boolean stalled,
        Instant deadline,
        Map<String, String> labels) {

    /** Makes {@code labels} an immutable map in key order ({@code null} becomes empty). */
    public TaskStats {
        labels = Labels.of(labels);
    }

    /** Whether the task ended because of an abort request: {@code failed}, with the abort error. */
    public boolean aborted() {
        return abortRequest != null && state.isTerminal();
    }

    /** Whether an abort was requested and the task has not ended yet. */
    public boolean abortRequested() {
        return abortRequest != null && !state.isTerminal();
    }
}
