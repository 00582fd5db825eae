package dev.taskmanager.server;

import dev.taskmanager.TaskBuilder;
import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.Task;
import dev.taskmanager.TrackedTask;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The test API of SPEC §13, under {@code /task_manager_test}: create, finish and remove tracked tasks
 * of module {@code test} by hand, so that clients can exercise the compat API over HTTP. Our
 * additions on the same switch: {@code abortable=true} on {@code POST test_task} (such a task fails
 * with the abort error as soon as it is aborted), and {@code POST test_task_progress/{task_id}} to
 * set a test task's progress.
 *
 * <p>Test tasks have type and scope {@code test}, no progress units of their own (a child takes its
 * parent's), and their "body" just waits to be finished. A non-abortable test task ignores an abort
 * that cascades to it, as in ScyllaDB: finishing it afterwards makes it fail with the abort error.
 *
 * <p>The handles of the test tasks it created are kept in a map until the core reports them
 * unregistered (folding, TTL, drain, module stop), so the map never outgrows the registry.
 */
final class TestApi {
    static final String PREFIX = "/task_manager_test";
    static final String MODULE = "test";

    /** How long {@code DELETE test_task} waits for completion and folding; both are synchronous, so this is a backstop. */
    private static final Duration COMPLETION_BOUND = Duration.ofSeconds(10);

    private final ApiContext context;
    private final Map<UUID, TrackedTask> tasks = new ConcurrentHashMap<>();
    private final TaskListener forgetUnregistered = new TaskListener() {
        @Override
        public void onUnregistered(Task task) {
            tasks.remove(task.id());
        }
    };

    TestApi(ApiContext context) {
        this.context = context;
    }

    void addTo(Router router) {
        router.add("POST", PREFIX + "/test_module", false, this::registerModule);
        router.add("DELETE", PREFIX + "/test_module", true, this::removeModule);
        router.add("POST", PREFIX + "/test_task", false, this::createTask);
        router.add("DELETE", PREFIX + "/test_task", true, this::deleteTask);
        router.add("POST", PREFIX + "/finish_test_task/{task_id}", false, this::finishTask);
        router.add("POST", PREFIX + "/test_task_progress/{task_id}", false, this::setProgress);
    }

    /** Starts tracking unregistrations; call when the API starts serving. */
    void start() {
        tm().addListener(forgetUnregistered);
    }

    /** Stops tracking; call when the API stops serving. */
    void stop() {
        tm().removeListener(forgetUnregistered);
        tasks.clear();
    }

    private TaskManager tm() {
        return context.taskManager();
    }

    private void registerModule(Exchange ex) {
        finishTasksOfStoppingModule();
        tm().registerModule(MODULE);
        ex.sendEmpty();
    }

    private void removeModule(Exchange ex) {
        TaskModule module = tm().findModule(MODULE).orElseThrow(() -> ApiException.moduleNotFound(MODULE));
        finishTasksOfStoppingModule();
        module.stop();
        ex.sendEmpty();
    }

    /**
     * Test tasks never finish on their own, so a module stop would wait its whole bound for them:
     * abort and complete them first (they end failed with the abort error, as the stop would make them).
     */
    void finishAll() {
        finishTasksOfStoppingModule();
    }

    private void finishTasksOfStoppingModule() {
        for (TrackedTask task : tasks.values()) {
            task.abort("module " + MODULE + " is stopping");
            task.complete();
        }
    }

    private void createTask(Exchange ex) {
        Params params = ex.params();
        Optional<UUID> id = params.uuid("task_id");
        long shard = params.wholeNumber("shard", 0, Integer.MAX_VALUE).orElse(0);
        Optional<UUID> parent = params.uuid("parent_id");
        boolean userTask = params.bool("user_task").orElse(false);
        boolean abortable = params.bool("abortable").orElse(false);
        TaskModule module = tm().findModule(MODULE).orElseThrow(() -> ApiException.moduleNotFound(MODULE));
        TaskBuilder builder = module.task("test").scope("test")
                .keyspace(params.get("keyspace").orElse(""))
                .table(params.get("table").orElse(""))
                .entity(params.get("entity").orElse(""))
                .shard((int) shard)
                .userTask(userTask)
                .abortable(abortable);
        id.ifPresent(builder::id);
        parent.ifPresent(builder::parent);
        TrackedTask task;
        try {
            task = builder.track();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // unknown parent, id in use, shard out of range, module stopping: the client's to fix
            throw ApiException.badRequest(e.getMessage());
        }
        tasks.put(task.id(), task);
        task.start();
        if (abortable) {
            task.onAbort(() -> task.fail("aborted"));
        }
        String newId = task.id().toString();
        ex.sendJson(g -> g.writeString(newId));
    }

    private void deleteTask(Exchange ex) throws InterruptedException {
        UUID id = Params.parseUuid("task_id", ex.params().require("task_id"));
        TrackedTask task = testTask(id);
        task.complete();
        try {
            task.done().get(COMPLETION_BOUND.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("test task " + id + " did not complete", e);
        }
        tm().unregister(id);
        tasks.remove(id);
        ex.sendEmpty();
    }

    private void finishTask(Exchange ex) {
        UUID id = ex.taskIdParam();
        Optional<String> error = ex.params().get("error");
        TrackedTask task = testTask(id);
        if (error.isPresent()) {
            task.fail(error.get());
        } else {
            task.complete();
        }
        ex.sendEmpty();
    }

    private void setProgress(Exchange ex) {
        UUID id = ex.taskIdParam();
        Params params = ex.params();
        double completed = Params.parseDecimal("completed", params.require("completed"));
        OptionalDouble total = params.decimal("total");
        TrackedTask task = testTask(id);
        task.progress().set(completed, total.orElse(0));
        ex.sendEmpty();
    }

    private TrackedTask testTask(UUID id) {
        TrackedTask task = tasks.get(id);
        if (task == null) {
            throw ApiException.taskNotFound(id);
        }
        return task;
    }
}
