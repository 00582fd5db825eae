package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.taskmanager.Task;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The v2 API under {@code /v2} (issue 9, {@code docs/api-v2.md}): tasks as uniform resources in the
 * style of Google's AIP-151 long-running operations. Every task in every answer is written by
 * {@link TaskJson}; every error is an RFC 9457 problem ({@link Problems}); a wrong method is a 405
 * with {@code Allow}; an unknown query parameter or body field is a 400 naming it.
 *
 * <p>Each action parses its input into typed values, calls the core and renders; it holds no state
 * of its own beyond the page-token key. Waits hold no thread ({@link Waiters}).
 */
final class V2Routes {
    static final String PREFIX = "/v2";
    /** The most ids one {@code tasks:wait} takes. */
    static final int MAX_WAIT_IDS = 1000;
    /** The longest abort reason, in characters. */
    static final int MAX_REASON_LENGTH = 1000;
    /** The longest requester ({@code X-Request-Id}), in characters. */
    static final int MAX_REQUESTER_LENGTH = 200;
    static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final ApiContext context;
    private final Waiters waiters;

    V2Routes(ApiContext context, Waiters waiters) {
        this.context = context;
        this.waiters = waiters;
    }

    void addTo(Router router) {
        add(router, "GET", "/tasks/{task_id}", false, false, this::getTask);
        add(router, "POST", "/tasks/{task_id}:abort", false, true, this::abortTask);
        add(router, "GET", "/tasks/{task_id}:wait", false, false, this::waitTask);
        add(router, "POST", "/tasks:wait", false, true, this::waitTasks);
        add(router, "GET", "/modules", true, false, this::modules);
    }

    private static void add(Router router, String method, String path, boolean blocking, boolean readsBody,
                            Router.Action action) {
        router.add(new Router.Route(method, PREFIX + path, blocking, Router.ErrorStyle.PROBLEM, readsBody, action));
    }

    private TaskManager tm() {
        return context.taskManager();
    }

    private String node() {
        return context.nodeAddress();
    }

    // ---------------------------------------------------------------- GET /v2/tasks/{id}

    /** One task; with {@code view=tree}, its descendants too, breadth-first, streamed. */
    private void getTask(Exchange ex) throws IOException {
        QueryParams params = ex.v2Params(Set.of("view"));
        String view = params.get("view").orElse("task");
        UUID id = taskId(ex);
        Task task = find(id);
        switch (view) {
            case "task":
                TaskStatus status = task.status();
                ex.sendJson(g -> TaskJson.write(g, status, node(), TaskJson.LIVE));
                return;
            case "tree":
                // a tree may be large: streamed from a pool thread, with a render permit past one chunk
                ex.request.getComponents().getExecutor().execute(() -> ApiHandler.run(e -> writeTree(e, task), ex));
                return;
            default:
                throw Params.invalid("view", view, "expected task (the default) or tree");
        }
    }

    /**
     * The task with a {@code descendants} array: every task below it breadth-first, live children
     * before folded ones at each level, each with its {@code parent_id}.
     */
    private void writeTree(Exchange ex, Task task) throws IOException {
        List<TaskStatus> statuses = task.statusRecursive();
        ex.streamJson(context.renders(), g -> {
            g.writeStartObject();
            TaskJson.writeFields(g, statuses.get(0), node(), TaskJson.LIVE);
            g.writeArrayFieldStart("descendants");
            for (int i = 1; i < statuses.size(); i++) {
                TaskJson.write(g, statuses.get(i), node(), TaskJson.LIVE);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- POST /v2/tasks/{id}:abort

    /**
     * Asks a task to abort, with the reason of the body and the requester of {@code X-Request-Id};
     * answers the task as it is right after the request.
     */
    private void abortTask(Exchange ex) {
        ex.v2Params(Set.of());
        UUID id = taskId(ex);
        String reason = abortReason(ex);
        String requester = requester(ex);
        Task task = find(id);
        if (!task.isAbortable()) {
            throw new ApiException(403, "task with id " + id + " cannot be aborted").ofType(Problems.NOT_ABORTABLE);
        }
        if (task.state().isTerminal()) {
            throw finished(task.status());
        }
        task.abort(reason);
        TaskStatus after = task.status();
        if (after.state().isTerminal() && !task.isAbortRequested()) {
            throw finished(after); // it ended before the request reached it
        }
        ex.sendJson(g -> TaskJson.write(g, after, node(), TaskJson.LIVE));
    }

    private ApiException finished(TaskStatus status) {
        return new ApiException(409, "task with id " + status.id() + " already finished ("
                + TaskJson.state(status) + "); there is nothing to abort").ofType(Problems.TASK_FINISHED)
                .withMembers(g -> {
                    g.writeFieldName("task");
                    TaskJson.write(g, status, node(), TaskJson.LIVE);
                });
    }

    /** The body's {@code reason}, or {@code null}. */
    private static String abortReason(Exchange ex) {
        String[] reason = new String[1];
        JsonBody.readObject(ex.body(), Map.of("reason", body -> reason[0] = body.string(MAX_REASON_LENGTH)));
        return reason[0];
    }

    /** Who asks: the {@code X-Request-Id} header, or {@code null}. */
    static String requester(Exchange ex) {
        List<String> values = ex.request.getHeaders().getValuesList(REQUEST_ID_HEADER);
        if (values.isEmpty()) {
            return null;
        }
        String value = values.get(0);
        String reason = values.size() > 1 ? "given more than once"
                : value.length() > MAX_REQUESTER_LENGTH ? "longer than " + MAX_REQUESTER_LENGTH + " characters"
                : value.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? "holds a control character" : null;
        if (reason != null) {
            throw ApiException.badRequest("invalid value '" + Params.echo(value) + "' for header '" + REQUEST_ID_HEADER
                    + "': " + reason).about(REQUEST_ID_HEADER, Params.echo(value));
        }
        return value.trim().isEmpty() ? null : value.trim();
    }

    // ---------------------------------------------------------------- waits

    /** The task once it ends; 408 with its current state when {@code timeout} passes first. */
    private void waitTask(Exchange ex) {
        QueryParams params = ex.v2Params(Set.of("timeout"));
        UUID id = taskId(ex);
        long timeout = params.get("timeout").map(v -> QueryParams.parseDuration("timeout", v).toNanos())
                .orElse(Waiters.NO_TIMEOUT);
        Task task = find(id);
        waiters.await(ex, List.of(task), 1, timeout, new Waiters.WaitAnswer() {
            @Override
            public void completed(Exchange e, Map<UUID, TaskStatus> ended) {
                TaskStatus status = ended.get(id);
                e.sendJson(g -> TaskJson.write(g, status, node(), TaskJson.LIVE));
            }

            @Override
            public void timedOut(Exchange e, Map<UUID, TaskStatus> ended) {
                TaskStatus current = task.status();
                throw waitTimedOut("task " + id + " did not finish within " + describe(timeout), g -> {
                    g.writeFieldName("task");
                    TaskJson.write(g, current, node(), TaskJson.LIVE);
                });
            }
        });
    }

    /**
     * Many tasks: {@code {"ids": [...], "mode": "all"|"any", "timeout": "30s"}}. Answers
     * {@code {"tasks": [...]}} in the order of {@code ids} (duplicates once) when all, or any one, of
     * them ended: the ended ones final, the others as they are; 408 with the same {@code tasks} when
     * the timeout passes first.
     */
    private void waitTasks(Exchange ex) {
        ex.v2Params(Set.of());
        List<String> ids = new ArrayList<>();
        String[] mode = {"all"};
        String[] timeoutText = new String[1];
        Map<String, JsonBody.FieldReader> fields = new LinkedHashMap<>();
        fields.put("ids", body -> ids.addAll(body.strings(MAX_WAIT_IDS, 64)));
        fields.put("mode", body -> mode[0] = body.string(8));
        fields.put("timeout", body -> timeoutText[0] = body.scalarText(64));
        JsonBody.readObject(ex.body(), fields);
        if (ids.isEmpty()) {
            throw ApiException.badRequest("field 'ids' is required: the ids of the tasks to wait for, 1 to "
                    + MAX_WAIT_IDS).about("ids", null);
        }
        boolean any;
        if (mode[0] == null || mode[0].equals("all")) {
            any = false;
        } else if (mode[0].equals("any")) {
            any = true;
        } else {
            throw ApiException.badRequest("invalid value '" + Params.echo(mode[0]) + "' for field 'mode': expected all "
                    + "or any").about("mode", Params.echo(mode[0]));
        }
        long timeout = timeoutText[0] == null ? Waiters.NO_TIMEOUT
                : QueryParams.parseDuration("timeout", timeoutText[0]).toNanos();
        Set<UUID> unique = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            unique.add(Params.parseUuid("ids[" + i + "]", ids.get(i)));
        }
        List<Task> tasks = new ArrayList<>(unique.size());
        int index = 0;
        for (UUID id : unique) {
            int at = index++;
            tasks.add(tm().find(id).orElseThrow(() -> taskNotFound(id).about("ids[" + at + "]", id.toString())));
        }
        waiters.await(ex, tasks, any ? 1 : tasks.size(), timeout, new Waiters.WaitAnswer() {
            @Override
            public void completed(Exchange e, Map<UUID, TaskStatus> ended) {
                e.sendJson(g -> {
                    g.writeStartObject();
                    writeTasks(g, tasks, ended);
                    g.writeEndObject();
                });
            }

            @Override
            public void timedOut(Exchange e, Map<UUID, TaskStatus> ended) {
                List<TaskStatus> current = statuses(tasks, ended);
                throw waitTimedOut((any ? "none" : "not all") + " of the " + tasks.size() + " tasks finished within "
                        + describe(timeout), g -> writeStatuses(g, current));
            }
        });
    }

    private void writeTasks(JsonGenerator g, List<Task> tasks, Map<UUID, TaskStatus> ended) throws IOException {
        writeStatuses(g, statuses(tasks, ended));
    }

    private void writeStatuses(JsonGenerator g, List<TaskStatus> statuses) throws IOException {
        g.writeArrayFieldStart("tasks");
        for (TaskStatus status : statuses) {
            TaskJson.write(g, status, node(), TaskJson.LIVE);
        }
        g.writeEndArray();
    }

    /** Each task's final status if it ended, else its current one; in the order of {@code tasks}. */
    private static List<TaskStatus> statuses(List<Task> tasks, Map<UUID, TaskStatus> ended) {
        List<TaskStatus> statuses = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            TaskStatus last = ended.get(task.id());
            statuses.add(last != null ? last : task.status());
        }
        return statuses;
    }

    private static ApiException waitTimedOut(String detail, Json.Writer members) {
        return new ApiException(408, detail).ofType(Problems.WAIT_TIMEOUT).withMembers(members);
    }

    private static String describe(long timeoutNanos) {
        return Duration.ofNanos(timeoutNanos).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    // ---------------------------------------------------------------- GET /v2/modules

    /**
     * Every module with its tasks counted by state, in one pass over each module's tasks:
     * {@code {"modules": [{"name": ..., "node": ..., "total": N, "states": {"created": N, ...}}]}}.
     * Internal tasks are counted only with {@code internal=true}, as listings show them.
     */
    private void modules(Exchange ex) {
        QueryParams params = ex.v2Params(Set.of("internal"));
        boolean internal = params.bool("internal").orElse(false);
        List<String> names = tm().moduleNames();
        List<Map<String, Long>> counts = new ArrayList<>(names.size());
        List<String> found = new ArrayList<>(names.size());
        for (String name : names) {
            TaskModule module = tm().findModule(name).orElse(null);
            if (module == null) {
                continue; // removed meanwhile
            }
            Map<String, Long> byState = new LinkedHashMap<>();
            for (String state : STATES) {
                byState.put(state, 0L);
            }
            try (Stream<TaskStats> tasks = module.tasks(TaskFilter.DEFAULT.withInternal(internal))) {
                tasks.forEach(stats -> byState.merge(stats.state().wireName(), 1L, Long::sum));
            }
            found.add(name);
            counts.add(byState);
        }
        ex.sendJson(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("modules");
            for (int i = 0; i < found.size(); i++) {
                g.writeStartObject();
                g.writeStringField("name", found.get(i));
                g.writeStringField("node", node());
                long total = 0;
                for (long n : counts.get(i).values()) {
                    total += n;
                }
                g.writeNumberField("total", total);
                g.writeObjectFieldStart("states");
                for (Map.Entry<String, Long> entry : counts.get(i).entrySet()) {
                    g.writeNumberField(entry.getKey(), entry.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static final List<String> STATES = List.of("created", "running", "done", "failed", "aborted");

    // ---------------------------------------------------------------- shared

    private static UUID taskId(Exchange ex) {
        return ex.taskIdParam();
    }

    private Task find(UUID id) {
        return tm().find(id).orElseThrow(() -> taskNotFound(id));
    }

    private static ApiException taskNotFound(UUID id) {
        return new ApiException(404, "task with id " + id + " not found").ofType(Problems.TASK_NOT_FOUND)
                .about("task_id", id.toString());
    }
}
