-- Registry schema, version 2 (postgres): the event chain is append-only at the database too. An
-- UPDATE, DELETE or TRUNCATE of events is refused, whoever runs it; `verify` still finds edits
-- made by someone who drops these triggers first.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'registry events are append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
