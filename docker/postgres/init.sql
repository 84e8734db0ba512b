-- Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d), as the superuser:
-- what a DBA does once per environment, and what testkit's DatabaseProvisioner does for the local stack.
-- Passwords are the role names, as in testkit's DatabaseRole; change them for anything but a laptop.
-- Tables, grants, the publication and the replication slot come from the services' Flyway migrations.

-- order-app: writes orders, order_items, idempotency_keys and outbox, nothing else.
CREATE ROLE order_app LOGIN PASSWORD 'order_app';
-- billing-consumer: writes the billing tables only.
CREATE ROLE billing_app LOGIN PASSWORD 'billing_app';
-- outbox-relay: REPLICATION, reads the outbox from the WAL, touches the heartbeat row.
CREATE ROLE outbox_relay LOGIN REPLICATION PASSWORD 'outbox_relay';

CREATE DATABASE orders;
CREATE DATABASE billing;
