-- Which rows the v2 list answers from memory (docs/history.md, "Live and history, counted once"):
-- in_memory is true while the task is registered in the task manager of the node that wrote it
-- (tasks.node). That node's history reads leave such rows out, since its registry answers them; the
-- writer clears the flag when the task leaves the registry, and a node clears its own at start (a
-- new process holds nothing). Other nodes' reads ignore the flag: their rows are only in the store.
ALTER TABLE tasks ADD COLUMN in_memory boolean NOT NULL DEFAULT false;

-- The few rows still in memory, by node: counting what a history read leaves out, and clearing a
-- node's flags at its start.
CREATE INDEX tasks_in_memory ON tasks (node, created, id) WHERE in_memory;
