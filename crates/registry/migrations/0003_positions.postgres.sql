-- Registry schema, version 3 (postgres): positions of states and groups on the compacts' texts, in
-- a table of the same shape as the others (the owner and parent are the entity that stated it).
CREATE TABLE positions (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    parent TEXT NOT NULL,
    version BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    doc TEXT NOT NULL
);
CREATE INDEX positions_parent ON positions (parent);
