package dev.taskmanager.server;

import java.util.UUID;

/**
 * One event of the stream, as the shared log holds it: rendered once into its wire frame
 * ({@code id:}, {@code event:}, {@code data:}, blank line), which every client that wants it writes
 * as is, plus what filters look at. Immutable.
 */
final class Event {
    static final UUID[] NO_ANCESTORS = new UUID[0];

    /** The event number: per server, strictly increasing. */
    final long id;
    final EventType type;
    /** The task, or {@code null} for a {@link EventType#RESET}. */
    final UUID taskId;
    /** The task's module, or {@code null} for a reset. */
    final String module;
    /** The ids of the task's ancestors (any order), for the {@code task} filter. */
    final UUID[] ancestors;
    /** The {@link dev.taskmanager.TaskQuery.State}s the task was in, one bit each by ordinal. */
    final int states;
    /** The bytes every client writes. */
    final byte[] frame;

    Event(long id, EventType type, UUID taskId, String module, UUID[] ancestors, int states, byte[] frame) {
        this.id = id;
        this.type = type;
        this.taskId = taskId;
        this.module = module;
        this.ancestors = ancestors;
        this.states = states;
        this.frame = frame;
    }

    /** Whether the task is {@code root} or one of its descendants. */
    boolean inSubtreeOf(UUID root) {
        if (root.equals(taskId)) {
            return true;
        }
        for (UUID ancestor : ancestors) {
            if (root.equals(ancestor)) {
                return true;
            }
        }
        return false;
    }
}
