package dev.taskmanager.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The types of event {@code GET /v2/events} sends ({@code docs/events.md}): one per kind of change
 * the core's {@link dev.taskmanager.TaskListener} reports, plus the control event {@link #RESET}.
 * Each type has a bit, so that a filter's set of types is an {@code int}.
 */
enum EventType {
    /** A task was registered. */
    CREATED("created"),
    /** A task started running. */
    STARTED("started"),
    /** A task's progress (or its subtree's, which its progress and {@code updated_time} include) changed; coalesced. */
    PROGRESS("progress"),
    /** A task ended: {@code done}, {@code failed} or {@code aborted}, as its {@code state} says. */
    FINISHED("finished"),
    /** A task was asked to abort. */
    ABORT_REQUESTED("abort_requested"),
    /** A running task made no progress for its stall threshold. */
    STALLED("stalled"),
    /** A stalled task made progress again. */
    RECOVERED("recovered"),
    /** A task left the registry; {@code data} is its last state, so a client can drop it by id. */
    UNREGISTERED("unregistered"),
    /** Control: discard what you have and re-list; never filtered out. */
    RESET("reset");

    /** Every type but {@link #RESET}: the types a filter may name. */
    static final List<EventType> TASK_TYPES;
    /** The bits of {@link #TASK_TYPES}. */
    static final int ALL_TASK_TYPES;

    static {
        List<EventType> types = new ArrayList<>();
        int bits = 0;
        for (EventType type : values()) {
            if (type != RESET) {
                types.add(type);
                bits |= type.bit;
            }
        }
        TASK_TYPES = List.copyOf(types);
        ALL_TASK_TYPES = bits;
    }

    final String wireName;
    final int bit = 1 << ordinal();

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The task event type with this wire name (exactly), or {@code null}; never {@link #RESET}. */
    static EventType taskType(String wireName) {
        for (EventType type : TASK_TYPES) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        return null;
    }
}
