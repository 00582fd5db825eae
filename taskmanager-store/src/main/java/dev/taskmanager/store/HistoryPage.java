package dev.taskmanager.store;

import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskPage;
import java.util.List;

/**
 * One page of a {@link HistoryStore#query} answer.
 *
 * @param tasks the stored tasks that match, in the query's order, at most its limit
 * @param next  where the next page starts (the ordering key of the last task), or {@code null} when
 *              no more stored task matched when the page was read
 */
public record HistoryPage(List<StoredTask> tasks, TaskCursor next) {

    /** Copies the list so the page stays immutable. */
    public HistoryPage {
        tasks = List.copyOf(tasks);
    }

    /** Whether more matching tasks may follow this page. */
    public boolean hasNext() {
        return next != null;
    }

    /** The page as the core's listing summaries, to merge with a page of live tasks of the same query. */
    public TaskPage toTaskPage() {
        return new TaskPage(tasks.stream().map(t -> t.status().toStats()).toList(), next);
    }
}
