package dev.taskmanager.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.taskmanager.Task;
import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskPage;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The v2 API under {@code /v2} (issue 9, {@code docs/api-v2.md}): tasks as uniform resources in the
 * style of Google's AIP-151 long-running operations. Every task in every answer is written by
 * {@link TaskJson}; every error is an RFC 9457 problem ({@link Problems}); a wrong method is a 405
 * with {@code Allow}; an unknown query parameter or body field is a 400 naming it.
 *
 * <p>Each action parses its input into typed values, calls the core (through {@link TaskList},
 * which adds the other {@link TaskSource}s) and renders. Nothing is held between requests but the
 * page-token key; waits hold no thread ({@link Waiters}).
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
    /** How many matches a bulk abort holds at once: one page of the core's cursor. */
    static final int ABORT_PAGE = 1000;

    private static final List<String> STATES = List.of("created", "running", "done", "failed", "aborted");

    private final ApiContext context;
    private final Waiters waiters;
    private final TaskList list;
    private final PageTokens tokens;

    /** The most descendants {@code ?view=tree} answers for a task read from a source (a history store). */
    static final int MAX_SOURCE_DESCENDANTS = 10_000;

    V2Routes(ApiContext context, Waiters waiters, List<TaskSource> sources, PageTokens tokens) {
        this.context = context;
        this.waiters = waiters;
        this.list = new TaskList(context.taskManager(), sources);
        this.tokens = tokens;
    }

    void addTo(Router router) {
        add(router, "GET", "/tasks", true, false, this::listTasks);
        add(router, "GET", "/tasks/{task_id}", false, false, this::getTask);
        add(router, "POST", "/tasks/{task_id}:abort", false, true, this::abortTask);
        add(router, "POST", "/tasks:abort", true, true, this::abortTasks);
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

    /** The node that owns an entry: the one its source named, else this server. */
    private String node(TaskList.Entry entry) {
        return entry.node() != null ? entry.node() : node();
    }

    // ---------------------------------------------------------------- GET /v2/tasks

    /**
     * One page of the matching tasks: {@code {"tasks": [...], "next_page_token": "...",
     * "total_size": N}}, streamed as it is rendered. The total is counted on the first page and
     * carried by the token.
     */
    private void listTasks(Exchange ex) throws IOException {
        ListRequest request = ListRequest.forList(QueryParams.parse(ex.request.getHttpURI().getQuery()), tokens);
        TaskQuery query = request.query();
        long total = request.position() != null ? request.position().totalSize()
                : list.count(query.withCursor(null), request.cluster());
        TaskList.Page page = list.page(query, request.cluster());
        String next = page.next() == null ? "" : tokens.encode(new PageTokens.Position(page.next().sequenceNumber(),
                page.next().createdTime(), page.next().id(), total), request.canonical());
        ex.streamJson(context.renders(), g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("tasks");
            for (TaskList.Entry entry : page.tasks()) {
                TaskJson.write(g, entry.status(), node(entry), entry.source());
            }
            g.writeEndArray();
            g.writeStringField("next_page_token", next);
            g.writeNumberField("total_size", total);
            g.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- GET /v2/tasks/{id}

    /** One task; with {@code view=tree}, its descendants too, breadth-first, streamed. */
    private void getTask(Exchange ex) {
        QueryParams params = ex.v2Params(Set.of("view"));
        String view = params.get("view").orElse("task");
        if (!view.equals("task") && !view.equals("tree")) {
            throw Params.invalid("view", view, "expected task (the default) or tree");
        }
        UUID id = taskId(ex);
        Optional<Task> live = tm().find(id);
        if (view.equals("tree") && live.isPresent()) {
            // a tree may be large: streamed from a pool thread, with a render permit past one chunk
            Task task = live.get();
            try {
                ex.request.getComponents().getExecutor().execute(() -> ApiHandler.run(e -> writeTree(e, task), ex));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                throw new ApiException(503, "the server is overloaded or stopping");
            }
            return;
        }
        TaskList.Entry entry = live.map(list::live).or(() -> list.find(id)).orElseThrow(() -> taskNotFound(id));
        ex.sendJson(g -> {
            g.writeStartObject();
            TaskJson.writeFields(g, entry.status(), node(entry), entry.source());
            if (view.equals("tree")) {
                g.writeArrayFieldStart("descendants"); // a task read from a source: the tree it kept, if any
                if (!entry.source().equals(TaskJson.LIVE)) {
                    for (TaskStatus descendant : list.descendants(id, entry.source(), MAX_SOURCE_DESCENDANTS)) {
                        TaskJson.write(g, descendant, node(entry), entry.source());
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    /**
     * The task with a {@code descendants} array: every task below it breadth-first, live children
     * before folded ones at each level, read lazily from the core as it is written.
     */
    private void writeTree(Exchange ex, Task task) throws IOException {
        try (Stream<TaskStatus> tree = task.statusTree()) {
            Iterator<TaskStatus> statuses = tree.iterator();
            TaskStatus root = statuses.next();
            ex.streamJson(context.renders(), g -> {
                g.writeStartObject();
                TaskJson.writeFields(g, root, node(), TaskJson.LIVE);
                g.writeArrayFieldStart("descendants");
                while (statuses.hasNext()) {
                    TaskJson.write(g, statuses.next(), node(), TaskJson.LIVE);
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        }
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
        Optional<Task> live = tm().find(id);
        if (live.isEmpty()) {
            Optional<TaskSource.Remote> remote = list.remote(id);
            if (remote.isPresent()) {
                abortRemote(ex, remote.get(), reason, requester);
                return;
            }
            TaskList.Entry ended = list.find(id).orElseThrow(() -> taskNotFound(id));
            throw finished(ended.status(), ended.source(), node(ended)); // only live tasks run
        }
        Task task = live.get();
        if (!task.isAbortable()) {
            throw new ApiException(403, "task with id " + id + " cannot be aborted").ofType(Problems.NOT_ABORTABLE);
        }
        if (task.state().isTerminal()) {
            throw finished(task.status(), TaskJson.LIVE);
        }
        task.abort(reason, requester);
        TaskStatus after = task.status();
        if (after.abortRequest() == null) {
            throw finished(after, TaskJson.LIVE); // it ended before the request reached it
        }
        ex.sendJson(g -> TaskJson.write(g, after, node(), TaskJson.LIVE));
    }

    private ApiException finished(TaskStatus status, String source) {
        return finished(status, source, node());
    }

    private ApiException finished(TaskStatus status, String source, String owner) {
        return new ApiException(409, "task with id " + status.id() + " already finished ("
                + TaskJson.state(status) + "); there is nothing to abort").ofType(Problems.TASK_FINISHED)
                .withMembers(g -> {
                    g.writeFieldName("task");
                    TaskJson.write(g, status, owner, source);
                });
    }

    /**
     * An abort of a task another node runs (a fleet): the request is recorded and delivered to that
     * node, which applies it; answers 202 Accepted with the task as last known here, since it has not
     * reached the task yet.
     */
    private void abortRemote(Exchange ex, TaskSource.Remote remote, String reason, String requester) {
        Task task = remote.task();
        String source = TaskJson.HISTORY;
        if (task.state().isTerminal()) {
            throw finished(task.status(), source, remote.node());
        }
        if (!task.isAbortable()) {
            throw new ApiException(403, "task with id " + task.id() + " cannot be aborted").ofType(Problems.NOT_ABORTABLE);
        }
        try {
            task.abort(reason, requester);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) { // the shared store could not record it: the client may retry
            throw new ApiException(503, "the abort of task " + task.id() + " could not be recorded for node "
                    + remote.node() + ": " + e.getMessage());
        }
        TaskStatus known = task.status();
        if (known.state().isTerminal() && known.abortRequest() == null) {
            throw finished(known, source, remote.node()); // it ended before the request was recorded
        }
        ex.send(202, Json.render(g -> TaskJson.write(g, known, remote.node(), source)));
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

    // ---------------------------------------------------------------- POST /v2/tasks:abort

    /**
     * Aborts every matching abortable task that has not ended, walking the matches one page of the
     * core's cursor at a time: {@code {"matched", "aborted", "not_abortable", "already_finished"}}.
     */
    private void abortTasks(Exchange ex) {
        ListRequest request = ListRequest.forAbort(QueryParams.parse(ex.request.getHttpURI().getQuery()), ABORT_PAGE);
        String reason = abortReason(ex);
        String requester = requester(ex);
        long aborted = 0;
        long notAbortable = 0;
        long finished = 0;
        TaskQuery query = request.query();
        while (true) {
            TaskPage page = tm().query(query);
            for (TaskStats stats : page.tasks()) {
                Optional<Task> found = tm().find(stats.id());
                if (found.isEmpty() || found.get().state().isTerminal()) {
                    finished++;
                } else if (!found.get().isAbortable()) {
                    notAbortable++;
                } else {
                    found.get().abort(reason, requester);
                    aborted++;
                }
            }
            TaskCursor next = page.next();
            if (next == null) {
                break;
            }
            query = query.withCursor(next);
        }
        long matched = aborted + notAbortable + finished;
        long abortedCount = aborted;
        long notAbortableCount = notAbortable;
        long finishedCount = finished;
        ex.sendJson(g -> {
            g.writeStartObject();
            g.writeNumberField("matched", matched);
            g.writeNumberField("aborted", abortedCount);
            g.writeNumberField("not_abortable", notAbortableCount);
            g.writeNumberField("already_finished", finishedCount);
            g.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- waits

    /** The task once it ends; 408 with its current state when {@code timeout} passes first. */
    private void waitTask(Exchange ex) {
        QueryParams params = ex.v2Params(Set.of("timeout"));
        UUID id = taskId(ex);
        long timeout = params.get("timeout").map(v -> QueryParams.parseDuration("timeout", v).toNanos())
                .orElse(Waiters.NO_TIMEOUT);
        Optional<Task> live = tm().find(id);
        String owner;
        String source;
        Task task;
        if (live.isPresent()) {
            task = live.get();
            owner = Optional.ofNullable(list.nodeOf(task)).orElse(node());
            source = TaskJson.LIVE;
        } else {
            Optional<TaskSource.Remote> remote = list.remote(id); // another node's task: its final state is announced
            if (remote.isEmpty() || remote.get().task().state().isTerminal()) {
                TaskList.Entry ended = list.find(id).orElseThrow(() -> taskNotFound(id));
                ex.sendJson(g -> TaskJson.write(g, ended.status(), node(ended), ended.source()));
                return;
            }
            task = remote.get().task();
            owner = remote.get().node();
            source = TaskJson.HISTORY;
        }
        waiters.await(ex, List.of(task), Map.of(), 1, timeout, new Waiters.WaitAnswer() {
            @Override
            public void completed(Exchange e, Map<UUID, TaskStatus> ended) {
                TaskStatus status = ended.get(id);
                e.sendJson(g -> TaskJson.write(g, status, owner, source));
            }

            @Override
            public void timedOut(Exchange e, Map<UUID, TaskStatus> ended) {
                TaskStatus current = task.status();
                throw waitTimedOut("task " + id + " did not finish within " + describe(timeout), g -> {
                    g.writeFieldName("task");
                    TaskJson.write(g, current, owner, source);
                });
            }
        });
    }

    /**
     * Many tasks: {@code {"ids": [...], "mode": "all"|"any", "timeout": "30s"}}. Answers
     * {@code {"tasks": [...]}} in the order of {@code ids} (duplicates once) when all, or any one, of
     * them ended: the ended ones final, the others as they are; 408 with the same {@code tasks} when
     * the timeout passes first. A task found only in a history store has ended.
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
        Map<UUID, Integer> unique = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            unique.putIfAbsent(Params.parseUuid("ids[" + i + "]", ids.get(i)), i);
        }
        List<Task> live = new ArrayList<>(unique.size());
        Map<UUID, TaskStatus> endedElsewhere = new HashMap<>();
        Map<UUID, String> sources = new HashMap<>();
        Map<UUID, String> owners = new HashMap<>();
        for (Map.Entry<UUID, Integer> entry : unique.entrySet()) {
            UUID id = entry.getKey();
            Optional<Task> task = tm().find(id);
            if (task.isPresent()) {
                live.add(task.get());
                String owner = list.nodeOf(task.get());
                if (owner != null) {
                    owners.put(id, owner);
                }
                continue;
            }
            Optional<TaskSource.Remote> remote = list.remote(id);
            if (remote.isPresent() && !remote.get().task().state().isTerminal()) {
                live.add(remote.get().task()); // another node's: waited for like a live one
                sources.put(id, TaskJson.HISTORY);
                owners.put(id, remote.get().node());
                continue;
            }
            TaskList.Entry found = list.find(id).orElseThrow(() -> taskNotFound(id)
                    .about("ids[" + entry.getValue() + "]", id.toString()));
            endedElsewhere.put(id, found.status());
            sources.put(id, found.source());
            if (found.node() != null) {
                owners.put(id, found.node());
            }
        }
        Map<UUID, Task> byId = new HashMap<>();
        live.forEach(task -> byId.put(task.id(), task));
        List<UUID> order = new ArrayList<>(unique.keySet());
        waiters.await(ex, live, endedElsewhere, any ? 1 : order.size(), timeout, new Waiters.WaitAnswer() {
            @Override
            public void completed(Exchange e, Map<UUID, TaskStatus> ended) {
                List<TaskStatus> statuses = statuses(order, byId, ended);
                e.sendJson(g -> {
                    g.writeStartObject();
                    writeStatuses(g, statuses, sources, owners);
                    g.writeEndObject();
                });
            }

            @Override
            public void timedOut(Exchange e, Map<UUID, TaskStatus> ended) {
                List<TaskStatus> statuses = statuses(order, byId, ended);
                throw waitTimedOut((any ? "none" : "not all") + " of the " + order.size() + " tasks finished within "
                        + describe(timeout), g -> writeStatuses(g, statuses, sources, owners));
            }
        });
    }

    private void writeStatuses(JsonGenerator g, List<TaskStatus> statuses, Map<UUID, String> sources,
                               Map<UUID, String> owners) throws IOException {
        g.writeArrayFieldStart("tasks");
        for (TaskStatus status : statuses) {
            TaskJson.write(g, status, owners.getOrDefault(status.id(), node()),
                    sources.getOrDefault(status.id(), TaskJson.LIVE));
        }
        g.writeEndArray();
    }

    /** Each task's final status if it ended, else its current one; in the order asked. */
    private static List<TaskStatus> statuses(List<UUID> order, Map<UUID, Task> live, Map<UUID, TaskStatus> ended) {
        List<TaskStatus> statuses = new ArrayList<>(order.size());
        for (UUID id : order) {
            TaskStatus last = ended.get(id);
            statuses.add(last != null ? last : live.get(id).status());
        }
        return statuses;
    }

    private static ApiException waitTimedOut(String detail, Json.Writer members) {
        return new ApiException(408, detail).ofType(Problems.WAIT_TIMEOUT).withMembers(members);
    }

    private static String describe(long timeoutNanos) {
        return Duration.ofNanos(timeoutNanos).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- GET /v2/modules

    /**
     * Every module with its tasks counted by state, in one pass over each module's tasks:
     * {@code {"modules": [{"name": ..., "node": ..., "total": N, "states": {"created": N, ...}}]}}.
     * Internal tasks are counted only with {@code internal=true}, as lists show them.
     */
    private void modules(Exchange ex) {
        QueryParams params = ex.v2Params(Set.of("internal"));
        boolean internal = params.bool("internal").orElse(false);
        List<String> found = new ArrayList<>();
        List<Map<String, Long>> counts = new ArrayList<>();
        for (String name : tm().moduleNames()) {
            Optional<TaskModule> module = tm().findModule(name);
            if (module.isEmpty()) {
                continue; // removed meanwhile
            }
            Map<String, Long> byState = new LinkedHashMap<>();
            STATES.forEach(state -> byState.put(state, 0L));
            try (Stream<TaskStats> tasks = module.get().tasks(dev.taskmanager.TaskFilter.DEFAULT.withInternal(internal))) {
                tasks.forEach(stats -> byState.merge(stats.aborted() ? "aborted" : stats.state().wireName(), 1L,
                        Long::sum));
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
                g.writeNumberField("total", counts.get(i).values().stream().mapToLong(Long::longValue).sum());
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

    // ---------------------------------------------------------------- shared

    private static UUID taskId(Exchange ex) {
        return ex.taskIdParam();
    }

    private static ApiException taskNotFound(UUID id) {
        return new ApiException(404, "task with id " + id + " not found").ofType(Problems.TASK_NOT_FOUND)
                .about("task_id", id.toString());
    }
}
