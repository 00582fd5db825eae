package dev.taskmanager.app;

import dev.taskmanager.Task;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.server.ApiException;
import dev.taskmanager.server.TaskJson;
import dev.taskmanager.server.TaskSource;
import dev.taskmanager.store.Fleet;
import dev.taskmanager.store.HistoryPage;
import dev.taskmanager.store.HistoryStore;
import dev.taskmanager.store.HistoryStoreException;
import dev.taskmanager.store.RemoteTask;
import dev.taskmanager.store.StoredTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The history store as a v2 task source: {@code /v2/tasks} lists its tasks merged with the live ones
 * by the core's cursor key, and {@code GET /v2/tasks/{id}} (with {@code ?view=tree}, its stored
 * subtree) and the waits find a task there once it left memory, answered with
 * {@code "source": "history"}. The store's query has the core's semantics and order, which is the
 * {@link TaskSource} contract. A store that cannot be read answers 503, naming it.
 *
 * <p><b>In a fleet</b> (a PostgreSQL store, {@link HistoryStore#fleet()}), the store holds every
 * node's tasks: a list shows this node's unless {@code cluster=true}; every task carries the
 * advertised address of the node that ran it; lookups by id find any node's task; and another node's
 * running task is a {@link RemoteTask} to wait for and abort ({@link #remote}).
 *
 * <p>Public for services that wire the server themselves
 * ({@code TaskManagerServer.builder(tm).taskSource(new HistoryTaskSource(store))}) and for the
 * benchmarks; {@code serve} plugs it in. Thread-safe, as the store is.
 */
public final class HistoryTaskSource implements TaskSource {
    private final HistoryStore history;
    private final Fleet fleet;

    /** A source over this store (and its fleet, if it is a fleet node). */
    public HistoryTaskSource(HistoryStore history) {
        this.history = history;
        this.fleet = history.fleet().orElse(null);
    }

    @Override
    public String name() {
        return TaskJson.HISTORY;
    }

    @Override
    public Page page(TaskQuery query) {
        return page(query, false);
    }

    @Override
    public Page page(TaskQuery query, boolean cluster) {
        HistoryPage page = read(() -> history.query(query, nodeFilter(cluster)));
        List<TaskStatus> tasks = new ArrayList<>(page.tasks().size());
        List<String> nodes = fleet == null ? null : new ArrayList<>(page.tasks().size());
        for (StoredTask task : page.tasks()) {
            tasks.add(task.status());
            if (nodes != null) {
                nodes.add(fleet.addressOf(task.node()));
            }
        }
        return new Page(tasks, page.next(), nodes);
    }

    @Override
    public long count(TaskQuery query) {
        return count(query, false);
    }

    @Override
    public long count(TaskQuery query, boolean cluster) {
        return read(() -> history.count(query, nodeFilter(cluster)));
    }

    /** In a fleet, a list without {@code cluster=true} shows this node's tasks only. */
    private String nodeFilter(boolean cluster) {
        return fleet == null || cluster ? null : fleet.nodeName();
    }

    @Override
    public Optional<TaskStatus> find(UUID id) {
        return read(() -> history.find(id)).map(StoredTask::status);
    }

    @Override
    public Optional<Found> locate(UUID id) {
        return read(() -> history.find(id)).map(task -> new Found(task.status(),
                fleet == null ? null : fleet.addressOf(task.node())));
    }

    @Override
    public Optional<Remote> remote(UUID id) {
        if (fleet == null) {
            return Optional.empty();
        }
        return read(() -> fleet.remote(id)).map(task -> new Remote(task, task.address()));
    }

    @Override
    public String node(Task task) {
        return task instanceof RemoteTask ? ((RemoteTask) task).address() : null;
    }

    @Override
    public List<TaskStatus> descendants(UUID id, int max) {
        List<StoredTask> tree = read(() -> history.tree(id, Math.min(max + 1, HistoryStore.MAX_TREE)));
        return tree.stream().skip(1).map(StoredTask::status).toList(); // the task itself comes first
    }

    private static <T> T read(Supplier<T> read) {
        try {
            return read.get();
        } catch (HistoryStoreException e) {
            throw new ApiException(503, "the history store cannot be read now: " + e.getMessage());
        }
    }
}
