-- Which rows the v2 list answers from memory (docs/history.md, "Live and history, counted once"):
-- in_memory is 1 while the task is registered in the task manager of the node that wrote it
-- (tasks.node). That node's history reads leave such rows out, since its registry answers them; the
-- writer clears the flag when the task leaves the registry, and a node clears its own at start (a
-- new process holds nothing).
ALTER TABLE tasks ADD COLUMN in_memory INTEGER NOT NULL DEFAULT 0;

-- The few rows still in memory, by node: counting what a history read leaves out, and clearing a
-- node's flags at its start.
CREATE INDEX tasks_in_memory ON tasks (node, created, id) WHERE in_memory = 1;
