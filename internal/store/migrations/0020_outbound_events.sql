-- Outbound events (internal/outbound): written in the same transaction as the
-- change they describe (an outbox), so a rolled-back change sends nothing and a
-- committed one is never lost. Delivery to endpoints is built on these rows.
CREATE TABLE outbound_events (
    id {{ID}},
    org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    msg_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbound_events_org ON outbound_events(org_id, id);
