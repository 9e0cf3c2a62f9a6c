-- Zoom connect flows in progress (internal/connect): one row per OAuth
-- authorization a browser was sent to Zoom for, consumed once by the callback.
-- Only a SHA-256 of the state is kept (the state itself travels in the
-- browser), and the PKCE verifier is vault ciphertext bound to that hash.
CREATE TABLE oauth_states (
    state_hash   TEXT PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,   -- account_oauth | user_oauth
    person_id    BIGINT REFERENCES people(id) ON DELETE CASCADE,
    actor_id     BIGINT REFERENCES accounts(id) ON DELETE CASCADE,
    verifier_enc {{BLOB}} NOT NULL,
    reconnect_id BIGINT NOT NULL DEFAULT 0, -- the connection a Reconnect renews, 0 for a new one
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX oauth_states_expires ON oauth_states(expires_at);
