-- The task history (docs/history.md): one row per task id, upserted by the store's writer.
-- Times are nanoseconds since the epoch (UTC) in bigint: timestamptz keeps only microseconds, and
-- (created, id) must be exactly the core's ordering key. uuid compares as an unsigned 128-bit number,
-- the order of the canonical text, as the core compares ids.
CREATE TABLE tasks (
    id                 uuid             NOT NULL PRIMARY KEY,
    node               text             NOT NULL,  -- the --node-name of the server that ran the task
    module             text             NOT NULL,
    type               text             NOT NULL,
    kind               text             NOT NULL,  -- node | cluster
    scope              text             NOT NULL,
    state              text             NOT NULL,  -- created | running | done | failed | suspended
    abortable          boolean          NOT NULL,
    user_task          boolean          NOT NULL,
    internal           boolean          NOT NULL,
    parent_id          uuid,
    sequence_number    bigint           NOT NULL,
    shard              integer          NOT NULL,
    keyspace           text             NOT NULL,
    table_name         text             NOT NULL,
    entity             text             NOT NULL,
    progress_units     text             NOT NULL,
    progress_completed double precision NOT NULL,
    progress_total     double precision NOT NULL,
    error              text             NOT NULL,  -- '' unless failed
    created            bigint           NOT NULL,  -- never changes once written
    started            bigint,
    ended              bigint,
    updated            bigint           NOT NULL,
    abort_reason       text,                       -- the abort request, all three NULL when none:
    abort_requested_by text,                       --   failed with a request = aborted,
    abort_requested_at bigint,                     --   failed without one = failed by itself
    rate               double precision,
    eta_millis         bigint,
    stalled            boolean          NOT NULL,
    deadline           bigint,
    labels             jsonb,                      -- NULL when none
    children           bytea,                      -- the snapshot's children, 16 bytes each
    written            bigint           NOT NULL   -- when the writer last wrote the row
);

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
-- every batch the writer commits, and at least once per checkpoint interval). The fleet adds its
-- lease and address columns to this table.
CREATE TABLE nodes (
    name      text   NOT NULL PRIMARY KEY,
    started   bigint NOT NULL,
    heartbeat bigint NOT NULL,
    stopped   bigint              -- set by a clean stop, NULL while running or after a crash
);
