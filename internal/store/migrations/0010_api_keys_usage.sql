-- REST API keys (internal/api): who created each key and when it was last
-- used, so an admin can tell a forgotten key from a live one before revoking.
ALTER TABLE api_keys ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX api_keys_org ON api_keys(org_id);
