-- The fleet (docs/scaling.md): servers sharing this database register here with a lease, take over
-- the tasks of a node whose lease expired, and ask one another to abort tasks.
--
-- Lease times are the database's clock (clock_timestamp()), never a node's: a node renews its lease
-- every --lease-interval to clock_timestamp() + its lease duration, and a node is lost once
-- clock_timestamp() passes lease_expires.
ALTER TABLE nodes ADD COLUMN address       text;                       -- --advertise-address HOST:PORT
ALTER TABLE nodes ADD COLUMN epoch         bigint NOT NULL DEFAULT 0;  -- one more at every registration of the name
ALTER TABLE nodes ADD COLUMN renewed       timestamptz;                -- the last renewal
ALTER TABLE nodes ADD COLUMN lease_expires timestamptz;                -- NULL: never held a lease (a lone server)
ALTER TABLE nodes ADD COLUMN lost_at       timestamptz;                -- when a survivor took this epoch's tasks over
ALTER TABLE nodes ADD COLUMN lost_by       text;                       -- which node did
ALTER TABLE nodes ADD COLUMN lost_tasks    integer;                    -- how many unfinished tasks it marked failed

-- An abort asked on one node for a task another node runs: recorded here, announced with
-- NOTIFY taskmanager_abort '<target node>', applied by the target (which sets delivered_at), and
-- found by the target's poll if the notification was missed. The first request for a task wins, as
-- a task keeps the first abort request it receives.
CREATE TABLE abort_requests (
    task_id      uuid   NOT NULL PRIMARY KEY,
    target_node  text   NOT NULL,    -- the node that runs the task (tasks.node)
    reason       text   NOT NULL,    -- '' when none was given
    requested_by text   NOT NULL,    -- X-Request-Id, '' when unknown
    requested_at bigint NOT NULL,    -- epoch nanoseconds, the requesting node's clock
    requested_on text   NOT NULL,    -- the node that took the request
    delivered_at bigint              -- epoch nanoseconds, the target's clock; NULL while pending
);
CREATE INDEX abort_requests_pending ON abort_requests (target_node) WHERE delivered_at IS NULL;

-- The cluster-kind operations of a module (SPEC §11), listed by every node's compat API.
CREATE INDEX tasks_cluster ON tasks (module, created, id) WHERE kind = 'cluster';
