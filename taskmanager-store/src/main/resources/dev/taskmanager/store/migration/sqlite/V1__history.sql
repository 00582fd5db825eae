-- The task history (docs/history.md): one row per task id, upserted by the store's writer.
-- Times are nanoseconds since the epoch (UTC): full precision, so that (created, id) is exactly the
-- core's ordering key. Ids are 16 bytes, big-endian, which SQLite compares as unsigned numbers: the
-- order of their canonical text, as the core compares them.
CREATE TABLE tasks (
    id                 BLOB    NOT NULL UNIQUE,
    node               TEXT    NOT NULL,  -- the --node-name of the server that ran the task
    module             TEXT    NOT NULL,
    type               TEXT    NOT NULL,
    kind               TEXT    NOT NULL,  -- node | cluster
    scope              TEXT    NOT NULL,
    state              TEXT    NOT NULL,  -- created | running | done | failed | suspended
    abortable          INTEGER NOT NULL,
    user_task          INTEGER NOT NULL,
    internal           INTEGER NOT NULL,
    parent_id          BLOB,
    sequence_number    INTEGER NOT NULL,
    shard              INTEGER NOT NULL,
    keyspace           TEXT    NOT NULL,
    table_name         TEXT    NOT NULL,
    entity             TEXT    NOT NULL,
    progress_units     TEXT    NOT NULL,
    progress_completed REAL    NOT NULL,
    progress_total     REAL    NOT NULL,
    error              TEXT    NOT NULL,  -- '' unless failed
    created            INTEGER NOT NULL,  -- never changes once written
    started            INTEGER,
    ended              INTEGER,
    updated            INTEGER NOT NULL,
    abort_reason       TEXT,              -- the abort request, all three NULL when none:
    abort_requested_by TEXT,              --   failed with a request = aborted,
    abort_requested_at INTEGER,           --   failed without one = failed by itself
    rate               REAL,
    eta_millis         INTEGER,
    stalled            INTEGER NOT NULL,
    deadline           INTEGER,
    labels             TEXT,              -- JSON object in key order, NULL when none
    children           BLOB,              -- the snapshot's children, 16 bytes each, NULL when none
    written            INTEGER NOT NULL   -- when the writer last wrote the row
) STRICT;

-- Pages in the core's order, (created, id), for every query; retention walks it oldest first.
CREATE INDEX tasks_by_created ON tasks (created, id);
-- Pages of one module in the same order. (A state filter reads the pages of the order it uses and
-- skips the rest: failed tasks are common enough; unfinished ones have their own index below.)
CREATE INDEX tasks_by_module ON tasks (module, created, id);
-- A task's stored subtree.
CREATE INDEX tasks_by_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;
-- The tasks not finished yet, few next to the finished ones: pages of running tasks, restart
-- recovery (this node's), and a lost node's takeover (the fleet).
CREATE INDEX tasks_unfinished ON tasks (node, created, id) WHERE state IN ('created', 'running', 'suspended');

-- The servers that write here: when each started and was last seen alive (the heartbeat moves with
-- every batch the writer commits, and at least once per checkpoint interval).
CREATE TABLE nodes (
    name      TEXT    NOT NULL PRIMARY KEY,
    started   INTEGER NOT NULL,
    heartbeat INTEGER NOT NULL,
    stopped   INTEGER             -- set by a clean stop, NULL while running or after a crash
) STRICT;
