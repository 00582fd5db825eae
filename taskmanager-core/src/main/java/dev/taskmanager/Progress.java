package dev.taskmanager;

/**
 * Where a task reports its own progress (SPEC §8). A task that never reports anything here gets its
 * progress from its children. All methods are thread-safe and reject NaN, infinite and negative
 * values with an {@link IllegalArgumentException}. A report made once the task has ended is ignored
 * (no progress event either): a finished task's own progress is final.
 */
public interface Progress {

    /** Adds {@code delta} to the completed amount; marks the task as reporting its own progress. */
    void add(double delta);

    /** Sets completed and total at once; marks the task as reporting its own progress. */
    void set(double completed, double total);

    /**
     * Declares how much work is expected, without marking the task as reporting its own progress:
     * a parent can declare a total while its children report the completed part.
     */
    void expectTotal(double total);
}
