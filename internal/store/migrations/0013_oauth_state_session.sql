-- A Zoom connect flow is bound to the browser session that started it (a
-- SHA-256 of the session's token, as the sessions table keys it): Zoom's
-- redirect arriving in any other browser completes nothing.
ALTER TABLE oauth_states ADD COLUMN session_hash TEXT NOT NULL DEFAULT '';
