package dev.taskmanager;

import java.util.List;

/**
 * One page of a {@link TaskQuery}'s answer.
 *
 * @param tasks the matching tasks in the query's order, at most the query's limit
 * @param next  where the next page starts, or {@code null} when this page reached the end of the
 *              matching tasks (as they were when the page was read)
 */
public record TaskPage(List<TaskStats> tasks, TaskCursor next) {

    /** Copies the list so the page stays immutable. */
    public TaskPage {
        tasks = List.copyOf(tasks);
    }

    /** Whether more matching tasks may follow this page. */
    public boolean hasNext() {
        return next != null;
    }
}
