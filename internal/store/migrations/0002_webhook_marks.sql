-- Webhook processing state. Zoom delivers events in any order and more than
-- once: for each Zoom user of a connection, keep the newest user event applied
-- and whether Zoom deleted the user, so a late or repeated user event changes
-- nothing. Purged with the connection.
CREATE TABLE webhook_zoom_user_marks (
    connection_id BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    zoom_user_id  TEXT NOT NULL,
    event_ts      BIGINT NOT NULL DEFAULT 0,
    deleted       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (connection_id, zoom_user_id)
);

-- The recording-linking work reads stored recording events by type and outcome.
CREATE INDEX webhook_inbox_event_outcome ON webhook_inbox(event, outcome);
