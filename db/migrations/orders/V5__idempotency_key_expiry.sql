-- Idempotency keys expire (orders.idempotency.retention, default 24 h): order-app deletes expired keys in
-- bounded batches by age, oldest first, which needs this index. CONCURRENTLY, because the table may already be
-- large (keys were never removed before this version) and must stay writable meanwhile; see the .conf file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idempotency_keys_created_at_idx ON idempotency_keys (created_at);
