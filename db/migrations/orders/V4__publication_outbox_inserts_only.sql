-- Only outbox INSERTs leave the database through logical decoding (issue 12). Updates, deletes and truncates
-- of the outbox (the retention job's deletes included) and every other table never enter the replication
-- stream, so nothing but an event can reach the relay from here.
-- The relay's heartbeat no longer updates outbox_heartbeat: it emits a logical decoding message
-- (pg_logical_emit_message, which pgoutput forwards regardless of the publication), so that table leaves the
-- publication. The table itself stays (unused) for installations whose tooling still reads it.
ALTER PUBLICATION ${publication} SET TABLE outbox;
ALTER PUBLICATION ${publication} SET (publish = 'insert');
