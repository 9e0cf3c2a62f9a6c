-- Housekeeping forgets kept Idempotency-Key answers past their 24 hours
-- across all keys; this index serves that delete.
CREATE INDEX api_idempotency_age ON api_idempotency(created_at);
