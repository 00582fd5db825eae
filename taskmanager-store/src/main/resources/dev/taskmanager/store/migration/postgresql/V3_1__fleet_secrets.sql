-- Secrets every node of a fleet shares (docs/scaling.md), by name. One so far:
--   'page_token_key': 32 random bytes that sign the v2 API's page tokens, so that any node continues
--   a listing another node began (a fleet behind a load balancer needs no sticky sessions).
-- The first node that needs a secret inserts one drawn at random (ON CONFLICT DO NOTHING); every
-- node then reads the one that won. Numbered 3.1 so that it orders after any version 3.
CREATE TABLE fleet_secrets (
    name  text  NOT NULL PRIMARY KEY,
    value bytea NOT NULL
);
