-- Outbound webhook endpoints and their deliveries (internal/outbound).
-- Secrets are sealed by the vault; the previous secret signs beside the new
-- one until prev_secret_until after a rotation. event_types is a
-- space-separated filter, empty for every type. failing_since is the first
-- failure since the last success: five days of it disables the endpoint.
CREATE TABLE outbound_endpoints (
    id {{ID}},
    org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    event_types TEXT NOT NULL DEFAULT '',
    secret_enc {{BLOB}} NOT NULL,
    prev_secret_enc {{BLOB}},
    prev_secret_until BIGINT NOT NULL DEFAULT 0,
    disabled_at BIGINT NOT NULL DEFAULT 0,
    disabled_reason TEXT NOT NULL DEFAULT '',
    failing_since BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outbound_endpoints_org ON outbound_endpoints(org_id);

-- One delivery per event and subscribed endpoint, written with the event.
-- status: pending, delivered, failed. next_attempt_at is when a pending
-- delivery is due (or, while an attempt runs, when its lease ends).
CREATE TABLE outbound_deliveries (
    id {{ID}},
    org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    endpoint_id BIGINT NOT NULL REFERENCES outbound_endpoints(id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES outbound_events(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outbound_deliveries_due ON outbound_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbound_deliveries_endpoint ON outbound_deliveries(endpoint_id, id);

-- Each attempt: when, the answer's status (0 without one), an error code,
-- how long it took and the first kilobyte of the answer.
CREATE TABLE outbound_attempts (
    id {{ID}},
    delivery_id BIGINT NOT NULL REFERENCES outbound_deliveries(id) ON DELETE CASCADE,
    attempted_at BIGINT NOT NULL,
    status INTEGER NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    duration_ms BIGINT NOT NULL,
    response TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbound_attempts_delivery ON outbound_attempts(delivery_id, id);
