package dev.taskmanager;

/**
 * The work of a managed task that produces a value: like {@link TaskBody}, but what it returns
 * becomes the task's result ({@link ResultTask#result()}). Returning makes the task {@code done}
 * (or {@code failed} if an abort was requested meanwhile); throwing makes it {@code failed}.
 *
 * @param <T> the type of the result; {@code null} is an allowed result
 */
@FunctionalInterface
public interface TaskFunction<T> {
    /** Does the work and returns its result, reporting progress and checking for abort through {@code context}. */
    T call(TaskContext context) throws Exception;
}
