-- The chat bot (internal/chat). chat_settings: the admin's switches for what
-- the bot offers (T2). chat_tenants: which organization a chat platform's
-- tenant belongs to. chat_users: people the bot has seen in chats, with where
-- to reach them for a direct message. chat_cards: meeting cards the bot
-- posted, keyed by the meeting instance so the card changes when it ends.
-- chat_event_cursors: how far the bot has read the outbound_events outbox;
-- chat_recording_notices: recordings it told the host about.
CREATE TABLE chat_settings (
    org_id             BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    meetings_enabled   BOOLEAN NOT NULL DEFAULT TRUE,
    phone_enabled      BOOLEAN NOT NULL DEFAULT TRUE,
    whiteboard_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE chat_tenants (
    platform   TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    org_id     BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (platform, tenant_id)
);

CREATE TABLE chat_users (
    id              {{ID}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    platform        TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    email           TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    tenant_id       TEXT NOT NULL DEFAULT '',
    service_url     TEXT NOT NULL DEFAULT '',
    direct_conv_id  TEXT NOT NULL DEFAULT '',
    updated_at      BIGINT NOT NULL,
    UNIQUE (org_id, platform, user_id)
);
CREATE INDEX chat_users_email ON chat_users(org_id, email);

CREATE TABLE chat_cards (
    id              {{ID}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    platform        TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url     TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    meeting_id      TEXT NOT NULL,
    meeting_uuid    TEXT NOT NULL,
    card            TEXT NOT NULL,
    ended_at        BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
CREATE INDEX chat_cards_open ON chat_cards(org_id, ended_at, meeting_uuid);

CREATE TABLE chat_event_cursors (
    org_id     BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    last_id    BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- Meeting instances whose host was told a recording is ready (once each).
CREATE TABLE chat_recording_notices (
    org_id       BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    meeting_uuid TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (org_id, meeting_uuid)
);
