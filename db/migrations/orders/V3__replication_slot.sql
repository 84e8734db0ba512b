-- The slot is created here, before order-app accepts its first order, so that every outbox row ever
-- committed is in the WAL the slot retains: nothing is lost even if the relay starts much later.
-- (pg_create_logical_replication_slot cannot run in a transaction that has written: see the .conf file.)
SELECT pg_create_logical_replication_slot('${replication_slot}', 'pgoutput')
WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '${replication_slot}');
