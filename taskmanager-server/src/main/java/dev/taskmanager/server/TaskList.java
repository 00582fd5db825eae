package dev.taskmanager.server;

import dev.taskmanager.Task;
import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskPage;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The v2 list's pipeline: one page of a {@link TaskQuery} from the live registry, merged with the
 * pages of the other {@link TaskSource}s (a history store) by the ordering key, so that paging stays
 * exact across sources.
 *
 * <p>The live page comes from the core's cursor ({@link TaskManager#query}): the matches of one
 * page, as summaries, then each task's full snapshot. A task that left the registry between the
 * two is skipped (it did not live throughout the listing); the page still ends at the core's cursor.
 * With other sources, each answers a page of the same query; the merge takes tasks in key order and
 * stops at the page size or at the smallest key up to which every source that has more has answered
 * (the horizon), whichever comes first. Past the horizon a source may hold tasks not seen yet, so the
 * next page starts there. A key seen twice (a task both live and in history) is kept once, live.
 *
 * <p>Thread-safe: it holds no state of its own; each call reads the registry and the sources.
 */
final class TaskList {
    private final TaskManager taskManager;
    private final List<TaskSource> others;

    TaskList(TaskManager taskManager, List<TaskSource> others) {
        this.taskManager = taskManager;
        this.others = List.copyOf(others);
    }

    /**
     * A task of a page, the source it came from ({@link TaskJson#LIVE} or a source's name), and the
     * node that owns it ({@code null}: this server).
     */
    record Entry(TaskStatus status, String source, String node) {
        Entry(TaskStatus status, String source) {
            this(status, source, null);
        }
    }

    /** One page: at most the query's limit of tasks, and where the next starts ({@code null}: the end). */
    record Page(List<Entry> tasks, TaskCursor next) {
    }

    /** One page of {@code query}, of this server's tasks. */
    Page page(TaskQuery query) {
        return page(query, false);
    }

    /** One page of {@code query}; of every node's tasks when {@code cluster} (the sources that know a fleet). */
    Page page(TaskQuery query, boolean cluster) {
        TaskPage live = taskManager.query(query);
        List<Entry> liveEntries = new ArrayList<>(live.tasks().size());
        for (TaskStats stats : live.tasks()) {
            taskManager.find(stats.id()).ifPresent(task -> liveEntries.add(live(task)));
        }
        if (others.isEmpty()) {
            return new Page(liveEntries, live.next());
        }
        Comparator<TaskCursor> order = order(query);
        List<Entry> candidates = new ArrayList<>(liveEntries);
        TaskCursor horizon = live.next();
        for (TaskSource source : others) {
            TaskSource.Page page = source.page(query, cluster);
            for (int i = 0; i < page.tasks().size(); i++) {
                candidates.add(new Entry(page.tasks().get(i), source.name(), page.node(i)));
            }
            if (page.next() != null && (horizon == null || order.compare(page.next(), horizon) < 0)) {
                horizon = page.next();
            }
        }
        // stable: for one key, the live entry (added first) comes first and the others are dropped
        candidates.sort((a, b) -> order.compare(key(a.status()), key(b.status())));
        List<Entry> tasks = new ArrayList<>(Math.min(query.limit(), candidates.size()));
        TaskCursor last = null;
        boolean more = false;
        for (Entry candidate : candidates) {
            TaskCursor key = key(candidate.status());
            if (horizon != null && order.compare(key, horizon) > 0) {
                break;
            }
            if (last != null && order.compare(key, last) == 0) {
                continue;
            }
            if (tasks.size() == query.limit()) {
                more = true;
                break;
            }
            tasks.add(candidate);
            last = key;
        }
        TaskCursor next = more || (tasks.size() == query.limit() && horizon != null) ? last : horizon;
        return new Page(tasks, next);
    }

    /** How many tasks match {@code query} in every source (a task both live and in a source counts twice). */
    long count(TaskQuery query) {
        return count(query, false);
    }

    /** {@link #count(TaskQuery)}, of every node's tasks when {@code cluster}. */
    long count(TaskQuery query, boolean cluster) {
        long count = taskManager.count(query);
        for (TaskSource source : others) {
            count += source.count(query, cluster);
        }
        return count;
    }

    /** A handle of the task manager as an entry: live, owned by the node a source names, else this one. */
    Entry live(Task task) {
        return new Entry(task.status(), TaskJson.LIVE, nodeOf(task));
    }

    /** The node that owns a handle of the task manager ({@code null}: this server), as the sources tell. */
    String nodeOf(Task task) {
        for (TaskSource source : others) {
            String node = source.node(task);
            if (node != null) {
                return node;
            }
        }
        return null;
    }

    /** The task with this id: live, else from the first source that has it. */
    Optional<Entry> find(UUID id) {
        Optional<Task> live = taskManager.find(id);
        if (live.isPresent()) {
            return Optional.of(live(live.get()));
        }
        for (TaskSource source : others) {
            Optional<TaskSource.Found> found = source.locate(id);
            if (found.isPresent()) {
                return Optional.of(new Entry(found.get().status(), source.name(), found.get().node()));
            }
        }
        return Optional.empty();
    }

    /**
     * The node that owns a task as the sources know it ({@code null}: this server, or unknown): how
     * a cluster task's children on other nodes are named in {@code children_ids}. Reads the sources.
     */
    String ownerOf(UUID id) {
        for (TaskSource source : others) {
            Optional<TaskSource.Found> found = source.locate(id);
            if (found.isPresent()) {
                return found.get().node();
            }
        }
        return null;
    }

    /** A task another node runs, from the first source that knows one (a fleet). */
    Optional<TaskSource.Remote> remote(UUID id) {
        for (TaskSource source : others) {
            Optional<TaskSource.Remote> remote = source.remote(id);
            if (remote.isPresent()) {
                return remote;
            }
        }
        return Optional.empty();
    }

    /** The descendants the named source keeps of a task it answered, at most {@code max}. */
    List<TaskStatus> descendants(UUID id, String source, int max) {
        for (TaskSource other : others) {
            if (other.name().equals(source)) {
                return other.descendants(id, max);
            }
        }
        return List.of();
    }

    /** The ordering key of a task: that of {@link TaskCursor}, an unknown creation time as the epoch. */
    static TaskCursor key(TaskStatus status) {
        Instant created = status.createdTime() != null ? status.createdTime() : Instant.EPOCH;
        return new TaskCursor(status.sequenceNumber(), created, status.id());
    }

    /** The query's order on keys. */
    static Comparator<TaskCursor> order(TaskQuery query) {
        Comparator<TaskCursor> byCreated = Comparator.comparing(TaskCursor::createdTime)
                .thenComparing(TaskCursor::id, TaskCursor::compareIds);
        Comparator<TaskCursor> order = query.order() == TaskQuery.Order.CREATED ? byCreated
                : Comparator.comparingLong(TaskCursor::sequenceNumber).thenComparing(byCreated);
        return query.descending() ? order.reversed() : order;
    }
}
