-- The billing database: owned by billing-consumer. Placeholder: ${app_role}.

CREATE TABLE invoices (
    id          uuid          PRIMARY KEY,
    order_id    uuid          NOT NULL UNIQUE,
    customer_id varchar(64)   NOT NULL,
    amount      numeric(19,2) NOT NULL CHECK (amount >= 0),
    currency    char(3)       NOT NULL,
    status      varchar(16)   NOT NULL CHECK (status IN ('ISSUED', 'VOIDED')),
    -- occurredAt of the OrderCreated event: lets operators measure order commit -> invoice delay.
    order_created_at timestamptz NOT NULL,
    issued_at   timestamptz   NOT NULL,
    voided_at   timestamptz,
    updated_at  timestamptz   NOT NULL
);

-- The inbox: one row per event id ever processed (or parked). Inserted in the same transaction as the
-- effect; a primary-key conflict means "already done".
CREATE TABLE processed_events (
    event_id           uuid         PRIMARY KEY,
    consumer_group     varchar(255) NOT NULL,
    event_type         varchar(64)  NOT NULL,
    order_id           uuid         NOT NULL,
    aggregate_sequence bigint       NOT NULL,
    topic              varchar(255) NOT NULL,
    kafka_partition    int          NOT NULL,
    kafka_offset       bigint       NOT NULL,
    processed_at       timestamptz  NOT NULL
);
CREATE INDEX processed_events_order_idx ON processed_events (order_id, aggregate_sequence);

-- Per order: the aggregate_sequence applied last. Events are applied strictly in sequence.
CREATE TABLE order_progress (
    order_id         uuid   PRIMARY KEY,
    applied_sequence bigint NOT NULL
);

-- Events that arrived before their predecessor (a gap in aggregate_sequence); applied when it arrives.
CREATE TABLE parked_events (
    event_id           uuid        PRIMARY KEY,
    order_id           uuid        NOT NULL,
    aggregate_sequence bigint      NOT NULL,
    event_type         varchar(64) NOT NULL,
    payload            jsonb       NOT NULL,
    parked_at          timestamptz NOT NULL,
    UNIQUE (order_id, aggregate_sequence)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON invoices, processed_events, order_progress, parked_events TO ${app_role};
