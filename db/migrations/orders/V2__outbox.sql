-- The transactional outbox. order-app inserts one row per state change in the same transaction as the
-- order rows; outbox-relay reads the inserts from the WAL (Debezium, pgoutput) and publishes them.
CREATE TABLE outbox (
    id                 uuid         PRIMARY KEY,           -- the event id (Kafka header "id")
    aggregate_type     varchar(64)  NOT NULL,              -- routes the topic: order -> orders
    aggregate_id       varchar(64)  NOT NULL,              -- the Kafka record key
    aggregate_sequence bigint       NOT NULL,              -- 1, 2, ... per aggregate
    type               varchar(64)  NOT NULL,              -- Kafka header "eventType"
    payload            jsonb        NOT NULL,              -- the Kafka record value, as is
    headers            jsonb        NOT NULL DEFAULT '{}', -- extra Kafka headers, e.g. traceparent
    created_at         timestamptz  NOT NULL,
    UNIQUE (aggregate_type, aggregate_id, aggregate_sequence)
);
-- The retention job deletes by age; deletes are not published.
CREATE INDEX outbox_created_at_idx ON outbox (created_at);

-- Written by the relay's heartbeat action query so that an idle outbox never pins WAL.
CREATE TABLE outbox_heartbeat (
    id           int         PRIMARY KEY,
    last_beat_at timestamptz NOT NULL
);
INSERT INTO outbox_heartbeat (id, last_beat_at) VALUES (1, now());

GRANT SELECT, INSERT, DELETE ON outbox TO ${app_role};
GRANT SELECT ON outbox TO ${relay_role};
GRANT SELECT, UPDATE ON outbox_heartbeat TO ${relay_role};

-- Only the outbox (and the heartbeat) is published: business tables never leave the database this way.
CREATE PUBLICATION ${publication} FOR TABLE outbox, outbox_heartbeat;
