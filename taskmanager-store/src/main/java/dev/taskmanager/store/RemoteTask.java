package dev.taskmanager.store;

import dev.taskmanager.Task;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskState;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handle on a task another node of the fleet runs, or on the fleet's view of a cluster task
 * (SPEC §11), read from the shared store ({@link Fleet#remote}, the cluster task providers).
 *
 * <ul>
 *   <li>{@link #status()} reads the store again each time: a running task as fresh as its node's last
 *       checkpoint, a finished one as it ended; a cluster task with the children of every node, its
 *       progress their sum. If the store cannot be read, the last status read.</li>
 *   <li>{@link #state()} and {@link #isAbortable()} answer from the status this handle was made with.</li>
 *   <li>{@link #done()} completes when the node that runs the task records its final state, announced
 *       by a notification (or found by the poll); a new future per call, detached once cancelled.</li>
 *   <li>{@link #abort(String, String)} asks the node that runs it ({@link Fleet#requestAbort}) and
 *       returns at once.</li>
 * </ul>
 *
 * <p>For a cluster task this node coordinates, state, waits and aborts go to the live task, and only
 * the status adds what the store knows of the other nodes. Thread-safe.
 */
public final class RemoteTask implements Task {
    private final Fleet fleet;
    private final StoredTask stored;
    /** The live task when this is the view of a cluster task coordinated here; else null. */
    private final Task live;
    private volatile TaskStatus last;

    RemoteTask(Fleet fleet, StoredTask stored) {
        this(fleet, stored, null);
    }

    RemoteTask(Fleet fleet, StoredTask stored, Task live) {
        this.fleet = fleet;
        this.stored = Objects.requireNonNull(stored, "stored");
        this.live = live;
        this.last = stored.status();
    }

    /** The name of the node that runs the task. */
    public String node() {
        return stored.node();
    }

    /** How to reach that node: its advertised address ({@link Fleet#addressOf}). */
    public String address() {
        return fleet.addressOf(stored.node());
    }

    @Override
    public java.util.UUID id() {
        return stored.status().id();
    }

    @Override
    public String module() {
        return stored.status().module();
    }

    @Override
    public TaskState state() {
        return live != null ? live.state() : last.state();
    }

    @Override
    public boolean isAbortable() {
        return live != null ? live.isAbortable() : stored.status().abortable();
    }

    @Override
    public TaskStatus status() {
        TaskStatus status;
        try {
            StoredTask now = live != null ? stored : fleet.store().find(id()).orElse(stored);
            status = now.status().kind() == TaskKind.CLUSTER
                    ? ClusterTasks.view(fleet.store(), now, fleet.nodeName(), live) : now.status();
        } catch (HistoryStoreException e) {
            return live != null ? live.status() : last;
        }
        last = status;
        return status;
    }

    @Override
    public TaskStats stats() {
        return status().toStats();
    }

    @Override
    public List<TaskStatus> statusRecursive() {
        List<TaskStatus> tree = new ArrayList<>();
        tree.add(status());
        for (StoredTask descendant : fleet.store().tree(id(), HistoryStore.MAX_TREE)) {
            if (!descendant.status().id().equals(id())) {
                tree.add(descendant.status());
            }
        }
        return tree;
    }

    @Override
    public CompletableFuture<TaskStatus> done() {
        if (live != null) {
            return live.done();
        }
        TaskStatus known = last;
        if (known.state().isTerminal()) {
            return CompletableFuture.completedFuture(known);
        }
        return fleet.watch(id());
    }

    @Override
    public TaskStatus await(Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<TaskStatus> done = done();
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            done.cancel(false);
        }
    }

    @Override
    public void abort(String reason, String requestedBy) {
        if (live != null) {
            live.abort(reason, requestedBy);
        } else {
            fleet.requestAbort(id(), reason, requestedBy);
        }
    }

    @Override
    public TaskKind kind() {
        return stored.status().kind();
    }

    @Override
    public boolean isAbortRequested() {
        return live != null ? live.isAbortRequested() : status().abortRequest() != null;
    }

    @Override
    public String toString() {
        return "RemoteTask[" + id() + " on " + stored.node() + "]";
    }
}
