-- Registry schema, version 3 (sqlite): positions of states and groups on the compacts' texts, in a
-- table of the same shape as the others (the owner and parent are the entity that stated it).
CREATE TABLE positions (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    parent TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL
);
CREATE INDEX positions_parent ON positions (parent);
