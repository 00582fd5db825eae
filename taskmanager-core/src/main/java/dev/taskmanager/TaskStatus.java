package dev.taskmanager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable, point-in-time snapshot of one task (SPEC §12.3, SPEC §15–21). Snapshots are
 * all that crosses the library's boundary: REST, CLI and tests read these, never the live task. The
 * first twenty-one components are the compat status's; the rest were added in the second round and
 * are appended so the compat ones keep their positions.
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
 * @param createdTime    when the task was registered, full precision; {@code null} only if a
 *                       {@link ClusterTaskProvider} does not know
 * @param updatedTime    the last change of the task's state or progress, its subtree's included
 *                       (SPEC §17); never before {@code createdTime}
 * @param abortRequest   the abort request the task received, or {@code null} if none
 * @param rate           recent progress per second in {@code progressUnits} (SPEC §18), or
 *                       {@code null} when unknown; always finite and non-negative
 * @param eta            the time left at {@code rate} to reach the total, or {@code null} when the
 *                       total or the rate is unknown, the rate is 0, or the task has ended
 * @param stalled        whether the task is running and made no progress for its stall threshold
 * @param deadline       when the task is aborted if still running, or {@code null} for none
 * @param labels         the task's labels, never {@code null}
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
        boolean internal,
        Instant createdTime,
        Instant updatedTime,
        AbortRequest abortRequest,
        Double rate,
        Duration eta,
        boolean stalled,
        Instant deadline,
        Map<String, String> labels) {

    /**
     * Copies the children list and labels so the snapshot stays immutable.
     *
     * @throws IllegalArgumentException if {@code rate} is NaN, infinite or negative, or {@code eta} negative
     */
    public TaskStatus {
        children = List.copyOf(children);
        labels = Labels.of(labels);
        if (rate != null) {
            TaskProgress.requireFiniteNonNegative("rate", rate);
        }
        if (eta != null && eta.isNegative()) {
            throw new IllegalArgumentException("eta must not be negative, got " + eta);
        }
    }

    /** Whether the task ended because of an abort request: {@code failed}, with the abort error. */
    public boolean aborted() {
        return abortRequest != null && state.isTerminal();
    }

    /** Whether an abort was requested and the task has not ended yet. */
    public boolean abortRequested() {
        return abortRequest != null && !state.isTerminal();
    }

    /** The listing summary of this snapshot. */
    public TaskStats toStats() {
        return new TaskStats(id, module, state, type, kind, scope, keyspace, table, entity,
                sequenceNumber, shard, startTime, endTime, createdTime, parentId, userTask, internal,
                abortRequest, stalled, deadline, labels);
    }
}
