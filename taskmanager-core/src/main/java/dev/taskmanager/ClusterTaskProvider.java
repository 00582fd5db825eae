package dev.taskmanager;

import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The hook for cluster-kind tasks (SPEC §11): operations that span several nodes and whose status is
 * computed on request by whatever service owns them. A module with a provider lists its operations
 * next to its own tasks, and lookups by id fall back to the provider.
 *
 * <p>Handles returned by a provider report {@link TaskKind#CLUSTER}, no parent, sequence number 0,
 * shard 0, and are never internal. Implementations must be thread-safe.
 */
public interface ClusterTaskProvider {

    /**
     * The provider's current operations, as listing summaries. May be weakly consistent. Queries
     * (SPEC §22) filter and order these too: a summary should carry the operation's
     * {@code createdTime}; one without sorts as if created at the epoch.
     */
    Stream<TaskStats> tasks();

    /** A handle on the operation with this id, or empty if the provider does not know it. */
    Optional<Task> find(UUID id);
}
