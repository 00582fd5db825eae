package dev.taskmanager.store;

import dev.taskmanager.ClusterTaskProvider;
import dev.taskmanager.Task;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskProgress;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The fleet's {@link ClusterTaskProvider} of one module: every node's cluster-kind operations
 * (SPEC §11) of that module, read from the shared store, so that each node's compat API lists them
 * (sequence number 0, shard 0) and answers their status with their children on every node.
 *
 * <p>Listed: the module's cluster tasks that are running, or that ended less than the task
 * manager's TTL ago ({@code user_task_ttl} for user tasks), as a node keeps its own finished roots.
 * Those this node coordinates and still holds are listed by its registry, not here. A store that cannot
 * be read lists none (a listing never fails for it). Thread-safe.
 */
final class ClusterTasks implements ClusterTaskProvider {
    private static final System.Logger LOG = System.getLogger(ClusterTasks.class.getName());

    private final Fleet fleet;
    private final HistoryStore store;
    private final String module;

    ClusterTasks(Fleet fleet, HistoryStore store, String module) {
        this.fleet = fleet;
        this.store = store;
        this.module = module;
    }

    @Override
    public Stream<TaskStats> tasks() {
        TaskManager tm = fleet.taskManager();
        long now = TaskRows.nanos(fleet.wallClock().instant());
        long userCutoff = now - tm.userTaskTtl().toNanos();
        long cutoff = now - tm.taskTtl().toNanos();
        String sql = "SELECT " + TaskRows.SELECT_LIST + " FROM tasks WHERE module = ? AND kind = 'cluster' AND "
                + "(ended IS NULL OR (user_task AND ended >= ?) OR (NOT user_task AND ended >= ?)) "
                + "ORDER BY created, id";
        try {
            List<TaskStats> tasks = store.read("list the cluster tasks of module " + module, c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, module);
                    s.setLong(2, userCutoff);
                    s.setLong(3, cutoff);
                    List<TaskStats> found = new ArrayList<>();
                    try (ResultSet rows = s.executeQuery()) {
                        while (rows.next()) {
                            StoredTask task = TaskRows.read(rows, Dialect.Postgres.INSTANCE);
                            if (!fleet.coordinated.containsKey(task.status().id())) {
                                found.add(task.status().toStats());
                            }
                        }
                    }
                    return found;
                }
            });
            return tasks.stream();
        } catch (HistoryStoreException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cluster tasks of module " + module + " not listed: " + e.getMessage());
            return Stream.empty();
        }
    }

    @Override
    public Optional<Task> find(UUID id) {
        Task live = fleet.coordinated.get(id);
        Optional<StoredTask> row;
        try {
            row = store.find(id);
        } catch (HistoryStoreException e) {
            return Optional.empty();
        }
        if (row.isEmpty() || row.get().status().kind() != TaskKind.CLUSTER || !row.get().status().module().equals(module)) {
            if (live == null) {
                return Optional.empty();
            }
            // coordinated here and not written yet: the view of its own children only
            row = Optional.of(new StoredTask(live.status(), fleet.nodeName(), fleet.wallClock().instant()));
        }
        return Optional.of(new RemoteTask(fleet, row.get(), live));
    }

    /**
     * A cluster task's status with its children on every node: those the coordinator lists, then the
     * stored tasks whose parent it is, in creation order; its progress the sum of theirs (or its own
     * while it has none). With {@code live} (the task coordinated here), its own fields are the live
     * ones and the children of other nodes are added to its live children.
     */
    static TaskStatus view(HistoryStore store, StoredTask row, String self, Task live) {
        TaskStatus base = live != null ? live.status() : row.status();
        List<StoredTask> children = store.children(base.id());
        Set<UUID> ids = new LinkedHashSet<>(base.children());
        double completed = 0;
        double total = 0;
        for (StoredTask child : children) {
            ids.add(child.status().id());
            if (live == null || !child.node().equals(self)) { // live progress already counts the local ones
                completed += child.status().progress().completed();
                total += child.status().progress().total();
            }
        }
        TaskProgress progress;
        if (live != null) {
            progress = new TaskProgress(base.progress().completed() + completed, base.progress().total() + total);
        } else {
            progress = children.isEmpty() ? base.progress() : new TaskProgress(completed, total);
        }
        return new TaskStatus(base.id(), base.module(), base.type(), TaskKind.CLUSTER, base.scope(), base.state(),
                base.abortable(), base.startTime(), base.endTime(), base.error(), null, 0, 0, base.keyspace(),
                base.table(), base.entity(), base.progressUnits(), progress, List.copyOf(ids), base.userTask(), false,
                base.createdTime(), base.updatedTime(), base.abortRequest(), live != null ? base.rate() : null,
                live != null ? base.eta() : null, base.stalled(), base.deadline(), base.labels());
    }
}
