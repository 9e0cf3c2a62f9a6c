-- The admin web app: failed sign-ins (shared across replicas, so the rate
-- limit holds behind a load balancer) and per-organization display settings.

-- One row per failed sign-in; key_hash is a SHA-256 of the normalized email or
-- of the client address, so the table holds no email in clear.
CREATE TABLE signin_failures (
    id       {{ID}},
    key_hash TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX signin_failures_key_at ON signin_failures(key_hash, at);

-- Display settings of an organization; a missing row means the defaults.
CREATE TABLE org_settings (
    org_id     BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    timezone   TEXT NOT NULL DEFAULT 'UTC',
    updated_at BIGINT NOT NULL
);

CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_expires ON sessions(expires_at);
