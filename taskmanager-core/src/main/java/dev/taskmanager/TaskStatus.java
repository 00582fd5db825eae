package dev.taskmanager;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An immutable, point-in-time snapshot of one task (SPEC §12.3). Snapshots are all that crosses the
 * library's boundary: REST, CLI and tests read these, never the live task.
 *
 * @param id             the task id
 * @param module         the module the task belongs to
 * @param type           what operation the task covers
 * @param kind           node or cluster
 * @param scope          which part of the operation the task covers
 * @param state          the state when the snapshot was taken
 * @param abortable      whether the API may abort the task
 * @param startTime      when the task started, or {@code null} while it is created
 * @param endTime        when it completed, or {@code null} until then
 * @param error          a readable rendering of the failure; {@code ""} unless failed, never empty if failed
 * @param parentId       the parent's id, or {@code null} for a root
 * @param sequenceNumber the running number of SPEC §4
 * @param shard          the registry partition owning the task
 * @param keyspace       optional keyspace, {@code ""} when unused
 * @param table          optional table, {@code ""} when unused
 * @param entity         optional free-form entity, {@code ""} when unused
 * @param progressUnits  what progress is counted in, {@code ""} if nothing
 * @param progress       progress computed at snapshot time (SPEC §8)
 * @param children       direct children: live ones first, then folded ones in the order they
 *                       finished; for a folded record, only its failed children (SPEC §12.4)
 * @param userTask       whether the task was started on behalf of a user ({@code user_task_ttl} applies)
 * @param internal       whether listings hide it by default
 */
public record TaskStatus(
        UUID id,
        String module,
        String type,
        TaskKind kind,
        String scope,
        TaskState state,
        boolean abortable,
        Instant startTime,
        Instant endTime,
        String error,
        UUID parentId,
        long sequenceNumber,
        int shard,
        String keyspace,
        String table,
        String entity,
        String progressUnits,
        TaskProgress progress,
        List<UUID> children,
        boolean userTask,
        boolean internal) {

    /** Copies the children list so the snapshot stays immutable. */
    public TaskStatus {
        children = List.copyOf(children);
    }

    /** The listing summary of this snapshot. */
    public TaskStats toStats() {
        return new TaskStats(id, module, state, type, kind, scope, keyspace, table, entity,
                sequenceNumber, shard, startTime, endTime);
    }
}
