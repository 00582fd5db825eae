package dev.taskmanager;

/**
 * The work of a managed task. Returning normally makes the task {@code done} (or {@code failed} if an
 * abort was requested meanwhile); throwing makes it {@code failed} with the exception rendered as
 * its error.
 */
@FunctionalInterface
public interface TaskBody {
    /** Does the work, reporting progress and checking for abort through {@code context}. */
    void run(TaskContext context) throws Exception;
}
