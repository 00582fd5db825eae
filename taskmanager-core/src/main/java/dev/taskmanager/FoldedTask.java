package dev.taskmanager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The compact, immutable record a finished child leaves in its parent when it is folded (SPEC §7.2).
 * It keeps the child's own fields, its progress as computed at folding, and only those of its own
 * folded children that failed or lead to a failure; everything else below it is dropped. That is what
 * keeps memory bounded for huge trees. It also keeps what tells an aborted child from a failed one
 * (its abort request), its creation time and labels; not the failure's {@code Throwable}, only its
 * text.
 */
record FoldedTask(
        UUID id,
        String module,
        String type,
        TaskState state,
        boolean abortable,
        long startEpochNanos,
        long endEpochNanos,
        String error,
        UUID parentId,
        long sequenceNumber,
        int shard,
        String scope,
        String keyspace,
        String table,
        String entity,
        String progressUnits,
        TaskProgress progress,
        boolean userTask,
        boolean internal,
        long createdEpochNanos,
        AbortRequest abortRequest,
        Map<String, String> labels,
        List<FoldedTask> failedChildren) {

    /** Whether this record is worth keeping in a folded parent: it failed or leads to a failure. */
    boolean failedOrLeadsToFailure() {
        return state == TaskState.FAILED || !failedChildren.isEmpty();
    }

    /** Keeps only the records worth keeping in a folded parent (SPEC §7.2). */
    static List<FoldedTask> failuresAmong(List<FoldedTask> folded) {
        if (folded == null || folded.isEmpty()) {
            return List.of();
        }
        List<FoldedTask> kept = new ArrayList<>();
        for (FoldedTask record : folded) {
            if (record.failedOrLeadsToFailure()) {
                kept.add(record);
            }
        }
        return kept.isEmpty() ? List.of() : List.copyOf(kept);
    }

    /** The status snapshot of this record: {@code children} lists its failed children (SPEC §12.4). */
    TaskStatus toStatus() {
        List<UUID> childIds = new ArrayList<>(failedChildren.size());
        for (FoldedTask child : failedChildren) {
            childIds.add(child.id);
        }
        return new TaskStatus(id, module, type, TaskKind.NODE, scope, state, abortable,
                EpochNanos.toInstant(startEpochNanos), EpochNanos.toInstant(endEpochNanos),
                error, parentId, sequenceNumber, shard, keyspace, table, entity, progressUnits,
                progress, childIds, userTask, internal, EpochNanos.toInstant(createdEpochNanos),
                EpochNanos.toInstant(endEpochNanos), abortRequest, null, null, false, null, labels);
    }
}
