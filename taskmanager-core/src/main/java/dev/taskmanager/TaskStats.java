package dev.taskmanager;

import java.time.Instant;
import java.util.UUID;

/**
 * An immutable summary of a task as shown in listings (SPEC §12.2). Cheaper than a
 * {@link TaskStatus}: it needs neither children nor progress.
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
        Instant endTime) {
}
