-- Registry schema, version 2 (sqlite): the event chain is append-only at the database too. An
-- UPDATE or DELETE of an event is refused, whoever runs it; `verify` still finds edits made by
-- someone who drops these triggers first.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'registry events are append-only: UPDATE refused');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'registry events are append-only: DELETE refused');
END;
