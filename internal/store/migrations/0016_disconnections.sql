-- Disconnections (feature C7): who ended which connection, when, and how many
-- rows went, for the audit log, the Overview and Team pages ("disconnected by
-- ... on ...") and to recognise Zoom's app_deauthorized that answers
-- zoombridge's own revoke (echo_pending) instead of reading it as the app
-- removed for the whole account.
CREATE TABLE zoom_disconnections (
    id              {{ID}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    connection_id   BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    zoom_account_id TEXT NOT NULL DEFAULT '',
    zoom_user_id    TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,            -- "account:<id>" or "zoom"
    actor_name      TEXT NOT NULL DEFAULT '', -- the person's name or email when an account
    activities      BIGINT NOT NULL DEFAULT 0, -- rows removed
    zoom_users      BIGINT NOT NULL DEFAULT 0,
    echo_pending    BOOLEAN NOT NULL DEFAULT FALSE,
    echo_inbox_id   BIGINT NOT NULL DEFAULT 0,    -- the app_deauthorized taken as the echo
    at              BIGINT NOT NULL
);
CREATE INDEX zoom_disconnections_org_at ON zoom_disconnections(org_id, at);
CREATE INDEX zoom_disconnections_echo ON zoom_disconnections(zoom_account_id, zoom_user_id);
