package dev.taskmanager.store;

import dev.taskmanager.Task;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskStatus;
import dev.taskmanager.Ticker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that writes to the store.
 *
 * <h2>Design note</h2>
 * <p><b>Batches.</b> Every {@linkplain Settings#flushInterval flush interval} (at once while it has a
 * backlog) the writer takes from the {@link Recorder}'s dirty map what is due: every final status,
 * every task never written, and every running task last written at least a
 * {@linkplain Settings#checkpointInterval checkpoint interval} ago. It removes each entry before it
 * snapshots the handle, so a change made meanwhile marks the task again rather than being lost, and
 * upserts up to {@link Settings#maxBatch} rows in one transaction (group commit), together with this
 * node's heartbeat. The unfinished ancestors of what it writes go with it when their checkpoint is due:
 * a parent's progress is the sum of its children's, yet only the task that reports gets an event, so
 * a directory or a root whose leaves do the work would otherwise keep its first checkpoint for good.
 *
 * <p><b>Failures.</b> A batch the store cannot take now (unreachable, full, busy) goes back into the
 * dirty map, where newer states replace it but never replace a final one; the writer then retries with
 * back-off from 50 ms to 5 s, and reports the state through {@link Health}, logging once per change.
 * A batch the store rejects for its content is written row by row, and the rows it still rejects are
 * logged and counted, so that one bad row cannot hold up the rest forever. While the store is down the
 * dirty map keeps at most {@link Settings#maxPending} tasks: past that the writer forgets running
 * tasks first and has the listener stop marking them (every registered unfinished task is marked again
 * once the backlog is down to half the bound), and drops final states last, counting them.
 *
 * <p><b>Housekeeping.</b> Between batches, retention deletes at most {@link Settings#purgeBatch} rows
 * per transaction, oldest first, so that no lock is held for long; the planner's statistics are
 * refreshed after the first retention round and then hourly; the heartbeat is refreshed at least
 * once per checkpoint interval even when nothing changes.
 *
 * <p>Everything here runs on the writer thread, except {@link #recover} (before the thread starts)
 * and {@link #requestFlush}/{@link #stop} (any thread).
 */
final class Writer {
    private static final System.Logger LOG = System.getLogger(HistoryStore.class.getName());
    private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(5);

    static final String HEARTBEAT = "UPDATE nodes SET heartbeat = ? WHERE name = ?";
    /** A departed task's row: answered from history from now on. Portable: false = 0 in SQLite too. */
    private static final String CLEAR_IN_MEMORY = "UPDATE tasks SET in_memory = false WHERE id = ?";
    /** The planner's statistics are refreshed after the first retention round, then hourly. */
    private static final long STATISTICS_INTERVAL = TimeUnit.HOURS.toNanos(1);

    private final Database db;
    private final Settings settings;
    private final Recorder recorder;
    private final Health health;
    private final Clock clock;
    private final Ticker ticker;
    private final TaskManager taskManager;
    /** Tasks written while unfinished, to when (ticker): the base of their next checkpoint. */
    private final Map<UUID, Long> checkpointed = new HashMap<>();
    /**
     * The handles of the tasks in {@link #checkpointed}, for their descendants' batches (this
     * server's own tasks only: {@code TaskManager.find} could answer with another node's cluster task).
     */
    private final Map<UUID, Task> handles = new HashMap<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Boolean>> flushes = new ConcurrentLinkedQueue<>();
    private final long checkpointNanos;
    /** In a fleet: announce the final states each transaction writes ({@link Fleet#notifyFinals}). */
    volatile boolean announceFinals;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    /** Tasks taken from the dirty map and being written: still pending for {@link StoreHealth}. */
    private volatile int inFlight;
    private volatile Thread thread;
    private long backoff;
    private long nextAttempt;
    private long lastHeartbeat;
    private long nextPurge;
    private long nextStatistics;
    private long rowCount = -1;
    private boolean rescan;
    /** Overload may have dropped departures: {@link #releaseDepartedAfterOverload} is due. */
    private boolean releaseAfterOverload;
    private boolean dropLogged;

    Writer(Database db, Settings settings, Recorder recorder, Health health, Clock clock, Ticker ticker,
           TaskManager taskManager) {
        this.db = db;
        this.settings = settings;
        this.recorder = recorder;
        this.health = health;
        this.clock = clock;
        this.ticker = ticker;
        this.taskManager = taskManager;
        this.checkpointNanos = settings.checkpointInterval().toNanos();
        long now = ticker.read();
        this.lastHeartbeat = now;
        this.nextPurge = now;
        this.nextStatistics = now;
    }

    // ---------------------------------------------------------------- start: recovery

    /**
     * Registers this node, clears the {@code in_memory} flag of its rows whose task is not registered
     * in {@code live} (a new process holds none of the last one's tasks), and records as failed, with {@value HistoryStore#INTERRUPTED} and the time
     * the node was last seen, every task the store holds as unfinished for this node that is not
     * registered in {@code live} now: its server stopped without finishing it. Their progress stays as
     * last checkpointed. Runs before the writer thread starts.
     *
     * @return how many tasks were recorded as interrupted
     */
    int recover(Set<UUID> live) throws SQLException {
        long now = wallNanos();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            Long lastSeen = null;
            try (PreparedStatement s = c.prepareStatement("SELECT heartbeat FROM nodes WHERE name = ?")) {
                s.setString(1, settings.node());
                try (ResultSet rows = s.executeQuery()) {
                    if (rows.next()) {
                        lastSeen = rows.getLong(1);
                    }
                }
            }
            List<UUID> interrupted = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM tasks WHERE node = ? AND state IN "
                    + TaskRows.UNFINISHED)) {
                s.setString(1, settings.node());
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        UUID id = db.dialect.getId(rows, "id");
                        if (!live.contains(id)) {
                            interrupted.add(id);
                        }
                    }
                }
            }
            if (!interrupted.isEmpty()) {
                markInterrupted(c, interrupted, lastSeen, now);
            }
            releaseDeparted(c, live);
            upsertNode(c, now);
            c.commit();
            if (!interrupted.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, interrupted.size() + " tasks of node " + settings.node()
                        + " were unfinished when its server stopped (last seen at "
                        + (lastSeen == null ? "unknown" : format(lastSeen)) + "); recorded them as failed");
            }
            return interrupted.size();
        }
    }

    /**
     * Clears {@code in_memory} on this node's rows whose task is not in {@code registered}: they are
     * answered from history from now on. Runs at start, and after overload, when departures may have
     * been dropped; on the writer's connection, so no write of this node runs meanwhile. Reads only
     * the rows still flagged (the {@code tasks_in_memory} index), few next to the rest.
     *
     * @return how many rows it cleared
     */
    int releaseDeparted(Connection c, Set<UUID> registered) throws SQLException {
        List<UUID> departed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM tasks WHERE node = ? AND "
                + db.dialect.isTrue("in_memory"))) {
            s.setString(1, settings.node());
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    UUID id = db.dialect.getId(rows, "id");
                    if (!registered.contains(id)) {
                        departed.add(id);
                    }
                }
            }
        }
        clearInMemory(c, departed);
        return departed.size();
    }

    /** Clears {@code in_memory} on the rows of these tasks. */
    private void clearInMemory(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(CLEAR_IN_MEMORY)) {
            for (UUID id : ids) {
                db.dialect.setId(s, 1, id);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private void markInterrupted(Connection c, List<UUID> ids, Long lastSeen, long now) throws SQLException {
        // Last seen: the node's heartbeat, which every batch moves; a row written later (it cannot be,
        // short of a clock step) would still end no earlier than it was written.
        String ended = db.dialect.greatest("?", db.dialect.greatest("written", "COALESCE(started, created)"));
        String sql = "UPDATE tasks SET state = 'failed', error = ?, ended = " + ended + ", updated = "
                + ended + ", stalled = " + (db.dialect instanceof Dialect.Postgres ? "false" : "0")
                + ", rate = NULL, eta_millis = NULL, written = ? WHERE id = ? AND state IN " + TaskRows.UNFINISHED;
        try (PreparedStatement s = c.prepareStatement(sql);
             PreparedStatement written = c.prepareStatement("SELECT written FROM tasks WHERE id = ?")) {
            for (UUID id : ids) {
                long seen = lastSeen != null ? lastSeen : writtenOf(written, id);
                s.setString(1, HistoryStore.INTERRUPTED + ": the server stopped (last seen at " + format(seen) + ")");
                s.setLong(2, seen);
                s.setLong(3, seen);
                s.setLong(4, now);
                db.dialect.setId(s, 5, id);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private long writtenOf(PreparedStatement s, UUID id) throws SQLException {
        db.dialect.setId(s, 1, id);
        try (ResultSet rows = s.executeQuery()) {
            return rows.next() ? rows.getLong(1) : wallNanos();
        }
    }

    private void upsertNode(Connection c, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO nodes (name, started, heartbeat, stopped) "
                + "VALUES (?, ?, ?, NULL) ON CONFLICT (name) DO UPDATE SET started = excluded.started, "
                + "heartbeat = excluded.heartbeat, stopped = NULL")) {
            s.setString(1, settings.node());
            s.setLong(2, now);
            s.setLong(3, now);
            s.executeUpdate();
        }
    }

    static String format(long epochNanos) {
        return TaskRows.instant(epochNanos).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    // ---------------------------------------------------------------- the thread

    /** Tasks waiting to be written, those being written included. */
    long pending() {
        return recorder.dirty.size() + (long) inFlight;
    }

    void start() {
        Thread t = new Thread(this::run, "taskmanager-history-writer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * Asks the writer to write everything dirty now, checkpoints not yet due included.
     *
     * @return completes with true once it is written, false if the store was closed first
     */
    CompletableFuture<Boolean> requestFlush() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        flushes.add(done);
        wake();
        return done;
    }

    /** Stops the thread after a last attempt to write everything, waiting up to the close timeout and a bit. */
    void stop() {
        stopping = true;
        Thread t = thread;
        if (t == null) {
            finish(); // never started: tests drove it on their own thread, which finishes it too
            return;
        }
        wake();
        try {
            t.join(settings.closeTimeout().plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "History writer still busy after the close timeout; leaving it");
        }
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        while (!stopping) {
            boolean backlog = false;
            try {
                backlog = pass();
            } catch (RuntimeException | Error e) {
                // Never let the writer die: the next pass retries whatever is still dirty.
                LOG.log(System.Logger.Level.ERROR, "History writer failed; retrying", e);
                health.down(e.toString());
                backoff();
            }
            if (!backlog && !stopping && flushes.isEmpty()) {
                LockSupport.parkNanos(parkNanos());
            }
        }
        if (!abandoned) {
            finish();
        }
    }

    /** Stops the thread without writing anything more: what a crash does, for tests. */
    void abandon() {
        abandoned = true;
        stopping = true;
        Thread t = thread;
        if (t != null) {
            wake();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Between rounds: the flush interval, also while backing off, so that the memory bound is enforced. */
    private long parkNanos() {
        return settings.flushInterval().toNanos();
    }

    /**
     * One round: writes what is due (everything if a flush was asked for), then housekeeping.
     * Package-private so that tests without the thread can drive the writer step by step.
     *
     * @return whether a backlog remains that the next round should take at once
     */
    boolean pass() {
        long now = ticker.read();
        enforceBound();
        if (health.state() == StoreHealth.State.DOWN && now - nextAttempt < 0) {
            return false;
        }
        List<CompletableFuture<Boolean>> flushing = new ArrayList<>();
        for (CompletableFuture<Boolean> f; (f = flushes.poll()) != null; ) {
            flushing.add(f);
        }
        if (rescan) {
            // before this round's writes, so that a flush requested now covers what is marked again
            rescan = false;
            markRegistered();
            releaseAfterOverload = true;
        }
        if (releaseAfterOverload) {
            releaseAfterOverload = !releaseDepartedAfterOverload();
        }
        boolean everything = !flushing.isEmpty();
        boolean backlog = false;
        boolean ok = true;
        if (everything) {
            List<UUID> keys = new ArrayList<>(recorder.dirty.keySet());
            for (int from = 0; from < keys.size() && ok; from += settings.maxBatch()) {
                List<Pending> batch = take(keys.subList(from, Math.min(keys.size(), from + settings.maxBatch())));
                addAncestors(batch, now, true);
                ok = write(batch, now);
            }
        } else {
            List<Pending> batch = collect(now);
            addAncestors(batch, now, false);
            if (!batch.isEmpty()) {
                ok = write(batch, now);
                backlog = ok && batch.size() >= settings.maxBatch();
            }
        }
        if (ok && now - lastHeartbeat >= checkpointNanos) {
            ok = heartbeat(now);
        }
        if (ok && !backlog && now - nextPurge >= 0) {
            backlog = purgeStep(now);
        }
        if (ok) {
            flushing.forEach(f -> f.complete(true));
        } else {
            flushes.addAll(flushing);
        }
        return backlog;
    }

    /** What is due now, removed from the dirty map, at most a batch. */
    private List<Pending> collect(long now) {
        List<Pending> batch = new ArrayList<>();
        for (Map.Entry<UUID, Object> entry : recorder.dirty.entrySet()) {
            Object pending = entry.getValue();
            if (!Recorder.isFinal(pending) && !(pending instanceof Recorder.Departure)) {
                Long last = checkpointed.get(entry.getKey());
                if (last != null && now - last < checkpointNanos) {
                    continue;
                }
            }
            if (recorder.dirty.remove(entry.getKey(), pending)) {
                batch.add(new Pending(entry.getKey(), pending));
                if (batch.size() >= settings.maxBatch()) {
                    break;
                }
            }
        }
        return batch;
    }

    /**
     * Adds to the batch the unfinished ancestors of its tasks: a parent's progress is the sum of its
     * children's, so it changes with theirs, but only the task that reports gets a progress event. An
     * ancestor is written with the batch when its checkpoint is due ({@code everything}: always), else
     * marked to be written when it is; so is one that would grow the batch past its bound.
     */
    private void addAncestors(List<Pending> batch, long now, boolean everything) {
        if (batch.isEmpty()) {
            return;
        }
        Set<UUID> seen = new HashSet<>();
        batch.forEach(p -> seen.add(p.id));
        int taken = batch.size();
        for (int i = 0; i < taken; i++) {
            UUID parent = batch.get(i).status.parentId();
            while (parent != null && seen.add(parent)) {
                Task task = handles.get(parent);
                if (task == null || task.state().isTerminal()) {
                    break; // never written (so due anyway), or its final status comes with its own event
                }
                Long last = checkpointed.get(parent);
                boolean due = everything || last == null || now - last >= checkpointNanos;
                if (due && batch.size() < settings.maxBatch()) {
                    Object pending = recorder.dirty.remove(parent);
                    Pending ancestor = new Pending(parent, pending != null ? pending : task);
                    batch.add(ancestor);
                    parent = ancestor.status.parentId();
                } else {
                    recorder.mark(task);
                    parent = task.stats().parentId();
                }
            }
        }
    }

    private List<Pending> take(List<UUID> ids) {
        List<Pending> batch = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            Object pending = recorder.dirty.remove(id);
            if (pending != null) {
                batch.add(new Pending(id, pending));
            }
        }
        return batch;
    }

    /**
     * A task taken from the dirty map: what was there, the snapshot to write, and whether the task
     * left the registry (its row is written with {@code in_memory} cleared).
     */
    private static final class Pending {
        final UUID id;
        final Object taken;
        final TaskStatus status;
        final boolean departed;
        /**
         * Departed with only its handle: its final status may have been written already, and a
         * terminal row ignores the upsert, so the flag is cleared by its own update. (A departure
         * with the final status is the first write of a terminal row: the upsert clears it.)
         */
        final boolean clearsByUpdate;

        Pending(UUID id, Object taken) {
            this.id = id;
            this.taken = taken;
            this.departed = taken instanceof Recorder.Departure;
            Object state = Recorder.Departure.unwrap(taken);
            this.clearsByUpdate = departed && !Recorder.isFinal(state);
            // the handle is snapshotted after it left the map, so a change from now on marks it again
            this.status = Recorder.snapshot(state);
        }

        /** A final state this write announces to the fleet: once per task, with its final status. */
        boolean announcesFinal() {
            return status.state().isTerminal() && !clearsByUpdate;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes a batch in one transaction; on failure puts it back and backs off. */
    private boolean write(List<Pending> batch, long now) {
        if (batch.isEmpty()) {
            return true;
        }
        inFlight = batch.size();
        try {
            return writeInFlight(batch, now);
        } finally {
            inFlight = 0;
        }
    }

    private boolean writeInFlight(List<Pending> batch, long now) {
        long written = wallNanos();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                upsert(c, batch, written);
                c.commit();
            } catch (SQLException e) {
                rollback(c);
                if (db.dialect.isUnavailable(e)) {
                    throw e;
                }
                writeOneByOne(c, batch, written, e);
            }
        } catch (SQLException e) {
            failed(batch, e);
            return false;
        }
        for (Pending p : batch) {
            if (p.status.state().isTerminal() || p.departed) {
                checkpointed.remove(p.id);
                handles.remove(p.id);
            } else {
                checkpointed.put(p.id, now);
                if (p.taken instanceof Task) {
                    handles.put(p.id, (Task) p.taken);
                }
            }
        }
        lastHeartbeat = now;
        health.written.addAndGet(batch.size());
        up();
        return true;
    }

    private void upsert(Connection c, List<Pending> batch, long written) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(TaskRows.UPSERT)) {
            for (Pending p : batch) {
                TaskRows.bind(s, db.dialect, p.status, settings.node(), TaskRows.createdNanos(p.status, written),
                        written, !p.departed);
                s.addBatch();
            }
            s.executeBatch();
        }
        List<UUID> departed = new ArrayList<>();
        for (Pending p : batch) {
            if (p.clearsByUpdate) {
                departed.add(p.id);
            }
        }
        clearInMemory(c, departed);
        if (announceFinals) {
            List<UUID> finals = new ArrayList<>();
            for (Pending p : batch) {
                if (p.announcesFinal()) {
                    finals.add(p.id);
                }
            }
            Fleet.notifyFinals(c, finals);
        }
        try (PreparedStatement s = c.prepareStatement(HEARTBEAT)) {
            s.setLong(1, written);
            s.setString(2, settings.node());
            s.executeUpdate();
        }
    }

    /**
     * The batch was refused for its content, not for want of a store: writes each row in its own
     * transaction, and gives up on those that are refused again, logging each.
     */
    private void writeOneByOne(Connection c, List<Pending> batch, long written, SQLException cause)
            throws SQLException {
        LOG.log(System.Logger.Level.WARNING, "History store " + db.description + " refused a batch of "
                + batch.size() + " tasks (" + cause.getMessage() + "); writing them one by one");
        for (Pending p : batch) {
            try {
                upsert(c, List.of(p), written);
                c.commit();
            } catch (SQLException e) {
                rollback(c);
                if (db.dialect.isUnavailable(e)) {
                    throw e;
                }
                health.rejected.incrementAndGet();
                LOG.log(System.Logger.Level.ERROR, "History store " + db.description + " refused task " + p.id
                        + " (" + p.status.module() + "/" + p.status.type() + ", " + p.status.state().wireName()
                        + "): " + e.getMessage() + "; it is not recorded");
            }
        }
    }

    private void failed(List<Pending> batch, SQLException e) {
        for (Pending p : batch) {
            recorder.putBack(p.id, p.taken);
        }
        health.down(db.description + ": " + Database.rootMessage(e));
        backoff();
    }

    private void up() {
        backoff = 0;
        if (health.state() == StoreHealth.State.DOWN) {
            health.up();
            dropLogged = false;
        }
    }

    private void backoff() {
        backoff = backoff == 0 ? MIN_BACKOFF : Math.min(MAX_BACKOFF, backoff * 2);
        nextAttempt = ticker.read() + backoff;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool replaces it
        }
    }

    private boolean heartbeat(long now) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(HEARTBEAT)) {
            s.setLong(1, wallNanos());
            s.setString(2, settings.node());
            s.executeUpdate();
        } catch (SQLException e) {
            health.down(db.description + ": " + Database.rootMessage(e));
            backoff();
            return false;
        }
        lastHeartbeat = now;
        up();
        return true;
    }

    // ---------------------------------------------------------------- memory bound

    /**
     * Keeps the dirty map within {@link Settings#maxPending}: running tasks go first (they are marked
     * again from the registry once the store is back), final states last, counted as dropped.
     */
    private void enforceBound() {
        int size = recorder.dirty.size();
        if (recorder.shedding && size <= settings.maxPending() / 2) {
            recorder.shedding = false;
            rescan = true; // what was created meanwhile was not marked
        }
        if (size >= settings.maxPending()) {
            recorder.shedding = true;
        }
        int excess = size - settings.maxPending();
        if (excess <= 0) {
            return;
        }
        for (Map.Entry<UUID, Object> entry : recorder.dirty.entrySet()) {
            if (excess <= 0) {
                return;
            }
            Object pending = entry.getValue();
            if (!Recorder.isFinal(pending) && !(pending instanceof Recorder.Departure)
                    && recorder.dirty.remove(entry.getKey(), pending)) {
                rescan = true;
                excess--;
            }
        }
        int dropped = 0;
        for (Map.Entry<UUID, Object> entry : recorder.dirty.entrySet()) {
            if (excess <= 0) {
                break;
            }
            if (recorder.dirty.remove(entry.getKey(), entry.getValue())) {
                checkpointed.remove(entry.getKey());
                handles.remove(entry.getKey());
                dropped++;
                excess--;
            }
        }
        health.dropped.addAndGet(dropped);
        if (dropped > 0 && !dropLogged) {
            dropLogged = true;
            LOG.log(System.Logger.Level.ERROR, "History store " + db.description + " has been down so long that "
                    + settings.maxPending() + " finished tasks are waiting; dropping the excess (see droppedTotal)");
        }
    }

    /**
     * Marks every registered unfinished task dirty: after the writer had to forget some (or the
     * listener did not mark them) while too many tasks were waiting. (Finished ones that were dropped
     * stay lost: marking every retained task again could overflow the bound once more.)
     */
    private void markRegistered() {
        if (taskManager == null) {
            return;
        }
        TaskFilter all = TaskFilter.DEFAULT.withInternal(true);
        Set<UUID> unfinished = new HashSet<>();
        for (String module : taskManager.moduleNames()) {
            taskManager.findModule(module).ifPresent(m -> m.tasks(all)
                    .filter(stats -> stats.kind() == TaskKind.NODE && !stats.state().isTerminal())
                    .forEach(stats -> taskManager.find(stats.id()).ifPresent(task -> {
                        unfinished.add(task.id());
                        recorder.mark(task);
                    })));
        }
        // tasks whose final state was dropped would otherwise stay here for good
        checkpointed.keySet().removeIf(id -> !unfinished.contains(id) && !recorder.dirty.containsKey(id));
        handles.keySet().retainAll(checkpointed.keySet());
    }

    /**
     * After overload: departures may have been dropped with the rest, leaving rows flagged
     * {@code in_memory} (left out of this node's lists) for tasks no longer registered. Releases the
     * rows of the tasks not registered now. Safe against races because only this thread writes rows:
     * a row flagged before the registry is read belongs to a task registered then or gone for good,
     * and a task registered later has no row yet. A failure is not the store being down (the writes
     * tell that): the next round tries again.
     *
     * @return whether it was done
     */
    private boolean releaseDepartedAfterOverload() {
        if (taskManager == null) {
            return true;
        }
        Set<UUID> registered = registeredIds(taskManager);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            int released = releaseDeparted(c, registered);
            c.commit();
            if (released > 0) {
                LOG.log(System.Logger.Level.INFO, "History: " + released + " tasks left memory while the store "
                        + "was overloaded; their rows are listed from history again");
            }
            return true;
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "History store " + db.description + " could not release the rows of "
                    + "tasks that left memory: " + e.getMessage() + "; retrying");
            return false;
        }
    }

    /** The id of every task registered in {@code tm} now, finished ones and internal ones included. */
    static Set<UUID> registeredIds(TaskManager tm) {
        Set<UUID> ids = new HashSet<>();
        for (String name : tm.moduleNames()) {
            tm.findModule(name).ifPresent(m -> m.tasks(TaskFilter.DEFAULT.withInternal(true))
                    .map(stats -> stats.id()).forEach(ids::add));
        }
        return ids;
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes at most one batch of rows past retention, each delete its own short transaction.
     *
     * @return whether more rows may be due (the next round continues at once)
     */
    private boolean purgeStep(long now) {
        try (Connection c = db.connection()) {
            int deleted = 0;
            if (!settings.retention().isZero()) {
                long cutoff = wallNanos() - settings.retention().toNanos();
                try (PreparedStatement s = c.prepareStatement("DELETE FROM tasks WHERE id IN (SELECT id FROM tasks "
                        + "WHERE created < ? AND ended < ? ORDER BY created, id LIMIT ?)")) {
                    s.setLong(1, cutoff);
                    s.setLong(2, cutoff);
                    s.setInt(3, settings.purgeBatch());
                    deleted = s.executeUpdate();
                }
            }
            if (deleted < settings.purgeBatch() && settings.maxTasks() > 0) {
                if (rowCount < 0) {
                    try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT count(*) FROM tasks")) {
                        rows.next();
                        rowCount = rows.getLong(1);
                    }
                }
                long excess = rowCount - settings.maxTasks();
                if (excess > 0) {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM tasks WHERE id IN (SELECT id FROM "
                            + "tasks WHERE ended IS NOT NULL ORDER BY created, id LIMIT ?)")) {
                        s.setLong(1, Math.min(excess, settings.purgeBatch() - deleted));
                        int more = s.executeUpdate();
                        rowCount -= more;
                        deleted += more;
                    }
                }
            }
            health.purged.addAndGet(deleted);
            if (deleted < settings.purgeBatch()) {
                nextPurge = now + settings.purgeInterval().toNanos();
                rowCount = -1;
                if (now - nextStatistics >= 0) {
                    nextStatistics = now + STATISTICS_INTERVAL;
                    try (Statement s = c.createStatement()) {
                        s.execute(db.dialect.refreshStatistics());
                    }
                }
                return false;
            }
            return true;
        } catch (SQLException e) {
            // not a reason to call the store down: the next round tries again
            LOG.log(System.Logger.Level.WARNING, "History retention on " + db.description + " failed: "
                    + e.getMessage() + "; retrying in " + settings.purgeInterval());
            nextPurge = now + settings.purgeInterval().toNanos();
            return false;
        }
    }

    // ---------------------------------------------------------------- stop

    /** The last rounds: writes everything, retrying until the close timeout, then marks the node stopped. */
    private void finish() {
        long deadline = ticker.read() + settings.closeTimeout().toNanos();
        while (true) {
            backoff = 0;
            nextAttempt = ticker.read();
            requestFlushQuietly();
            pass();
            if (recorder.dirty.isEmpty() && health.state() == StoreHealth.State.UP) {
                break;
            }
            if (ticker.read() - deadline >= 0) {
                LOG.log(System.Logger.Level.ERROR, "History store " + db.description + " closed with "
                        + recorder.dirty.size() + " tasks it could not write: " + health.snapshot().lastError());
                break;
            }
            LockSupport.parkNanos(MIN_BACKOFF * 4);
        }
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("UPDATE nodes SET heartbeat = ?, stopped = ? WHERE name = ?")) {
            long now = wallNanos();
            s.setLong(1, now);
            s.setLong(2, now);
            s.setString(3, settings.node());
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not record node " + settings.node() + " as stopped: "
                    + e.getMessage());
        }
        for (CompletableFuture<Boolean> f; (f = flushes.poll()) != null; ) {
            f.complete(recorder.dirty.isEmpty());
        }
    }

    private void requestFlushQuietly() {
        flushes.add(new CompletableFuture<>());
    }

    private long wallNanos() {
        return TaskRows.nanos(clock.instant());
    }

}
