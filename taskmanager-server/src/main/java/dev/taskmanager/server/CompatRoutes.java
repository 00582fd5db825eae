package dev.taskmanager.server;

import dev.taskmanager.Task;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The ScyllaDB-compatible endpoints of SPEC §12.1. Each action parses its parameters into typed
 * values, calls the core once and renders the answer; errors are thrown as {@link ApiException}.
 */
final class CompatRoutes {
    static final String PREFIX = "/task_manager";

    private final ApiContext context;
    private final Waiters waiters;
    /** The other sources of tasks, which know where a cluster task's children live (a fleet). */
    private final TaskList list;

    CompatRoutes(ApiContext context, Waiters waiters, java.util.List<TaskSource> sources) {
        this.context = context;
        this.waiters = waiters;
        this.list = new TaskList(context.taskManager(), sources);
    }

    void addTo(Router router) {
        router.add("GET", PREFIX + "/list_modules", false, this::listModules);
        router.add("GET", PREFIX + "/list_module_tasks/{module}", true, this::listModuleTasks);
        router.add("GET", PREFIX + "/task_status/{task_id}", false, this::taskStatus);
        router.add("POST", PREFIX + "/abort_task/{task_id}", false, this::abortTask);
        router.add("GET", PREFIX + "/wait_task/{task_id}", false, this::waitTask);
        router.add("GET", PREFIX + "/task_status_recursive/{task_id}", true, this::taskStatusRecursive);
        router.add("GET", PREFIX + "/ttl", false, ex -> ex.sendJson(g -> g.writeNumber(seconds(tm().taskTtl()))));
        router.add("POST", PREFIX + "/ttl", false, ex -> setTtl(ex, "ttl", false));
        router.add("GET", PREFIX + "/user_ttl", false,
                ex -> ex.sendJson(g -> g.writeNumber(seconds(tm().userTaskTtl()))));
        router.add("POST", PREFIX + "/user_ttl", false, ex -> setTtl(ex, "user_ttl", true));
        router.add("POST", PREFIX + "/drain/{module}", false, this::drain);
    }

    private TaskManager tm() {
        return context.taskManager();
    }

    private void listModules(Exchange ex) {
        List<String> names = tm().moduleNames();
        ex.sendJson(g -> {
            g.writeStartArray();
            for (String name : names) {
                g.writeString(name);
            }
            g.writeEndArray();
        });
    }

    /**
     * Streams the listing: each task is rendered as the core's lazy stream reaches it. The stream is
     * consumed with {@code forEach}, which pushes one task at a time through the pipeline; its
     * {@code iterator()} would first buffer a whole shard on JDK 17 (JDK-8196106, issue 11).
     */
    private void listModuleTasks(Exchange ex) throws IOException {
        TaskModule module = module(ex.pathParam("module"));
        Params params = ex.params();
        TaskFilter filter = TaskFilter.DEFAULT
                .withInternal(params.bool("internal").orElse(false))
                .withKeyspace(params.get("keyspace").orElse(""))
                .withTable(params.get("table").orElse(""));
        try (Stream<TaskStats> tasks = module.tasks(filter)) {
            ex.streamJson(context.renders(), g -> {
                g.writeStartArray();
                forEach(tasks, stats -> Json.writeStats(g, stats));
                g.writeEndArray();
            });
        }
    }

    private void taskStatus(Exchange ex) {
        UUID id = ex.taskIdParam();
        TaskStatus status = tm().status(id).orElseThrow(() -> ApiException.taskNotFound(id));
        ex.sendJson(g -> Json.writeStatus(g, status, context.nodeAddress(), childNodes(status)));
    }

    /**
     * Streams the task and its descendants as the core's lazy breadth-first traversal builds them:
     * only the traversal's frontier is held, never the whole tree's statuses (issue 11: a root with
     * 100,000 children was a 47.7 MB body held per slow reader).
     */
    private void taskStatusRecursive(Exchange ex) throws IOException {
        UUID id = ex.taskIdParam();
        try (Stream<TaskStatus> statuses = tm().statusTree(id).orElseThrow(() -> ApiException.taskNotFound(id))) {
            ex.streamJson(context.renders(), g -> {
                g.writeStartArray();
                java.util.concurrent.atomic.AtomicReference<java.util.function.Function<UUID, String>> nodes =
                        new java.util.concurrent.atomic.AtomicReference<>();
                forEach(statuses, status -> {
                    if (nodes.get() == null) { // the root decides: a cluster task's tree spans nodes
                        nodes.set(status.kind() == dev.taskmanager.TaskKind.CLUSTER ? list::ownerOf : child -> null);
                    }
                    Json.writeStatus(g, status, context.nodeAddress(), nodes.get());
                });
                g.writeEndArray();
            });
        }
    }

    /**
     * Where the children of a status live: this node's, except for a cluster task (SPEC §11), whose
     * children the other sources may place on other nodes (one lookup per child).
     */
    private java.util.function.Function<UUID, String> childNodes(TaskStatus status) {
        return status.kind() == dev.taskmanager.TaskKind.CLUSTER && !status.children().isEmpty() ? list::ownerOf : null;
    }

    private void abortTask(Exchange ex) {
        UUID id = ex.taskIdParam();
        Task task = tm().find(id).orElseThrow(() -> ApiException.taskNotFound(id));
        if (!task.isAbortable()) {
            throw new ApiException(403, "task with id " + id + " cannot be aborted");
        }
        task.abort();
        ex.sendEmpty();
    }

    private void waitTask(Exchange ex) {
        UUID id = ex.taskIdParam();
        OptionalLong timeout = ex.params().wholeNumber("timeout", 0, Params.MAX_SECONDS);
        Task task = tm().find(id).orElseThrow(() -> ApiException.taskNotFound(id));
        waiters.await(ex, task, timeout);
    }

    private void setTtl(Exchange ex, String name, boolean user) {
        long seconds = Params.parseWholeNumber(name, ex.params().require(name), 0, Params.MAX_SECONDS);
        Duration ttl = Duration.ofSeconds(seconds);
        Duration previous = user ? tm().setUserTaskTtl(ttl) : tm().setTaskTtl(ttl);
        ex.sendJson(g -> g.writeNumber(seconds(previous)));
    }

    private void drain(Exchange ex) {
        module(ex.pathParam("module")).drain();
        ex.sendEmpty();
    }

    private TaskModule module(String name) {
        return tm().findModule(name).orElseThrow(() -> ApiException.moduleNotFound(name));
    }

    /** Something that writes one element of a streamed answer. */
    @FunctionalInterface
    private interface ElementWriter<T> {
        void write(T element) throws IOException;
    }

    /** Writes every element as the stream pushes it; I/O failures leave as themselves. */
    private static <T> void forEach(Stream<T> elements, ElementWriter<T> writer) throws IOException {
        try {
            elements.forEach(element -> {
                try {
                    writer.write(element);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** TTLs are whole seconds on the wire; a sub-second TTL set through the library rounds down. */
    private static long seconds(Duration duration) {
        return duration.getSeconds();
    }
}
