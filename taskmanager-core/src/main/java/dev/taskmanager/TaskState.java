package dev.taskmanager;

import java.util.Locale;

/**
 * The lifecycle state of a task (SPEC §2).
 *
 * <p>Legal transitions: {@code CREATED -> RUNNING -> DONE | FAILED}, and {@code CREATED -> FAILED}
 * for a task aborted before it started (it fails at start without running). Terminal states never
 * change again. {@code SUSPENDED} is reserved: no task enters it yet, but it serialises.
 */
public enum TaskState {
    /** Registered and visible, not started yet. Not subject to TTL. */
    CREATED,
    /** Started; {@code start_time} is set. */
    RUNNING,
    /** Finished successfully. Terminal. */
    DONE,
    /** Finished with an error (including an abort). Terminal. */
    FAILED,
    /** Reserved for tasks that are paused; unused by the engine today. */
    SUSPENDED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** Whether the task has completed, successfully or not; a terminal state never changes. */
    public boolean isTerminal() {
        return this == DONE || this == FAILED;
    }

    /** The lowercase name used on the wire ({@code "running"}, {@code "done"}, ...). */
    public String wireName() {
        return wireName;
    }
}
