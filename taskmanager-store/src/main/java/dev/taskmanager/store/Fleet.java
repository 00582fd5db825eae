package dev.taskmanager.store;

import dev.taskmanager.AbortRequest;
import dev.taskmanager.Task;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskKind;
import dev.taskmanager.TaskListener;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskModule;
import dev.taskmanager.TaskStats;
import dev.taskmanager.TaskStatus;
import java.sql.Array;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * This server as one node of a fleet sharing one PostgreSQL store (docs/scaling.md): every node sees,
 * aborts and waits for every node's tasks. Obtain it from {@link HistoryStore#fleet()}.
 *
 * <h2>Design note</h2>
 * <p><b>Lease.</b> A node is a row of {@code nodes} with a lease on the database's clock: it registers
 * at open (refused while another live node holds its name), renews every
 * {@linkplain HistoryStore.Builder#leaseInterval lease interval} to {@code clock_timestamp()} plus the
 * {@linkplain HistoryStore.Builder#leaseDuration lease duration}, and releases it at a clean stop.
 *
 * <p><b>Lost nodes.</b> Every round each node also looks for nodes whose lease expired and were not
 * claimed yet, locking each row with {@code FOR UPDATE SKIP LOCKED}: exactly one survivor gets it, and
 * in the same transaction records that node's unfinished tasks as {@code failed}
 * ({@code node lost: N stopped renewing its lease at T}), marks the node lost, and announces the final
 * states. A lost node that comes back finds its renewal refused (its epoch was claimed): it logs it,
 * aborts every task it still runs (their rows stay {@code node lost}: a terminal row never changes),
 * and registers again under a new epoch.
 *
 * <p><b>Notifications.</b> One connection per node, outside the pool, {@code LISTEN}s to
 * {@code taskmanager_abort} (payload: the target node) and {@code taskmanager_final} (payload: the ids of
 * tasks whose final state a transaction wrote, comma-separated; the writer sends them with its batch).
 * An abort asked on another node is a row of {@code abort_requests} plus a notification; the target
 * applies it with {@link Task#abort(String, String)}. A wait on another node's task is a future per
 * waiter in one map, completed by the final notification. Both have a poll fallback every
 * {@linkplain HistoryStore.Builder#pollInterval poll interval} (and at start), for notifications
 * missed while the listening connection was down.
 *
 * <p><b>Cluster tasks.</b> The fleet attaches a {@link dev.taskmanager.ClusterTaskProvider} to every
 * module ({@link ClusterTasks}): each node lists every node's cluster-kind operations (SPEC §11), with
 * their children on every node.
 *
 * <p>Threads: the lease thread (renewals, claims, polls, cascades) and the listener. Thread-safe.
 */
public final class Fleet {
    private static final System.Logger LOG = System.getLogger(Fleet.class.getName());
    static final String ABORT_CHANNEL = "taskmanager_abort";
    static final String FINAL_CHANNEL = "taskmanager_final";
    /** Keeps a notification's payload under PostgreSQL's 8000 bytes. */
    private static final int PAYLOAD_IDS = 200;
    private static final long LISTEN_TIMEOUT_MILLIS = 250;
    private static final long DELIVERED_KEPT_NANOS = TimeUnit.HOURS.toNanos(1);
    /** An unknown node name reads the addresses again, at most this often. */
    private static final long ADDRESS_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Who {@code requestedBy} names when a node aborts its own tasks after it was declared lost. */
    public static final String FLEET_REQUESTER = "fleet";
    /** The name of the page token key in {@code fleet_secrets}. */
    private static final String PAGE_TOKEN_KEY = "page_token_key";
    private static final int PAGE_TOKEN_KEY_BYTES = 32;

    private final Database db;
    private final HistoryStore store;
    private final String node;
    private final FleetSettings settings;
    private final TaskManager taskManager;
    private final Clock wallClock;
    private final Listener listener = new Listener();
    /** The futures of waits on other nodes' tasks, by task id. */
    private final Map<UUID, Set<CompletableFuture<TaskStatus>>> watched = new ConcurrentHashMap<>();
    /** Cluster tasks this node coordinates, by id: the live half of their fleet view. */
    final Map<UUID, Task> coordinated = new ConcurrentHashMap<>();
    /** Cluster tasks asked to abort here, whose parts on other nodes are to be asked too. */
    private final ConcurrentLinkedQueue<Cascade> cascades = new ConcurrentLinkedQueue<>();

    /** A cluster task coordinated here that was asked to abort, and the request, for its parts elsewhere. */
    private record Cascade(UUID id, AbortRequest request) {
    }
    private final Map<String, ClusterTasks> providers = new ConcurrentHashMap<>();
    private volatile Map<String, String> addresses = Map.of();
    /** Names looked up but not found, with when: each is read again at most every 100 ms. */
    private final Map<String, Long> unknownNames = new ConcurrentHashMap<>();
    private volatile long epoch;
    private volatile boolean registered;
    /** Since when (lease time) this node has held its lease without a lapse; null while it holds none. */
    private volatile Instant heldSince;
    /** Until when its last renewal holds the lease (lease time). */
    private volatile Instant heldUntil;
    /** Its last renewal (lease time). */
    private volatile Instant lastRenewed;
    private volatile boolean closing;
    private volatile Thread leaseThread;
    private volatile Thread listenThread;
    private volatile boolean pollNow = true;
    /** The fleet's page token key once read ({@link #pageTokenKey()}). */
    private volatile byte[] pageTokenKey;

    Fleet(Database db, HistoryStore store, String node, FleetSettings settings, TaskManager taskManager,
          Clock wallClock) {
        this.db = db;
        this.store = store;
        this.node = node;
        this.settings = settings;
        this.taskManager = taskManager;
        this.wallClock = wallClock;
    }

    // ---------------------------------------------------------------- identity

    /** This node's name ({@code --node-name}). */
    public String nodeName() {
        return node;
    }

    /** How other nodes and clients reach this node ({@code --advertise-address}). */
    public String advertiseAddress() {
        return settings.address();
    }

    /** This node's registration: one more each time the name registers, also after it was declared lost. */
    public long epoch() {
        return epoch;
    }

    /**
     * The advertised address of a node, by name, as last read (every lease interval); the name itself
     * if the node is unknown or advertised nothing.
     */
    public String addressOf(String nodeName) {
        if (nodeName.equals(node)) {
            return settings.address();
        }
        String address = addresses.get(nodeName);
        if (address == null) {
            // a node that registered since the last read, at once; a name that stays unknown (a purged
            // node's rows), at most once per ADDRESS_REFRESH_NANOS, not once per row listed
            long now = System.nanoTime();
            Long missedAt = unknownNames.get(nodeName);
            if (missedAt == null || now - missedAt > ADDRESS_REFRESH_NANOS) {
                try {
                    refreshAddresses();
                } catch (SQLException e) {
                    return nodeName;
                }
                address = addresses.get(nodeName);
                if (address == null) {
                    unknownNames.put(nodeName, now);
                } else {
                    unknownNames.remove(nodeName);
                }
            }
        }
        return address != null ? address : nodeName;
    }

    /**
     * The key that signs the v2 API's page tokens, the same on every node of this fleet, so that a
     * listing begun on one node continues on any other (no sticky sessions behind a load balancer):
     * 32 bytes drawn with {@link SecureRandom} by the first node that asks, stored in
     * {@code fleet_secrets}, read by every other node, kept in memory once read. Whoever can read the
     * store can forge page tokens; a token only says where a listing continues, which any client may
     * ask with filters.
     *
     * @return a copy of the key
     * @throws HistoryStoreException if the store cannot be read or written
     */
    public byte[] pageTokenKey() {
        byte[] key = pageTokenKey;
        if (key == null) {
            byte[] drawn = new byte[PAGE_TOKEN_KEY_BYTES];
            new SecureRandom().nextBytes(drawn);
            key = store.read("read the fleet's page token key", c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO fleet_secrets (name, value) "
                        + "VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                    insert.setString(1, PAGE_TOKEN_KEY);
                    insert.setBytes(2, drawn);
                    insert.executeUpdate();
                }
                try (PreparedStatement select = c.prepareStatement("SELECT value FROM fleet_secrets WHERE name = ?")) {
                    select.setString(1, PAGE_TOKEN_KEY);
                    try (ResultSet rows = select.executeQuery()) {
                        rows.next();
                        return rows.getBytes(1);
                    }
                }
            });
            pageTokenKey = key;
        }
        return key.clone();
    }

    /**
     * Every node registered in the store, by name.
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public List<FleetNode> nodes() {
        return store.read("read the fleet's nodes", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name, address, epoch, renewed, lease_expires, "
                    + "lease_expires > " + now() + " AS live, stopped, lost_at, lost_by, lost_tasks FROM nodes "
                    + "ORDER BY name")) {
                s.setLong(1, offsetMicros());
                List<FleetNode> nodes = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        long lost = rows.getLong("lost_tasks");
                        nodes.add(new FleetNode(rows.getString("name"), rows.getString("address"), rows.getLong("epoch"),
                                instant(rows, "renewed"), instant(rows, "lease_expires"), rows.getBoolean("live"),
                                rows.getObject("stopped") != null, instant(rows, "lost_at"), rows.getString("lost_by"),
                                (int) lost));
                    }
                }
                return nodes;
            }
        });
    }

    // ---------------------------------------------------------------- lease

    /** The database's clock, shifted by the lease clock's offset (zero unless a test moves it); one parameter. */
    private static String now() {
        return "(clock_timestamp() + ? * interval '1 microsecond')";
    }

    private long offsetMicros() {
        Clock clock = settings.leaseClock();
        return clock == null ? 0 : ChronoUnit.MICROS.between(Instant.now(), clock.instant());
    }

    private String leaseSeconds() {
        return micros(settings.leaseDuration().toNanos());
    }

    private static String micros(long nanos) {
        return "(" + nanos / 1000 + " * interval '1 microsecond')";
    }

    /**
     * Registers this node under a new epoch. A name whose lease still runs is refused while its holder
     * renews it; a holder that has not renewed for two lease intervals is taken for a previous run of
     * this node that died (a restart after {@code kill -9}), so a start waits at most that long to tell
     * the two apart (on the real clock: it is the database's time that passes). Runs before the store
     * records the previous run's tasks as interrupted, so that a second server started with a live
     * node's name cannot touch that node's tasks.
     *
     * @throws HistoryStoreException if a live node holds the name, or the store cannot be written
     */
    void register() throws SQLException {
        long staleNanos = 2 * settings.leaseInterval().toNanos();
        long deadline = System.nanoTime() + staleNanos + TimeUnit.SECONDS.toNanos(1);
        OffsetDateTime seen = null;
        while (true) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                long wall = TaskRows.nanos(wallClock.instant());
                try (PreparedStatement s = c.prepareStatement("INSERT INTO nodes (name, started, heartbeat) "
                        + "VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                    s.setString(1, node);
                    s.setLong(2, wall);
                    s.setLong(3, wall);
                    s.executeUpdate();
                }
                OffsetDateTime lease;
                OffsetDateTime renewed;
                String holder;
                boolean live;
                boolean stopped;
                Instant lostAt;
                String lostBy;
                int lostTasks;
                try (PreparedStatement s = c.prepareStatement("SELECT address, lease_expires, renewed, "
                        + "lease_expires > " + now() + " AND renewed > " + now() + " - " + micros(staleNanos)
                        + " AS live, stopped, lost_at, lost_by, lost_tasks FROM nodes WHERE name = ? FOR UPDATE")) {
                    s.setLong(1, offsetMicros());
                    s.setLong(2, offsetMicros());
                    s.setString(3, node);
                    try (ResultSet rows = s.executeQuery()) {
                        rows.next();
                        holder = rows.getString("address");
                        lease = rows.getObject("lease_expires", OffsetDateTime.class);
                        renewed = rows.getObject("renewed", OffsetDateTime.class);
                        live = rows.getBoolean("live");
                        stopped = rows.getObject("stopped") != null;
                        lostAt = instant(rows, "lost_at");
                        lostBy = rows.getString("lost_by");
                        lostTasks = rows.getInt("lost_tasks");
                    }
                }
                if (live && !stopped && lostAt == null) {
                    c.rollback();
                    if ((seen != null && !seen.equals(renewed)) || System.nanoTime() - deadline >= 0) {
                        throw new HistoryStoreException("node name " + node + " is held by a live node"
                                + (holder == null ? "" : " at " + holder) + " (its lease runs until " + lease.toInstant()
                                + " and is being renewed); give this server another --node-name");
                    }
                    seen = renewed;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
                    continue;
                }
                try (PreparedStatement s = c.prepareStatement("UPDATE nodes SET epoch = epoch + 1, address = ?, "
                        + "renewed = " + now() + ", lease_expires = " + now() + " + " + leaseSeconds()
                        + ", lost_at = NULL, lost_by = NULL, lost_tasks = NULL WHERE name = ? "
                        + "RETURNING epoch, renewed, lease_expires")) {
                    s.setString(1, settings.address());
                    s.setLong(2, offsetMicros());
                    s.setLong(3, offsetMicros());
                    s.setString(4, node);
                    try (ResultSet rows = s.executeQuery()) {
                        rows.next();
                        epoch = rows.getLong(1);
                        lastRenewed = instant(rows, "renewed");
                        heldSince = lastRenewed;
                        heldUntil = instant(rows, "lease_expires");
                    }
                }
                c.commit();
                registered = true;
                if (lostAt != null && !stopped) {
                    LOG.log(System.Logger.Level.WARNING, "Node " + node + " was declared lost by " + lostBy + " at "
                            + lostAt.truncatedTo(ChronoUnit.MILLIS) + " while it was away (" + lostTasks
                            + " unfinished tasks recorded as failed: node lost); registered again as epoch " + epoch);
                }
                return;
            }
        }
    }

    /**
     * One round of the lease, now: renews it (or, if this node was declared lost meanwhile, aborts the
     * tasks it still runs and registers again) and reads the other nodes' addresses. The lease thread
     * runs it every lease interval; tests call it to drive the lease with a fake clock.
     *
     * @return whether this node holds its lease after the round
     * @throws HistoryStoreException if the store cannot be written
     */
    public boolean renewLease() {
        try {
            if (!registered) {
                register();
            } else {
                boolean renewed = false;
                try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("UPDATE nodes SET "
                        + "renewed = " + now() + ", lease_expires = " + now() + " + " + leaseSeconds()
                        + " WHERE name = ? AND epoch = ? AND lost_at IS NULL RETURNING renewed, lease_expires")) {
                    s.setLong(1, offsetMicros());
                    s.setLong(2, offsetMicros());
                    s.setString(3, node);
                    s.setLong(4, epoch);
                    try (ResultSet rows = s.executeQuery()) {
                        if (rows.next()) {
                            renewed = true;
                            Instant at = instant(rows, "renewed");
                            if (heldUntil == null || at.isAfter(heldUntil)) {
                                heldSince = at; // the lease had lapsed (a database outage, a long pause)
                            }
                            lastRenewed = at;
                            heldUntil = instant(rows, "lease_expires");
                        }
                    }
                }
                if (!renewed) {
                    declaredLost();
                }
            }
            refreshAddresses();
            for (String module : taskManager.moduleNames()) {
                attach(module);
            }
            return registered;
        } catch (SQLException e) {
            throw new HistoryStoreException(db.description + ": cannot renew the lease of node " + node + ": "
                    + Database.rootMessage(e), e);
        }
    }

    /** The renewal was refused: another node claimed this epoch. Abort what still runs here, register again. */
    private void declaredLost() throws SQLException {
        registered = false;
        String by = "?";
        Instant at = null;
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT lost_by, lost_at, lost_tasks FROM nodes WHERE name = ?")) {
            s.setString(1, node);
            try (ResultSet rows = s.executeQuery()) {
                if (rows.next()) {
                    by = rows.getString("lost_by");
                    at = instant(rows, "lost_at");
                }
            }
        }
        String reason = "node lost: this node (" + node + ") was declared lost by " + by
                + (at == null ? "" : " at " + at.truncatedTo(ChronoUnit.MILLIS));
        int aborted = 0;
        for (String module : taskManager.moduleNames()) {
            Optional<TaskModule> m = taskManager.findModule(module);
            if (m.isEmpty()) {
                continue;
            }
            for (TaskStats stats : (Iterable<TaskStats>) m.get().tasks(TaskFilter.DEFAULT.withInternal(true))::iterator) {
                if (stats.state().isTerminal() || stats.kind() != TaskKind.NODE && !coordinated.containsKey(stats.id())) {
                    continue;
                }
                Task task = coordinated.get(stats.id());
                if (task == null) {
                    task = taskManager.find(stats.id()).filter(t -> !(t instanceof RemoteTask)).orElse(null);
                }
                if (task != null && !task.state().isTerminal()) {
                    task.abort(reason, FLEET_REQUESTER);
                    aborted++;
                }
            }
        }
        LOG.log(System.Logger.Level.ERROR, "This node (" + node + ", epoch " + epoch + ") stopped renewing its lease "
                + "long enough to be declared lost by " + by + (at == null ? "" : " at " + at) + "; its unfinished "
                + "tasks were recorded as failed (node lost). Aborted the " + aborted + " tasks it still ran; "
                + "registering again");
        register();
    }

    private void refreshAddresses() throws SQLException {
        Map<String, String> read = new HashMap<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT name, address FROM nodes WHERE address IS NOT NULL")) {
            while (rows.next()) {
                read.put(rows.getString(1), rows.getString(2));
            }
        }
        addresses = Map.copyOf(read);
    }

    // ---------------------------------------------------------------- lost nodes

    /**
     * Looks for nodes whose lease expired and that no survivor claimed yet, and claims each: in one
     * transaction per node, under its row lock ({@code FOR UPDATE SKIP LOCKED}, so exactly one survivor
     * claims a node), records its unfinished tasks as {@code failed} with
     * {@code node lost: N stopped renewing its lease at T}, marks the node lost and announces the final
     * states. The lease thread runs it every lease interval; tests call it to drive the claim.
     *
     * <p>A node claims nothing until it has held its own lease without a lapse for one lease duration
     * (since it registered, or since a renewal that came after its lease had run out): when the
     * database was down longer than a lease, every lease lapsed, and the first node back must not
     * declare the others lost before they could renew.
     *
     * @return the names of the nodes this call claimed
     * @throws HistoryStoreException if the store cannot be written
     */
    public List<String> claimLostNodes() {
        List<String> claimed = new ArrayList<>();
        Instant since = heldSince;
        Instant last = lastRenewed;
        if (!registered || since == null || last == null
                || Duration.between(since, last).compareTo(settings.leaseDuration()) < 0) {
            // Not before this node has held its own lease for a whole lease: after a database outage
            // every node's lease lapsed, and each must get the chance to renew before any is claimed.
            return claimed;
        }
        try {
            while (claimOne(claimed)) {
                // one node per transaction
            }
        } catch (SQLException e) {
            throw new HistoryStoreException(db.description + ": cannot claim lost nodes: " + Database.rootMessage(e), e);
        }
        return claimed;
    }

    private boolean claimOne(List<String> claimed) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            String lost;
            long lostEpoch;
            Instant renewed;
            boolean stopped;
            try (PreparedStatement s = c.prepareStatement("SELECT name, epoch, renewed, stopped FROM nodes WHERE "
                    + "lease_expires < " + now() + " AND lost_at IS NULL AND name <> ? AND NOT (name = ANY (?)) "
                    + "ORDER BY name LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                s.setLong(1, offsetMicros());
                s.setString(2, node);
                s.setArray(3, c.createArrayOf("text", claimed.toArray()));
                try (ResultSet rows = s.executeQuery()) {
                    if (!rows.next()) {
                        c.rollback();
                        return false;
                    }
                    lost = rows.getString("name");
                    lostEpoch = rows.getLong("epoch");
                    renewed = instant(rows, "renewed");
                    stopped = rows.getObject("stopped") != null;
                }
            }
            long seen = renewed != null ? TaskRows.nanos(renewed) : TaskRows.nanos(wallClock.instant());
            long wall = TaskRows.nanos(wallClock.instant());
            String error = "node lost: " + lost + " stopped renewing its lease at " + Writer.format(seen);
            String ended = db.dialect.greatest("?", db.dialect.greatest("written", "COALESCE(started, created)"));
            List<UUID> failed = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE tasks SET state = 'failed', error = ?, ended = "
                    + ended + ", updated = " + ended + ", stalled = false, rate = NULL, eta_millis = NULL, written = ? "
                    + "WHERE node = ? AND state IN " + TaskRows.UNFINISHED + " RETURNING id")) {
                s.setString(1, error);
                s.setLong(2, seen);
                s.setLong(3, seen);
                s.setLong(4, wall);
                s.setString(5, lost);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        failed.add(db.dialect.getId(rows, "id"));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE nodes SET lost_at = " + now()
                    + ", lost_by = ?, lost_tasks = ? WHERE name = ? AND epoch = ?")) {
                s.setLong(1, offsetMicros());
                s.setString(2, node);
                s.setInt(3, failed.size());
                s.setString(4, lost);
                s.setLong(5, lostEpoch);
                s.executeUpdate();
            }
            notifyFinals(c, failed);
            c.commit();
            claimed.add(lost);
            if (!failed.isEmpty() || !stopped) {
                LOG.log(System.Logger.Level.WARNING, "Node " + lost + " stopped renewing its lease at "
                        + Writer.format(seen) + "; this node (" + node + ") recorded its " + failed.size()
                        + " unfinished tasks as failed (node lost)");
            }
            return true;
        }
    }

    /**
     * Announces final states written in {@code c}'s transaction: delivered to every listening node
     * when it commits, as {@value #FINAL_CHANNEL} notifications of at most {@value #PAYLOAD_IDS} ids.
     */
    static void notifyFinals(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify('" + FINAL_CHANNEL + "', ?)")) {
            for (int from = 0; from < ids.size(); from += PAYLOAD_IDS) {
                StringBuilder payload = new StringBuilder(37 * PAYLOAD_IDS);
                for (UUID id : ids.subList(from, Math.min(ids.size(), from + PAYLOAD_IDS))) {
                    if (payload.length() > 0) {
                        payload.append(',');
                    }
                    payload.append(id);
                }
                s.setString(1, payload.toString());
                s.executeQuery().close();
            }
        }
    }

    // ---------------------------------------------------------------- aborts

    /** What became of an abort asked of another node's task. */
    public enum AbortOutcome {
        /** Recorded and announced to the node that runs the task. */
        REQUESTED,
        /** The store has no such task. */
        NOT_FOUND,
        /** The task is this node's: abort it here. */
        LOCAL,
        /** The task may not be aborted through the API. */
        NOT_ABORTABLE,
        /** The task already ended. */
        FINISHED
    }

    /**
     * The answer to {@link #requestAbort}.
     *
     * @param outcome what happened
     * @param task    the task as the store last had it, or {@code null} when not found
     */
    public record AbortAnswer(AbortOutcome outcome, StoredTask task) {
    }

    /**
     * Asks the node that runs a task to abort it: records the request in {@code abort_requests} and
     * notifies that node, which applies it with {@link Task#abort(String, String)} at once (or at its
     * next poll if it missed the notification). The first request for a task wins. Returns without
     * waiting for the task to stop. Aborts asked through the API check {@code abortable} first; this
     * does, too.
     *
     * @param reason      the reason, or {@code null}
     * @param requestedBy who asks, or {@code null}
     * @throws HistoryStoreException if the store cannot be read or written
     */
    public AbortAnswer requestAbort(UUID id, String reason, String requestedBy) {
        Objects.requireNonNull(id, "id");
        Optional<StoredTask> found = store.find(id);
        if (found.isEmpty()) {
            return new AbortAnswer(AbortOutcome.NOT_FOUND, null);
        }
        StoredTask task = found.get();
        if (task.node().equals(node)) {
            return new AbortAnswer(AbortOutcome.LOCAL, task);
        }
        if (task.status().state().isTerminal()) {
            return new AbortAnswer(AbortOutcome.FINISHED, task);
        }
        if (!task.status().abortable()) {
            return new AbortAnswer(AbortOutcome.NOT_ABORTABLE, task);
        }
        file(List.of(new Target(id, task.node())), reason, requestedBy);
        return new AbortAnswer(AbortOutcome.REQUESTED, task);
    }

    /** A task to abort and the node that runs it. */
    private record Target(UUID id, String node) {
    }

    private void file(List<Target> targets, String reason, String requestedBy) {
        if (targets.isEmpty()) {
            return;
        }
        store.read("record an abort request", c -> {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO abort_requests (task_id, target_node, reason, "
                        + "requested_by, requested_at, requested_on) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (task_id) DO NOTHING")) {
                    long at = TaskRows.nanos(wallClock.instant());
                    for (Target target : targets) {
                        db.dialect.setId(s, 1, target.id());
                        s.setString(2, target.node());
                        s.setString(3, TaskRows.clean(reason == null ? "" : reason));
                        s.setString(4, TaskRows.clean(requestedBy == null ? "" : requestedBy));
                        s.setLong(5, at);
                        s.setString(6, node);
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                try (PreparedStatement s = c.prepareStatement("SELECT pg_notify('" + ABORT_CHANNEL + "', ?)")) {
                    for (String target : targets.stream().map(Target::node).distinct().toList()) {
                        s.setString(1, target);
                        s.executeQuery().close();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    /** Applies the abort requests pending for this node, and marks them delivered. */
    private void deliverAborts() throws SQLException {
        List<UUID> delivered = new ArrayList<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT task_id, reason, requested_by FROM abort_requests "
                    + "WHERE target_node = ? AND delivered_at IS NULL")) {
                s.setString(1, node);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        UUID id = db.dialect.getId(rows, "task_id");
                        String reason = rows.getString("reason");
                        String by = rows.getString("requested_by");
                        Task task = local(id);
                        if (task != null) {
                            task.abort(reason.isEmpty() ? null : reason, by.isEmpty() ? null : by);
                        }
                        delivered.add(id);
                    }
                }
            }
            if (delivered.isEmpty()) {
                return;
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE abort_requests SET delivered_at = ? "
                    + "WHERE task_id = ANY (?)")) {
                s.setLong(1, TaskRows.nanos(wallClock.instant()));
                s.setArray(2, uuids(c, delivered));
                s.executeUpdate();
            }
        }
    }

    /** A task registered in this node's task manager (not a view of another node's). */
    private Task local(UUID id) {
        Task coordinatedHere = coordinated.get(id);
        if (coordinatedHere != null) {
            return coordinatedHere;
        }
        return taskManager.find(id).filter(t -> !(t instanceof RemoteTask)).orElse(null);
    }

    /** A cluster task coordinated here was asked to abort: its parts on other nodes are asked too. */
    private void cascade() {
        List<Cascade> asked = new ArrayList<>();
        for (Cascade cascade; (cascade = cascades.poll()) != null; ) {
            asked.add(cascade);
        }
        for (Cascade cascade : asked) {
            UUID id = cascade.id();
            AbortRequest request = cascade.request();
            List<Target> targets = new ArrayList<>();
            for (StoredTask child : store.children(id)) {
                if (!child.node().equals(node) && !child.status().state().isTerminal()) {
                    targets.add(new Target(child.status().id(), child.node()));
                }
            }
            file(targets, request == null ? null : request.reason(), request == null ? null : request.requestedBy());
        }
    }

    // ---------------------------------------------------------------- remote tasks and waits

    /**
     * A handle on another node's task, as the store last had it: its status is read again on each
     * {@link Task#status()}, {@link Task#done()} completes when that node records the final state
     * (announced by notification, or found by the poll), and {@link Task#abort(String, String)} asks
     * that node. Empty if the store has no such task or it is this node's.
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public Optional<RemoteTask> remote(UUID id) {
        return store.find(id).filter(t -> !t.node().equals(node)).map(t -> new RemoteTask(this, t));
    }

    /**
     * A future completed with the task's final state once stored; detached when cancelled or completed.
     * Registered first, then the store is read once: a final state committed before the registration
     * (whose notification found nobody waiting) is found by that read, one committed after it is
     * announced to the registered future.
     */
    CompletableFuture<TaskStatus> watch(UUID id) {
        CompletableFuture<TaskStatus> done = new CompletableFuture<>();
        watched.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(done);
        done.whenComplete((status, error) -> watched.computeIfPresent(id, (k, set) -> {
            set.remove(done);
            return set.isEmpty() ? null : set;
        }));
        try {
            releaseEnded(List.of(id));
        } catch (SQLException | RuntimeException e) {
            pollNow = true; // the next poll reads it
            wake();
        }
        return done;
    }

    /** How many tasks of other nodes are waited for now; for tests. */
    int watchedCount() {
        return watched.size();
    }

    /** Completes the waits on those of {@code ids} that ended, reading them from the store. */
    private void releaseEnded(Collection<UUID> ids) throws SQLException {
        List<UUID> waited = new ArrayList<>();
        for (UUID id : ids) {
            if (watched.containsKey(id)) {
                waited.add(id);
            }
        }
        if (waited.isEmpty()) {
            return;
        }
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT "
                + TaskRows.SELECT_LIST + " FROM tasks WHERE id = ANY (?) AND state IN ('done', 'failed')")) {
            s.setArray(1, uuids(c, waited));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    StoredTask ended = TaskRows.read(rows, db.dialect);
                    TaskStatus status = ended.status().kind() == TaskKind.CLUSTER
                            ? ClusterTasks.view(store, ended, node, null) : ended.status();
                    Set<CompletableFuture<TaskStatus>> futures = watched.get(status.id());
                    if (futures != null) {
                        for (CompletableFuture<TaskStatus> future : List.copyOf(futures)) {
                            future.complete(status);
                        }
                    }
                }
            }
        }
    }

    private static Array uuids(Connection c, List<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    // ---------------------------------------------------------------- cluster tasks

    /** The listener that follows the cluster tasks coordinated here. */
    final TaskListener clusterListener = new TaskListener() {
        @Override
        public void onCreated(Task task) {
            if (task.kind() == TaskKind.CLUSTER) {
                coordinated.put(task.id(), task);
                attach(task.module());
            }
        }

        @Override
        public void onAbortRequested(Task task, AbortRequest request) {
            if (coordinated.containsKey(task.id())) {
                cascades.add(new Cascade(task.id(), request));
                wake();
            }
        }

        @Override
        public void onUnregistered(Task task) {
            coordinated.remove(task.id());
        }
    };

    /** Attaches the fleet's cluster task provider to a module (idempotent). */
    void attach(String module) {
        taskManager.findModule(module).ifPresent(m -> {
            ClusterTasks provider = providers.computeIfAbsent(module, name -> new ClusterTasks(this, store, name));
            m.clusterTasks(provider);
        });
    }

    TaskManager taskManager() {
        return taskManager;
    }

    HistoryStore store() {
        return store;
    }

    /** The store's wall clock, for the times the fleet compares with the tasks' own. */
    Clock wallClock() {
        return wallClock;
    }

    // ---------------------------------------------------------------- threads

    void start() {
        for (String module : taskManager.moduleNames()) {
            attach(module);
        }
        Thread lease = new Thread(this::leaseLoop, "taskmanager-fleet-lease");
        lease.setDaemon(true);
        leaseThread = lease;
        Thread listen = new Thread(listener::run, "taskmanager-fleet-listener");
        listen.setDaemon(true);
        listenThread = listen;
        lease.start();
        listen.start();
    }

    private void wake() {
        Thread t = leaseThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Renewals and claims every lease interval; polls every poll interval; cascades when asked. On the
     * real clock, whatever the store's ticker: leases run on the database's clock, which does not stop.
     */
    private void leaseLoop() {
        boolean failing = false;
        long nextLease = System.nanoTime();
        long nextPoll = System.nanoTime();
        while (!closing) {
            long now = System.nanoTime();
            try {
                if (now - nextLease >= 0) {
                    nextLease = now + settings.leaseInterval().toNanos();
                    renewLease();
                    claimLostNodes();
                }
                if (pollNow || now - nextPoll >= 0) {
                    pollNow = false;
                    nextPoll = now + settings.pollInterval().toNanos();
                    deliverAborts();
                    releaseEnded(List.copyOf(watched.keySet()));
                    purgeDelivered();
                }
                if (!cascades.isEmpty()) {
                    cascade();
                }
                if (failing) {
                    failing = false;
                    LOG.log(System.Logger.Level.INFO, "Fleet rounds of node " + node + " work again");
                }
            } catch (SQLException | RuntimeException e) {
                if (!failing) { // once per outage, not once per round
                    failing = true;
                    LOG.log(System.Logger.Level.WARNING, "Fleet round of node " + node + " failed: " + e.getMessage()
                            + "; retrying every lease interval");
                }
            }
            long wait = Math.min(nextLease, nextPoll) - System.nanoTime();
            if (wait > 0 && cascades.isEmpty() && !closing) {
                LockSupport.parkNanos(Math.min(wait, settings.leaseInterval().toNanos()));
            }
        }
    }

    private void purgeDelivered() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM abort_requests WHERE delivered_at < ?")) {
            s.setLong(1, TaskRows.nanos(wallClock.instant()) - DELIVERED_KEPT_NANOS);
            s.executeUpdate();
        }
    }

    /**
     * The one listening connection of this node (outside the pool): abort requests for this node and
     * final states for the waits on other nodes' tasks. Reconnects with back-off when the connection
     * drops, and asks the lease thread for a poll then, since notifications sent meanwhile are lost.
     */
    private final class Listener {
        void run() {
            long backoff = 0;
            while (!closing) {
                try (Connection c = db.dedicatedConnection()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("LISTEN " + ABORT_CHANNEL);
                        s.execute("LISTEN " + FINAL_CHANNEL);
                    }
                    backoff = 0;
                    pollNow = true; // whatever was sent before this LISTEN is read by a poll
                    wake();
                    PGConnection pg = c.unwrap(PGConnection.class);
                    while (!closing) {
                        PGNotification[] notifications = pg.getNotifications((int) LISTEN_TIMEOUT_MILLIS);
                        if (notifications != null && notifications.length > 0) {
                            handle(notifications);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    if (closing) {
                        return;
                    }
                    backoff = backoff == 0 ? 50 : Math.min(5_000, backoff * 2);
                    LOG.log(System.Logger.Level.WARNING, "Fleet listener of node " + node + " lost its connection ("
                            + Database.rootMessage(e) + "); reconnecting in " + backoff + " ms");
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                }
            }
        }

        private void handle(PGNotification[] notifications) {
            boolean aborts = false;
            List<UUID> ended = new ArrayList<>();
            for (PGNotification n : notifications) {
                if (n.getName().equals(ABORT_CHANNEL)) {
                    aborts |= node.equals(n.getParameter());
                } else if (n.getName().equals(FINAL_CHANNEL) && !watched.isEmpty()) {
                    for (String id : n.getParameter().split(",")) {
                        try {
                            UUID parsed = UUID.fromString(id);
                            if (watched.containsKey(parsed)) {
                                ended.add(parsed);
                            }
                        } catch (IllegalArgumentException e) {
                            // not ours: ignore
                        }
                    }
                }
            }
            try {
                if (aborts) {
                    deliverAborts();
                }
                releaseEnded(ended);
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Fleet node " + node + " could not act on a notification ("
                        + e.getMessage() + "); the next poll will");
                pollNow = true;
            }
        }
    }

    /** Stops the threads, then releases the lease so that the name can be used again at once. */
    void close() {
        stopThreads();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("UPDATE nodes SET "
                + "lease_expires = " + now() + " WHERE name = ? AND epoch = ? AND lost_at IS NULL")) {
            s.setLong(1, offsetMicros());
            s.setString(2, node);
            s.setLong(3, epoch);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not release the lease of node " + node + ": " + e.getMessage());
        }
        watched.values().forEach(set -> List.copyOf(set).forEach(f -> f.cancel(false)));
    }

    /** Stops the threads without releasing anything: a crash, for tests. */
    void stopThreads() {
        closing = true;
        for (Thread t : new Thread[] {leaseThread, listenThread}) {
            if (t != null) {
                LockSupport.unpark(t);
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (Map.Entry<String, ClusterTasks> entry : providers.entrySet()) {
            taskManager.findModule(entry.getKey()).ifPresent(m -> m.clusterTasks(null));
        }
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** How long a lease lasts; for messages. */
    Duration leaseDuration() {
        return settings.leaseDuration();
    }
}
