package dev.taskmanager.server;

import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStatus;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What one client of {@code GET /v2/events} asked to receive, from the query parameters spelled and
 * checked as {@code GET /v2/tasks} checks them: {@code module} (an unknown module matches nothing),
 * {@code task} (the task and its whole subtree, children created later included; an unknown id
 * matches nothing), {@code types} (comma-separated event types) and {@code state} (repeatable or
 * comma-separated v2 states: events of tasks in one of them). Filters left out match everything; a
 * {@code reset} is always delivered. Immutable.
 */
final class EventFilter {
    /** The query parameters the stream takes. */
    static final Set<String> PARAMETERS = Set.of("module", "task", "types", "state", "last_event_id");
    /** Those that may be repeated. */
    static final Set<String> REPEATABLE = Set.of("state");

    private static final String TYPE_NAMES = "created, started, progress, finished, abort_requested, stalled, "
            + "recovered, unregistered";

    private final String module;
    private final UUID task;
    private final int types;
    private final int states;

    private EventFilter(String module, UUID task, int types, int states) {
        this.module = module;
        this.task = task;
        this.types = types;
        this.states = states;
    }

    /**
     * The filter of a request whose parameters were already checked against {@link #PARAMETERS}.
     *
     * @throws ApiException 400 naming the parameter and the value
     */
    static EventFilter parse(QueryParams params) {
        String module = params.nonEmpty("module").orElse(null);
        UUID task = params.uuid("task").orElse(null);
        int types = EventType.ALL_TASK_TYPES;
        Optional<String> typeList = params.nonEmpty("types");
        if (typeList.isPresent()) {
            types = 0;
            for (String name : typeList.get().split(",", -1)) {
                EventType type = EventType.taskType(name.trim());
                if (type == null) {
                    throw Params.invalid("types", typeList.get(), "expected one or more of " + TYPE_NAMES
                            + ", separated by ',' (reset is always sent)");
                }
                types |= type.bit;
            }
        }
        int states = 0;
        for (TaskQuery.State state : ListRequest.states(params)) {
            states |= bit(state);
        }
        return new EventFilter(module, task, types, states);
    }

    /** Whether the client receives this event. */
    boolean matches(Event event) {
        if (event.type == EventType.RESET) {
            return true;
        }
        return (types & event.type.bit) != 0
                && (states == 0 || (states & event.states) != 0)
                && (module == null || module.equals(event.module))
                && (task == null || event.inSubtreeOf(task));
    }

    /**
     * The states of the {@code state} filter that {@code task} is in, one bit per
     * {@link TaskQuery.State} as {@code GET /v2/tasks?state=} reads them: a running task is also
     * {@code stalled} when stalled, a task not ended also {@code abort_requested} when asked to
     * abort, and a failed task is {@code aborted} instead when it ended because of an abort.
     */
    static int states(TaskStatus task) {
        TaskState state = task.state();
        int bits;
        switch (state) {
            case CREATED:
                bits = bit(TaskQuery.State.CREATED);
                break;
            case RUNNING:
                bits = bit(TaskQuery.State.RUNNING) | (task.stalled() ? bit(TaskQuery.State.STALLED) : 0);
                break;
            case DONE:
                bits = bit(TaskQuery.State.DONE);
                break;
            case FAILED:
                bits = bit(task.aborted() ? TaskQuery.State.ABORTED : TaskQuery.State.FAILED);
                break;
            default: // suspended: reserved, never produced
                bits = 0;
        }
        if (task.abortRequested()) {
            bits |= bit(TaskQuery.State.ABORT_REQUESTED);
        }
        return bits;
    }

    private static int bit(TaskQuery.State state) {
        return 1 << state.ordinal();
    }
}
