package dev.taskmanager.server;

import dev.taskmanager.Task;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStatus;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A source of tasks besides the live registry, merged into the v2 list and searched by the v2
 * lookups: a history store of tasks that left the registry. Plug one in with
 * {@link ApiOptions.Builder#taskSource}; its tasks are written with its {@link #name()} as their
 * {@code source} ({@code "history"}).
 *
 * <p><b>The contract that keeps paging exact.</b> {@link #page} answers the tasks that match the
 * query's filters, in the query's order, strictly after the query's cursor, at most
 * {@link TaskQuery#limit()} of them, and says where it stopped. The order is the key of
 * {@link dev.taskmanager.TaskCursor}: {@code (createdTime, id)} for {@link TaskQuery.Order#CREATED}
 * (ids compare as unsigned 128-bit numbers, i.e. as their lowercase text), or
 * {@code (sequenceNumber, createdTime, id)} for {@link TaskQuery.Order#SEQUENCE}; reversed when
 * {@link TaskQuery#descending()}. Keys never change, so a store that keeps its rows indexed by the key
 * pages with a range scan. The list merges the pages of every source and never goes past the
 * smallest {@link Page#next()} of the sources that have more, so a task that matched throughout a
 * listing is returned exactly once across all sources. A task that is both live and in a source is
 * returned once, live.
 *
 * <p>Implementations must be thread-safe: many requests call them at once, on the server's pool
 * threads, so they may block briefly (a database query). An exception is a 500 for the request.
 */
public interface TaskSource {

    /** What the v2 JSON says as {@code source} for this source's tasks, e.g. {@code "history"}. */
    String name();

    /**
     * One page of the tasks matching {@code query} (its filters, order, cursor and limit).
     *
     * @return the tasks in order, and the key after which the next page starts ({@code null} when
     *         none follows)
     */
    Page page(TaskQuery query);

    /** How many tasks match {@code query}'s filters (ignoring its cursor and limit). */
    long count(TaskQuery query);

    /** The task with this id, if the source has it. */
    Optional<TaskStatus> find(UUID id);

    /**
     * The descendants of a task this source has, breadth-first, at most {@code max} of them, for
     * {@code ?view=tree}; empty (the default) when the source keeps no tree.
     */
    default List<TaskStatus> descendants(UUID id, int max) {
        return List.of();
    }

    /**
     * {@link #page(TaskQuery)} for {@code GET /v2/tasks?cluster=true} when {@code cluster}: the tasks
     * of every node of a fleet that shares this source, not only this server's. A source that knows
     * no other node (the default) answers the same page either way.
     */
    default Page page(TaskQuery query, boolean cluster) {
        return page(query);
    }

    /** {@link #count(TaskQuery)}, of every node's tasks when {@code cluster}; see {@link #page(TaskQuery, boolean)}. */
    default long count(TaskQuery query, boolean cluster) {
        return count(query);
    }

    /**
     * The task with this id and the node that owns it ({@code null}: this server); by default
     * {@link #find} on this server.
     */
    default Optional<Found> locate(UUID id) {
        return find(id).map(status -> new Found(status, null));
    }

    /**
     * A handle on a task this source knows that another node runs (a fleet), to wait for it and abort
     * it there: {@link Task#done()} completes when that node records the final state, and
     * {@link Task#abort(String, String)} asks that node. Empty (the default) when the source keeps only
     * this server's tasks, or the task is not another node's.
     */
    default Optional<Remote> remote(UUID id) {
        return Optional.empty();
    }

    /**
     * The node that owns a handle the task manager returned, when it is not this server (a cluster
     * task's view that a fleet's provider answers); {@code null} (the default) for this server.
     */
    default String node(Task task) {
        return null;
    }

    /**
     * A task found by {@link #locate}.
     *
     * @param status the task
     * @param node   the node that owns it, as clients reach it; {@code null} for this server
     */
    record Found(TaskStatus status, String node) {
    }

    /**
     * A task another node runs ({@link #remote}).
     *
     * @param task a handle whose status is read from the source, whose wait and abort reach that node
     * @param node the node that runs it, as clients reach it
     */
    record Remote(Task task, String node) {
    }

    /**
     * One page of a source.
     *
     * @param tasks the tasks, in the query's order
     * @param next  the key after which the next page starts: usually that of the last task, but it
     *              may lie further when the source skipped tasks it could not show; {@code null} when
     *              no more tasks match
     * @param nodes the node that owns each task, as clients reach it ({@code null} in it, or for the
     *              whole list: this server)
     */
    record Page(List<TaskStatus> tasks, dev.taskmanager.TaskCursor next, List<String> nodes) {
        /** Copies the lists; {@code nodes}, when given, must be as long as {@code tasks}. */
        public Page {
            tasks = List.copyOf(tasks);
            if (nodes != null) {
                if (nodes.size() != tasks.size()) {
                    throw new IllegalArgumentException("nodes has " + nodes.size() + " entries for " + tasks.size()
                            + " tasks");
                }
                nodes = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(nodes));
            }
        }

        /** A page of this server's tasks. */
        public Page(List<TaskStatus> tasks, dev.taskmanager.TaskCursor next) {
            this(tasks, next, null);
        }

        /** The node that owns the {@code i}th task, or {@code null} for this server. */
        public String node(int i) {
            return nodes == null ? null : nodes.get(i);
        }
    }
}
