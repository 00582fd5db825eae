package dev.taskmanager.server;

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
     * One page of a source.
     *
     * @param tasks the tasks, in the query's order
     * @param next  the key after which the next page starts: usually that of the last task, but it
     *              may lie further when the source skipped tasks it could not show; {@code null} when
     *              no more tasks match
     */
    record Page(List<TaskStatus> tasks, dev.taskmanager.TaskCursor next) {
        /** Copies the list. */
        public Page {
            tasks = List.copyOf(tasks);
        }
    }
}
