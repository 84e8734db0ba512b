-- Append-only ledger of every effect billing applied, written in the same transaction as the effect.
-- The verifier counts it per order (exactly one ISSUED, at most one VOIDED, after the issue, amounts equal
-- to the order's). Deliberately NO unique constraint: a double effect must be recorded, not refused, so
-- that a broken consumer is caught by counting rather than hidden by the schema.
CREATE TABLE invoice_effects (
    id         bigserial     PRIMARY KEY,
    event_id   uuid          NOT NULL,
    order_id   uuid          NOT NULL,
    effect     varchar(16)   NOT NULL CHECK (effect IN ('ISSUED', 'VOIDED')),
    amount     numeric(19,2) NOT NULL,
    currency   char(3)       NOT NULL,
    applied_at timestamptz   NOT NULL
);
CREATE INDEX invoice_effects_order_idx ON invoice_effects (order_id, id);

-- Append-only for the application: it may add and read effects, never change or remove them.
GRANT SELECT, INSERT ON invoice_effects TO ${app_role};
GRANT USAGE ON SEQUENCE invoice_effects_id_seq TO ${app_role};
