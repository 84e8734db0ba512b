-- The orders database: owned by order-app. Roles are created outside migrations (by the local stack,
-- the test kit, or your DBA); migrations only grant. Placeholders: ${app_role}, ${relay_role}.

CREATE TABLE orders (
    id             uuid          PRIMARY KEY,
    customer_id    varchar(64)   NOT NULL,
    currency       char(3)       NOT NULL,
    status         varchar(16)   NOT NULL CHECK (status IN ('CREATED', 'CANCELLED')),
    total          numeric(19,2) NOT NULL CHECK (total >= 0),
    -- aggregate_sequence of the last event written for this order (1 = OrderCreated).
    event_sequence bigint        NOT NULL,
    created_at     timestamptz   NOT NULL,
    updated_at     timestamptz   NOT NULL,
    version        bigint        NOT NULL DEFAULT 0
);
CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC, id);

CREATE TABLE order_items (
    order_id   uuid          NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    int           NOT NULL,
    sku        varchar(64)   NOT NULL,
    quantity   int           NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    unit_price numeric(19,2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, line_no)
);

-- One row per Idempotency-Key. Inserted first in the creating transaction, so a concurrent request
-- with the same key waits on the primary key and then sees the committed row.
CREATE TABLE idempotency_keys (
    idempotency_key varchar(128) PRIMARY KEY,
    request_hash    char(64)     NOT NULL,
    order_id        uuid         NOT NULL,
    created_at      timestamptz  NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON orders, order_items, idempotency_keys TO ${app_role};
