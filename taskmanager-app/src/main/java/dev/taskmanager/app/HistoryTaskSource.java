package dev.taskmanager.app;

import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.server.ApiException;
import dev.taskmanager.server.TaskJson;
import dev.taskmanager.server.TaskSource;
import dev.taskmanager.store.HistoryPage;
import dev.taskmanager.store.HistoryStore;
import dev.taskmanager.store.HistoryStoreException;
import dev.taskmanager.store.StoredTask;
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
 * <p>Thread-safe, as the store is.
 */
final class HistoryTaskSource implements TaskSource {
    private final HistoryStore history;

    HistoryTaskSource(HistoryStore history) {
        this.history = history;
    }

    @Override
    public String name() {
        return TaskJson.HISTORY;
    }

    @Override
    public Page page(TaskQuery query) {
        HistoryPage page = read(() -> history.query(query));
        return new Page(page.tasks().stream().map(StoredTask::status).toList(), page.next());
    }

    @Override
    public long count(TaskQuery query) {
        return read(() -> history.count(query));
    }

    @Override
    public Optional<TaskStatus> find(UUID id) {
        return read(() -> history.find(id)).map(StoredTask::status);
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
