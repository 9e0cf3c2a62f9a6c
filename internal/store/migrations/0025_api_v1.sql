-- REST API v1 (internal/api): scopes chosen when a key is made (existing keys
-- could only read, so they keep read), replayable POST answers by
-- Idempotency-Key, and the index behind activities?updated_since=.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read';
CREATE TABLE api_idempotency (
    key_id      BIGINT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
    idem_key    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL,
    headers     TEXT NOT NULL,
    body        {{BLOB}} NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (key_id, idem_key)
);
CREATE INDEX api_idempotency_created ON api_idempotency(key_id, created_at);
CREATE INDEX activities_org_updated ON activities(org_id, updated_at, id);
