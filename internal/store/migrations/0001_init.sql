-- The first schema: organizations, people and sign-in, Zoom connections and users,
-- activities, the webhook inbox and the audit log.
-- {{ID}} and {{BLOB}} are filled per dialect; times are epoch milliseconds (BIGINT)
-- so that one code path reads and compares them on SQLite and PostgreSQL alike.

CREATE TABLE organizations (
    id               {{ID}},
    name             TEXT NOT NULL,
    slug             TEXT NOT NULL UNIQUE,
    meetings_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    phone_enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    webinars_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       BIGINT NOT NULL
);

-- accounts sign in; one account may be a person in several organizations.
CREATE TABLE accounts (
    id            {{ID}},
    email_norm    TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);

CREATE TABLE people (
    id           {{ID}},
    org_id       BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    account_id   BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    email        TEXT NOT NULL,
    email_norm   TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    team         TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL DEFAULT 'member',
    zoom_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (org_id, email_norm)
);
CREATE INDEX people_account ON people(account_id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    org_id      BIGINT REFERENCES organizations(id) ON DELETE SET NULL,
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- A Zoom connection: account-level OAuth, Server-to-Server or one person's own OAuth.
-- Tokens and secrets are AES-GCM ciphertext (internal/vault); never plaintext.
CREATE TABLE zoom_connections (
    id                 {{ID}},
    org_id             BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind               TEXT NOT NULL,            -- account_oauth | s2s | user_oauth
    person_id          BIGINT REFERENCES people(id) ON DELETE SET NULL,
    zoom_account_id    TEXT NOT NULL DEFAULT '',
    zoom_user_id       TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    display_name       TEXT NOT NULL DEFAULT '',
    plan_type          INTEGER NOT NULL DEFAULT 0,
    phone_licensed     BOOLEAN NOT NULL DEFAULT FALSE,
    scopes             TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'active', -- active | needs_reconnect
    status_reason      TEXT NOT NULL DEFAULT '',
    client_id          TEXT NOT NULL DEFAULT '',
    client_secret_enc  {{BLOB}},
    webhook_secret_enc {{BLOB}},
    access_token_enc   {{BLOB}},
    refresh_token_enc  {{BLOB}},
    token_expires_at   BIGINT NOT NULL DEFAULT 0,
    refreshed_at       BIGINT NOT NULL DEFAULT 0,
    created_by         BIGINT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX zoom_connections_org ON zoom_connections(org_id);
CREATE INDEX zoom_connections_account ON zoom_connections(zoom_account_id);

-- Zoom users seen through a connection, mapped to people by normalized email.
CREATE TABLE zoom_users (
    id              {{ID}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    connection_id   BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    zoom_user_id    TEXT NOT NULL,
    zoom_account_id TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    email_norm      TEXT NOT NULL DEFAULT '',
    display_name    TEXT NOT NULL DEFAULT '',
    user_type       INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'active',
    phone_licensed  BOOLEAN NOT NULL DEFAULT FALSE,
    person_id       BIGINT REFERENCES people(id) ON DELETE SET NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (connection_id, zoom_user_id)
);
CREATE INDEX zoom_users_org_email ON zoom_users(org_id, email_norm);
CREATE INDEX zoom_users_zoom_id ON zoom_users(zoom_user_id);

-- Activities: hosted meetings, hosted webinars and Zoom Phone calls. Metadata only:
-- never attendee identities or content (feature A4).
CREATE TABLE activities (
    id                 {{ID}},
    org_id             BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    connection_id      BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    person_id          BIGINT REFERENCES people(id) ON DELETE SET NULL,
    zoom_user_id       TEXT NOT NULL,
    kind               TEXT NOT NULL,      -- meeting | webinar | call
    zoom_id            TEXT NOT NULL,      -- meeting/webinar instance UUID, call history id
    zoom_number        TEXT NOT NULL DEFAULT '', -- meeting/webinar number
    title              TEXT NOT NULL DEFAULT '',
    start_at           BIGINT NOT NULL,
    end_at             BIGINT NOT NULL DEFAULT 0,
    duration_seconds   INTEGER NOT NULL DEFAULT 0,
    participants_count INTEGER NOT NULL DEFAULT 0,
    direction          TEXT NOT NULL DEFAULT '', -- inbound | outbound (calls)
    caller_name        TEXT NOT NULL DEFAULT '',
    device             TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '', -- sync | webhook
    updated_at         BIGINT NOT NULL,
    UNIQUE (connection_id, kind, zoom_id, zoom_user_id)
);
CREATE INDEX activities_org_start ON activities(org_id, start_at);
CREATE INDEX activities_person_start ON activities(person_id, start_at);

-- The webhook inbox: every verified event, stored before Zoom gets its 200.
CREATE TABLE webhook_inbox (
    id            {{ID}},
    dedup_key     TEXT NOT NULL UNIQUE,
    app           TEXT NOT NULL,       -- "deployment" or "org:<id>"
    org_id        BIGINT,
    event         TEXT NOT NULL,
    event_ts      BIGINT NOT NULL DEFAULT 0,
    account_id    TEXT NOT NULL DEFAULT '',
    body          {{BLOB}} NOT NULL,
    received_at   BIGINT NOT NULL,
    processed_at  BIGINT NOT NULL DEFAULT 0,
    outcome       TEXT NOT NULL DEFAULT '',
    duplicates    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_inbox_received ON webhook_inbox(received_at);

CREATE TABLE audit_log (
    id         {{ID}},
    org_id     BIGINT,
    actor      TEXT NOT NULL,  -- "account:<id>", "zoom", "system"
    action     TEXT NOT NULL,  -- connection.created, connection.purged, switch.changed, signin ...
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX audit_log_org_at ON audit_log(org_id, at);

CREATE TABLE api_keys (
    id          {{ID}},
    org_id      BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    prefix      TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT NOT NULL DEFAULT 0
);

-- Housekeeping runs, one row per period: proves periodic jobs run once across replicas.
CREATE TABLE housekeeping_runs (
    id        {{ID}},
    ran_at    BIGINT NOT NULL,
    runner    TEXT NOT NULL,
    pruned    INTEGER NOT NULL DEFAULT 0
);
