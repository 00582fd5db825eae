package dev.taskmanager;

/**
 * A point-in-time progress reading: {@code completed} out of {@code total}, counted in the task's
 * progress units. Both are finite and non-negative (SPEC §8.3); a total of 0 means "unknown".
 *
 * @param completed how much work is done
 * @param total     how much work there is, or 0 when unknown
 */
public record TaskProgress(double completed, double total) {
    /** No progress known: {@code 0/0}. */
    public static final TaskProgress NONE = new TaskProgress(0, 0);

    /** Rejects NaN, infinite and negative figures, so that no output ever shows them. */
    public TaskProgress {
        requireFiniteNonNegative("completed", completed);
        requireFiniteNonNegative("total", total);
    }

    /** Adds two readings, as a parent sums its children. */
    public TaskProgress plus(TaskProgress other) {
        return new TaskProgress(completed + other.completed, total + other.total);
    }

    static double requireFiniteNonNegative(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(name + " must be finite and non-negative, got " + value);
        }
        return value;
    }
}
