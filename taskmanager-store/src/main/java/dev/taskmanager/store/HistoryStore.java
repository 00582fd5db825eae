package dev.taskmanager.store;

import dev.taskmanager.TaskCursor;
import dev.taskmanager.TaskFilter;
import dev.taskmanager.TaskManager;
import dev.taskmanager.TaskQuery;
import dev.taskmanager.TaskStats;
import dev.taskmanager.Ticker;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Durable task history: records every task of a {@link TaskManager} in SQLite or PostgreSQL, so that
 * nothing a user saw is lost across a restart or a {@code kill -9}, and reads it back.
 *
 * <pre>{@code
 * HistoryStore history = HistoryStore.builder()
 *         .sqlite(dataDirectory.resolve("history"))      // or .postgres("jdbc:postgresql://db/tasks")
 *         .nodeName("node-1")
 *         .taskManager(tm)                               // record its tasks
 *         .open();                                       // migrate, recover, start the writer
 * history.find(id).ifPresent(stored -> ...);             // a task that left memory, by id
 * history.close();                                       // after tm.close(): writes what is left
 * }</pre>
 *
 * <p><b>Writing.</b> The store listens to the task manager; its listener only marks a task dirty in a
 * map keyed by id (memory bounded by the number of tasks, never by the event rate), and one writer
 * thread upserts what is due in batches, one transaction per batch: final states as soon as they
 * happen, running tasks at most once per {@linkplain Builder#checkpointInterval checkpoint interval}.
 * A store that is down or full does not slow the task threads: the writer keeps what it could not
 * write, retries with back-off and catches up (see {@link #health()}). See {@link Writer}.
 *
 * <p><b>Restart.</b> Opening the store records every task it holds as unfinished for this
 * {@linkplain Builder#nodeName node} (and that is not registered in the task manager now) as
 * {@code failed} with the error {@code interrupted: the server stopped (last seen at T)}, keeping its
 * last checkpointed progress: its server stopped without finishing it.
 *
 * <p><b>Reading.</b> {@link #find}, {@link #tree}, {@link #query} (the core's {@link TaskQuery}, with
 * its order and cursor, so that its pages merge with {@code TaskManager.query}'s), {@link #count} and
 * {@link #recent} return what was last written: a finished task's final status, an unfinished
 * one's last checkpoint (at most one interval old).
 *
 * <p>Thread-safe. Reads may run on any thread, concurrently with the writer.
 */
public final class HistoryStore implements AutoCloseable {
    /** How the error of a task whose server stopped before it finished begins. */
    public static final String INTERRUPTED = "interrupted";
    /** The most tasks {@link #tree} returns. */
    public static final int MAX_TREE = 100_000;

    private final Database db;
    private final Settings settings;
    private final TaskManager taskManager;
    private final Recorder recorder;
    private final Health health;
    private final Writer writer;
    private final int interrupted;
    private final WriterLock lock;
    private final Fleet fleet;
    private volatile boolean closed;

    private HistoryStore(Builder b, Database db, Settings settings, WriterLock lock) throws SQLException {
        this.db = db;
        this.lock = lock;
        this.settings = settings;
        this.taskManager = b.taskManager;
        ConcurrentHashMap<UUID, Object> dirty = new ConcurrentHashMap<>();
        this.recorder = new Recorder(dirty);
        Clock clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.health = new Health(db.description, clock, dirty::size);
        if (taskManager == null) {
            this.writer = null;
            this.fleet = null;
            this.interrupted = 0;
            return;
        }
        Ticker ticker = b.ticker != null ? b.ticker : Ticker.SYSTEM;
        this.writer = new Writer(db, settings, recorder, health, clock, ticker, taskManager);
        health.countsFrom(writer::pending, recorder.dropped::sum);
        if (db.dialect instanceof Dialect.Postgres) {
            this.fleet = new Fleet(db, this, settings.node(), b.fleetSettings(settings.node()), taskManager, clock);
            fleet.register(); // before recovery: a live node's name is refused before its tasks are touched
            writer.announceFinals = true;
        } else {
            this.fleet = null;
        }
        this.interrupted = writer.recover(registeredIds(taskManager));
        taskManager.addListener(recorder);
        // tasks that existed before the store was attached: written like new ones
        taskManager.moduleNames().forEach(name -> taskManager.findModule(name).ifPresent(m ->
                m.tasks(TaskFilter.DEFAULT.withInternal(true))
                        .forEach(stats -> taskManager.find(stats.id()).ifPresent(recorder::mark))));
        if (!b.manualWriter) {
            writer.start();
        }
        if (fleet != null) {
            taskManager.addListener(fleet.clusterListener);
            fleet.start();
        }
    }

    /**
     * This server as a node of a fleet: present when the store is PostgreSQL and records a task
     * manager (docs/scaling.md); empty for SQLite and for a store that only reads.
     */
    public Optional<Fleet> fleet() {
        return Optional.ofNullable(fleet);
    }

    /**
     * The stored tasks whose parent is {@code id}, in creation order, at most 10,000: a cluster
     * task's children on every node.
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public List<StoredTask> children(UUID id) {
        Objects.requireNonNull(id, "id");
        return read("read the children of task " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + TaskRows.SELECT_LIST
                    + " FROM tasks WHERE parent_id = ? ORDER BY created, id LIMIT 10000")) {
                db.dialect.setId(s, 1, id);
                List<StoredTask> children = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        children.add(TaskRows.read(rows, db.dialect));
                    }
                }
                return children;
            }
        });
    }

    private static Set<UUID> registeredIds(TaskManager tm) {
        Set<UUID> ids = new HashSet<>();
        for (String name : tm.moduleNames()) {
            tm.findModule(name).ifPresent(m -> m.tasks(TaskFilter.DEFAULT.withInternal(true))
                    .map(TaskStats::id).forEach(ids::add));
        }
        return ids;
    }

    /** A builder; choose the engine with {@link Builder#sqlite} or {@link Builder#postgres}. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- reads

    /**
     * The task with this id as last written, or empty if the store never had it (or retention
     * removed it).
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public Optional<StoredTask> find(UUID id) {
        Objects.requireNonNull(id, "id");
        return read("find task " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + TaskRows.SELECT_LIST + " FROM tasks WHERE id = ?")) {
                db.dialect.setId(s, 1, id);
                try (ResultSet rows = s.executeQuery()) {
                    return rows.next() ? Optional.of(TaskRows.read(rows, db.dialect)) : Optional.empty();
                }
            }
        });
    }

    /**
     * The task and its stored descendants, breadth-first: the task first, then each level in creation
     * order, at most {@code maxTasks} of them (a finished tree's every task was stored, not only the
     * failure paths its root's status lists). Empty if the task is not stored.
     *
     * @throws IllegalArgumentException if {@code maxTasks} is not between 1 and {@value #MAX_TREE}
     * @throws HistoryStoreException    if the store cannot be read
     */
    public List<StoredTask> tree(UUID id, int maxTasks) {
        Objects.requireNonNull(id, "id");
        if (maxTasks < 1 || maxTasks > MAX_TREE) {
            throw new IllegalArgumentException("maxTasks must be between 1 and " + MAX_TREE + ", got " + maxTasks);
        }
        String sql = "WITH RECURSIVE subtree (id, depth) AS (SELECT id, 0 FROM tasks WHERE id = ? "
                + "UNION ALL SELECT t.id, s.depth + 1 FROM tasks t JOIN subtree s ON t.parent_id = s.id) "
                + "SELECT " + TaskRows.SELECT_LIST + " FROM subtree JOIN tasks ON tasks.id = subtree.id "
                + "ORDER BY subtree.depth, tasks.created, tasks.id LIMIT ?";
        return read("read the tree of task " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                db.dialect.setId(s, 1, id);
                s.setInt(2, maxTasks);
                List<StoredTask> tree = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        tree.add(TaskRows.read(rows, db.dialect));
                    }
                }
                return tree;
            }
        });
    }

    /**
     * The newest root tasks of a module, newest first (by creation, then id): what a dashboard or the
     * demo shows as "recent operations", whether they are still in memory or not.
     *
     * @throws IllegalArgumentException if {@code limit} is not between 1 and 10,000
     * @throws HistoryStoreException    if the store cannot be read
     */
    public List<StoredTask> recent(String module, int limit) {
        Objects.requireNonNull(module, "module");
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000, got " + limit);
        }
        // the limit written out, not bound: see QuerySpec.page
        String sql = "SELECT " + TaskRows.SELECT_LIST + " FROM tasks WHERE module = ? AND parent_id IS NULL "
                + "ORDER BY created DESC, id DESC LIMIT " + limit;
        return read("read the recent tasks of module " + module, c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, module);
                List<StoredTask> tasks = new ArrayList<>();
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        tasks.add(TaskRows.read(rows, db.dialect));
                    }
                }
                return tasks;
            }
        });
    }

    /**
     * A page of stored tasks that match {@code query}, with the core's semantics (docs/spec.md §22):
     * the same filters, the same order ({@code (created, id)}, or {@code (sequence, created, id)}),
     * the same cursor, so that the v2 API can merge it with {@code TaskManager.query} of the same query
     * into one stable page stream (docs/history.md). Stored tasks that are still registered are
     * included (their row is the last checkpoint); the merge prefers the live one.
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public HistoryPage query(TaskQuery query) {
        return query(query, null);
    }

    /**
     * {@link #query(TaskQuery)} restricted to the tasks one node ran ({@code node} is its
     * {@linkplain Builder#nodeName name}); {@code null} for every node's.
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public HistoryPage query(TaskQuery query, String node) {
        Page page = page(spec(query, node));
        TaskCursor next = page.more()
                ? TaskCursor.after(page.tasks().get(page.tasks().size() - 1).status().toStats()) : null;
        return new HistoryPage(page.tasks(), next);
    }

    /**
     * How many stored tasks match {@code query}, its cursor and limit aside.
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public long count(TaskQuery query) {
        return count(query, null);
    }

    /**
     * How many stored tasks of one node ({@code null}: of every node) match {@code query}, its cursor
     * and limit aside.
     *
     * @throws HistoryStoreException if the store cannot be read
     */
    public long count(TaskQuery query, String node) {
        return count(spec(query, node));
    }

    /** The core's query in the store's terms. */
    static QuerySpec spec(TaskQuery q) {
        return spec(q, null);
    }

    /** The core's query in the store's terms, for one node's tasks or ({@code null}) every node's. */
    static QuerySpec spec(TaskQuery q, String node) {
        Set<String> states = new HashSet<>();
        q.states().forEach(state -> states.add(state.wireName()));
        TaskCursor cursor = q.cursor();
        return new QuerySpec(q.module(), states, q.type(), q.kind() == null ? null : q.kind().name(), q.scope(),
                q.keyspace(), q.table(), q.entityPrefix(), q.parent(), q.labels(), q.createdFrom(), q.createdTo(),
                q.finishedFrom(), q.finishedTo(), q.userTask(), q.includeInternal(),
                q.order() == TaskQuery.Order.SEQUENCE, q.descending(), q.limit(),
                cursor == null ? null : new QuerySpec.Key(cursor.sequenceNumber(), cursor.createdTime(), cursor.id()),
                node);
    }

    /** A page of stored tasks, at most {@code limit}, and whether more match after it. */
    record Page(List<StoredTask> tasks, boolean more) {
    }

    /** The page a query asks for. */
    Page page(QuerySpec query) {
        QuerySpec.Sql sql = query.page(db.dialect);
        return read("query tasks", c -> {
            try (PreparedStatement s = c.prepareStatement(sql.text)) {
                sql.bind(s);
                List<StoredTask> tasks = new ArrayList<>();
                boolean more = false;
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        if (tasks.size() == query.limit()) {
                            more = true;
                            break;
                        }
                        tasks.add(TaskRows.read(rows, db.dialect));
                    }
                }
                return new Page(tasks, more);
            }
        });
    }

    /** How many stored tasks match a query, its cursor aside. */
    long count(QuerySpec query) {
        QuerySpec.Sql sql = query.count(db.dialect);
        return read("count tasks", c -> {
            try (PreparedStatement s = c.prepareStatement(sql.text)) {
                sql.bind(s);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /** A read on a pooled connection, its failure wrapped into a {@link HistoryStoreException}. */
    <T> T read(String what, SqlFunction<T> body) {
        ensureOpen();
        try (Connection c = db.connection()) {
            return body.apply(c);
        } catch (SQLException e) {
            throw new HistoryStoreException(db.description + ": cannot " + what + ": " + Database.rootMessage(e), e);
        }
    }

    /** A unit of work on a connection. */
    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }

    // ---------------------------------------------------------------- state

    /** The writer's state and counters now; cheap, for metrics. */
    public StoreHealth health() {
        return closed ? withState(health.snapshot(), StoreHealth.State.CLOSED) : health.snapshot();
    }

    private static StoreHealth withState(StoreHealth h, StoreHealth.State state) {
        return new StoreHealth(state, h.since(), h.lastError(), h.pending(), h.writtenTotal(), h.failuresTotal(),
                h.rejectedTotal(), h.droppedTotal(), h.purgedTotal());
    }

    /** This server's node name, as written in the {@code node} column. */
    public String nodeName() {
        return settings.node();
    }

    /** The engine and where it is (without credentials), e.g. {@code SQLite /var/lib/tm/history/tasks.db}. */
    public String description() {
        return db.description;
    }

    /** How many tasks the last open recorded as interrupted (see the class comment). */
    public int interruptedAtOpen() {
        return interrupted;
    }

    /**
     * Writes every task marked dirty before this call, checkpoints not yet due included, and waits for
     * it: for tests, and for a caller about to read back what it just did.
     *
     * @return true once written; false if that did not happen within {@code timeout} (the store is down)
     *         or the store records nothing (opened without a task manager)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        if (writer == null || closed) {
            return false;
        }
        try {
            return writer.requestFlush().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs one writer round on the calling thread; only for stores built with {@code manualWriter}. */
    boolean writeNow() {
        return writer.pass();
    }

    /** Stops recording and closes the connections without writing what is pending: a crash, for tests. */
    synchronized void abandon() {
        if (taskManager != null) {
            taskManager.removeListener(recorder);
        }
        if (fleet != null) {
            taskManager.removeListener(fleet.clusterListener);
            fleet.stopThreads();
        }
        if (writer != null) {
            writer.abandon();
        }
        closed = true;
        db.close();
        if (lock != null) {
            lock.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the history store " + db.description + " is closed");
        }
    }

    /**
     * Stops recording, writes what is still pending (retrying for up to the close timeout if the store
     * is down), records this node as stopped and closes the connections. Close the task manager first,
     * so that the final states of the tasks it stops are written too. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (taskManager != null) {
            taskManager.removeListener(recorder);
        }
        if (writer != null) {
            writer.stop();
        }
        if (fleet != null) {
            taskManager.removeListener(fleet.clusterListener);
            fleet.close();
        }
        closed = true;
        health.closed();
        db.close();
        if (lock != null) {
            lock.close();
        }
    }

    /**
     * The default node name: the host name ({@code HOSTNAME}, else {@code /etc/hostname}, else what
     * the resolver says), or {@code localhost} if none is known.
     */
    public static String defaultNodeName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = null;
            }
        }
        return name == null || name.isBlank() ? "localhost" : name.trim();
    }

    /**
     * Configures and opens a {@link HistoryStore}. Each setting may be given once; a repeated or
     * contradictory setting is refused naming it. Not thread-safe.
     */
    public static final class Builder {
        private Path sqliteDirectory;
        private String postgresUrl;
        private String user;
        private String password;
        private String nodeName;
        private TaskManager taskManager;
        private Duration checkpointInterval;
        private Duration flushInterval;
        private Duration retention;
        private Long maxTasks;
        private Integer maxPending;
        private Integer maxBatch;
        private Duration purgeInterval;
        private Integer purgeBatch;
        private Integer poolSize;
        private Duration connectTimeout;
        private Duration closeTimeout;
        private Clock clock;
        private Ticker ticker;
        private boolean manualWriter;
        private String advertiseAddress;
        private Duration leaseInterval;
        private Duration leaseDuration;
        private Duration pollInterval;
        private Clock leaseClock;

        private Builder() {
        }

        /**
         * Fleet (PostgreSQL only): how other nodes and clients reach this server, {@code HOST:PORT}
         * (default the node name). Shown as the {@code node} of this server's tasks on every node.
         */
        public Builder advertiseAddress(String address) {
            Objects.requireNonNull(address, "advertiseAddress");
            if (address.isBlank() || address.length() > 255 || address.chars().anyMatch(ch -> ch <= 0x20 || ch == 0x7f)) {
                throw new IllegalArgumentException("advertiseAddress must be 1 to 255 printable characters without "
                        + "spaces, got '" + address + "'");
            }
            this.advertiseAddress = set("advertiseAddress", this.advertiseAddress, address);
            return this;
        }

        /**
         * Fleet (PostgreSQL only): how often this node renews its lease and looks for lost nodes
         * (default 1 s); between 10 ms and 1 hour, and less than the lease duration.
         */
        public Builder leaseInterval(Duration interval) {
            this.leaseInterval = set("leaseInterval", this.leaseInterval,
                    range("leaseInterval", interval, Duration.ofMillis(10), Duration.ofHours(1)));
            return this;
        }

        /**
         * Fleet (PostgreSQL only): how long a lease lasts past its renewal (default 10 s): a node
         * that does not renew for this long is lost, and its unfinished tasks are recorded as failed by
         * one survivor. Between 100 ms and 1 day, and more than the lease interval.
         */
        public Builder leaseDuration(Duration duration) {
            this.leaseDuration = set("leaseDuration", this.leaseDuration,
                    range("leaseDuration", duration, Duration.ofMillis(100), Duration.ofDays(1)));
            return this;
        }

        /**
         * Fleet (PostgreSQL only): how often this node reads the abort requests addressed to it and the
         * final states of the other nodes' tasks it waits for, in case it missed their notification
         * (default 2 s); between 10 ms and 1 day.
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = set("pollInterval", this.pollInterval,
                    range("pollInterval", interval, Duration.ofMillis(10), Duration.ofDays(1)));
            return this;
        }

        /**
         * Fleet (PostgreSQL only), for tests: lease times are the database's clock shifted by this
         * clock's offset from the real time, so that moving a fake clock forward makes leases expire
         * without waiting. By default the database's clock alone: never a node's.
         */
        public Builder leaseClock(Clock clock) {
            this.leaseClock = set("leaseClock", this.leaseClock, Objects.requireNonNull(clock, "leaseClock"));
            return this;
        }

        FleetSettings fleetSettings(String node) {
            return new FleetSettings(advertiseAddress != null ? advertiseAddress : node,
                    or(leaseInterval, Duration.ofSeconds(1)), or(leaseDuration, Duration.ofSeconds(10)),
                    or(pollInterval, Duration.ofSeconds(2)), leaseClock);
        }

        /**
         * The embedded engine: SQLite, in the file {@code tasks.db} of {@code directory} (created if
         * missing; choose a directory only this user can write, as the server's data directory is).
         */
        public Builder sqlite(Path directory) {
            requireNoEngine("sqlite");
            this.sqliteDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * PostgreSQL at a JDBC URL, {@code jdbc:postgresql://host[:port]/database[?user=..&password=..]}.
         *
         * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
         */
        public Builder postgres(String jdbcUrl) {
            requireNoEngine("postgres");
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("a PostgreSQL store needs a URL starting with jdbc:postgresql:, got '"
                        + Database.redact(jdbcUrl) + "'");
            }
            this.postgresUrl = jdbcUrl;
            return this;
        }

        /** The PostgreSQL user, if the URL does not name one. */
        public Builder user(String user) {
            this.user = set("user", this.user, Objects.requireNonNull(user, "user"));
            return this;
        }

        /** The PostgreSQL password, if the URL does not hold one. */
        public Builder password(String password) {
            if (this.password != null) {
                throw new IllegalStateException("password was already set");
            }
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** This server's name in the store (default {@link HistoryStore#defaultNodeName()}); 1 to 255 characters. */
        public Builder nodeName(String name) {
            Objects.requireNonNull(name, "nodeName");
            if (name.isBlank() || name.length() > 255) {
                throw new IllegalArgumentException("nodeName must have 1 to 255 characters and not be blank, got '"
                        + name + "'");
            }
            this.nodeName = set("nodeName", this.nodeName, name);
            return this;
        }

        /** The task manager whose tasks to record; without one the store only reads. */
        public Builder taskManager(TaskManager taskManager) {
            this.taskManager = set("taskManager", this.taskManager, Objects.requireNonNull(taskManager, "taskManager"));
            return this;
        }

        /**
         * A running task is written at most once per this (default 1 s): after a crash it has lost at
         * most this much progress. Between 10 ms and 1 hour.
         */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = set("checkpointInterval", this.checkpointInterval,
                    range("checkpointInterval", interval, Duration.ofMillis(10), Duration.ofHours(1)));
            return this;
        }

        /**
         * How long the writer waits for more work before writing a batch when it has caught up
         * (default 10 ms): the most a final state waits before its transaction starts. 1 ms to 10 s.
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = set("flushInterval", this.flushInterval,
                    range("flushInterval", interval, Duration.ofMillis(1), Duration.ofSeconds(10)));
            return this;
        }

        /** Finished tasks older than this are purged (default 7 days); {@link Duration#ZERO} keeps them. */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) {
                throw new IllegalArgumentException("retention must not be negative, got " + retention);
            }
            this.retention = set("retention", this.retention, retention);
            return this;
        }

        /** At most this many tasks are kept, the oldest finished purged first (default 1,000,000); 0 for no bound. */
        public Builder maxTasks(long maxTasks) {
            if (maxTasks < 0) {
                throw new IllegalArgumentException("maxTasks must not be negative, got " + maxTasks);
            }
            this.maxTasks = set("maxTasks", this.maxTasks, maxTasks);
            return this;
        }

        /**
         * At most this many tasks wait in memory to be written (default 200,000, a few hundred bytes
         * each). Only reached when the store is down for long: past it, running tasks are forgotten
         * until the store is back (then written again from the registry), and final states are dropped
         * and counted ({@link StoreHealth#droppedTotal()}).
         */
        public Builder maxPending(int maxPending) {
            this.maxPending = set("maxPending", this.maxPending, positive("maxPending", maxPending));
            return this;
        }

        /** Rows per transaction (default 10,000: fewer, larger commits write about twice as fast as 2,000). */
        public Builder maxBatch(int maxBatch) {
            this.maxBatch = set("maxBatch", this.maxBatch, positive("maxBatch", maxBatch));
            return this;
        }

        /** How often retention looks for rows to purge (default 1 minute). */
        public Builder purgeInterval(Duration interval) {
            this.purgeInterval = set("purgeInterval", this.purgeInterval,
                    range("purgeInterval", interval, Duration.ofMillis(1), Duration.ofDays(1)));
            return this;
        }

        /** Rows retention deletes per transaction (default 1,000): short transactions, no long locks. */
        public Builder purgeBatch(int rows) {
            this.purgeBatch = set("purgeBatch", this.purgeBatch, positive("purgeBatch", rows));
            return this;
        }

        /** Connections to the engine (default 4: the writer and readers). */
        public Builder poolSize(int size) {
            this.poolSize = set("poolSize", this.poolSize, positive("poolSize", size));
            return this;
        }

        /** How long to wait for a connection, or a busy SQLite database (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = set("connectTimeout", this.connectTimeout,
                    range("connectTimeout", timeout, Duration.ofMillis(250), Duration.ofMinutes(10)));
            return this;
        }

        /** How long {@link HistoryStore#close()} keeps trying to write what is pending (default 10 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = set("closeTimeout", this.closeTimeout,
                    range("closeTimeout", timeout, Duration.ZERO, Duration.ofHours(1)));
            return this;
        }

        /** The wall clock for the times the store writes itself (default the system's, UTC). */
        public Builder clock(Clock clock) {
            this.clock = set("clock", this.clock, Objects.requireNonNull(clock, "clock"));
            return this;
        }

        /** The monotonic clock for intervals (default {@link Ticker#SYSTEM}). */
        public Builder ticker(Ticker ticker) {
            this.ticker = set("ticker", this.ticker, Objects.requireNonNull(ticker, "ticker"));
            return this;
        }

        /** No writer thread: tests drive it with {@link HistoryStore#writeNow()}. */
        Builder manualWriter() {
            this.manualWriter = true;
            return this;
        }

        /**
         * Opens the store: connects, migrates the schema, records this node's unfinished tasks from
         * a previous run as interrupted, and starts recording the task manager's tasks.
         *
         * @throws IllegalStateException if no engine was chosen
         * @throws HistoryStoreException if the engine cannot be reached, migrated or written
         */
        public HistoryStore open() {
            if (sqliteDirectory == null && postgresUrl == null) {
                throw new IllegalStateException("choose an engine: sqlite(directory) or postgres(url)");
            }
            if (sqliteDirectory != null && (user != null || password != null)) {
                throw new IllegalStateException("user and password are for postgres(url), not sqlite(directory)");
            }
            String fleetSetting = advertiseAddress != null ? "advertiseAddress" : leaseInterval != null ? "leaseInterval"
                    : leaseDuration != null ? "leaseDuration" : pollInterval != null ? "pollInterval"
                    : leaseClock != null ? "leaseClock" : null;
            if (fleetSetting != null && sqliteDirectory != null) {
                throw new IllegalStateException(fleetSetting + " is for a fleet on postgres(url); sqlite(directory) "
                        + "serves one node only");
            }
            FleetSettings fleet = fleetSettings("-");
            if (fleet.leaseInterval().compareTo(fleet.leaseDuration()) >= 0) {
                throw new IllegalStateException("leaseInterval (" + fleet.leaseInterval() + ") must be shorter than "
                        + "leaseDuration (" + fleet.leaseDuration() + "): a node would lose its lease between renewals");
            }
            Settings settings = new Settings(
                    nodeName != null ? nodeName : defaultNodeName(),
                    or(checkpointInterval, Duration.ofSeconds(1)),
                    or(flushInterval, Duration.ofMillis(10)),
                    or(maxBatch, 10_000),
                    or(maxPending, 200_000),
                    or(retention, Duration.ofDays(7)),
                    or(maxTasks, 1_000_000L),
                    or(purgeInterval, Duration.ofMinutes(1)),
                    or(purgeBatch, 1_000),
                    or(closeTimeout, Duration.ofSeconds(10)));
            int pool = or(poolSize, 4);
            Duration connect = or(connectTimeout, Duration.ofSeconds(5));
            Database db;
            WriterLock lock = null;
            if (sqliteDirectory != null) {
                try {
                    Files.createDirectories(sqliteDirectory);
                } catch (IOException e) {
                    throw new HistoryStoreException("SQLite " + sqliteDirectory + ": cannot create the directory: "
                            + e.getMessage(), e);
                }
                lock = taskManager != null ? WriterLock.acquire(sqliteDirectory) : null;
                try {
                    db = Database.sqlite(sqliteDirectory, pool, connect);
                } catch (RuntimeException e) {
                    if (lock != null) {
                        lock.close();
                    }
                    throw e;
                }
            } else {
                db = Database.postgres(postgresUrl, user, password, pool, connect);
            }
            try {
                return new HistoryStore(this, db, settings, lock);
            } catch (SQLException | RuntimeException e) {
                db.close();
                if (lock != null) {
                    lock.close();
                }
                if (e instanceof HistoryStoreException) {
                    throw (HistoryStoreException) e;
                }
                throw new HistoryStoreException(db.description + ": cannot open: " + Database.rootMessage(e), e);
            }
        }

        private void requireNoEngine(String engine) {
            if (sqliteDirectory != null || postgresUrl != null) {
                throw new IllegalStateException(engine + ": the engine was already chosen ("
                        + (sqliteDirectory != null ? "sqlite " + sqliteDirectory : "postgres " + Database.redact(postgresUrl))
                        + ")");
            }
        }

        private static <V> V set(String setting, V current, V value) {
            if (current != null) {
                throw new IllegalStateException(setting + " was already set to " + current);
            }
            return value;
        }

        private static <V> V or(V value, V otherwise) {
            return value != null ? value : otherwise;
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }

        private static Duration range(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        }
    }
}
