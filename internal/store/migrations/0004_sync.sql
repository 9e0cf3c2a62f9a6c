-- Activity sync (internal/syncer): per-connection status, passes with their
-- checkpoints, per-record errors and Zoom users a stream should leave alone
-- for a while (no Phone licence, no webinar add-on).

-- One row per connection: what the integration page shows and what the
-- scheduler reads.
CREATE TABLE sync_state (
    connection_id      BIGINT PRIMARY KEY REFERENCES zoom_connections(id) ON DELETE CASCADE,
    org_id             BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    pass_id            BIGINT NOT NULL DEFAULT 0, -- the pass under way, 0 when none
    last_pass_id       BIGINT NOT NULL DEFAULT 0,
    backfilled_at      BIGINT NOT NULL DEFAULT 0,
    last_success_at    BIGINT NOT NULL DEFAULT 0,
    last_attempt_at    BIGINT NOT NULL DEFAULT 0,
    next_run_at        BIGINT NOT NULL DEFAULT 0,
    sweep_requested_at BIGINT NOT NULL DEFAULT 0,
    api_calls          BIGINT NOT NULL DEFAULT 0,
    rate_limited       BIGINT NOT NULL DEFAULT 0,
    last_error         TEXT NOT NULL DEFAULT '',
    last_error_at      BIGINT NOT NULL DEFAULT 0,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX sync_state_next_run ON sync_state(next_run_at);
CREATE INDEX sync_state_org ON sync_state(org_id);

-- A pass: backfill, incremental or sweep over one date window.
CREATE TABLE sync_passes (
    id               {{ID}},
    connection_id    BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,                   -- backfill | incremental | sweep
    status           TEXT NOT NULL DEFAULT 'running', -- running | succeeded | failed
    window_from      BIGINT NOT NULL,
    window_to        BIGINT NOT NULL,
    started_at       BIGINT NOT NULL,
    finished_at      BIGINT NOT NULL DEFAULT 0,
    runs             INTEGER NOT NULL DEFAULT 0, -- job runs that worked on it (resumes, snoozes)
    api_calls        INTEGER NOT NULL DEFAULT 0,
    rate_limited     INTEGER NOT NULL DEFAULT 0,
    users_seen       INTEGER NOT NULL DEFAULT 0,
    meetings_written INTEGER NOT NULL DEFAULT 0,
    webinars_written INTEGER NOT NULL DEFAULT 0,
    calls_written    INTEGER NOT NULL DEFAULT 0,
    errors           INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_passes_connection ON sync_passes(connection_id, id);

-- The checkpoint: each unit of a pass (one stream's date window for one Zoom
-- user, or the user import) once it is fully listed and written.
CREATE TABLE sync_units (
    pass_id BIGINT NOT NULL REFERENCES sync_passes(id) ON DELETE CASCADE,
    unit    TEXT NOT NULL,
    done_at BIGINT NOT NULL,
    PRIMARY KEY (pass_id, unit)
);

-- High-water marks per stream and Zoom user: an incremental pass lists from
-- there (minus an overlap) to now, so a person mapped today, or a feature
-- switched back on, gets the full 30 days while everyone else gets a day.
CREATE TABLE sync_cursors (
    connection_id BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    stream        TEXT NOT NULL, -- meetings | webinars | calls
    zoom_user_id  TEXT NOT NULL,
    through_at    BIGINT NOT NULL,
    PRIMARY KEY (connection_id, stream, zoom_user_id)
);

-- Per-record errors: recorded, skipped, shown; never fatal to a pass.
CREATE TABLE sync_errors (
    id            {{ID}},
    connection_id BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    pass_id       BIGINT NOT NULL DEFAULT 0,
    stream        TEXT NOT NULL,
    zoom_user_id  TEXT NOT NULL DEFAULT '',
    ref           TEXT NOT NULL DEFAULT '',
    code          INTEGER NOT NULL DEFAULT 0,
    message       TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX sync_errors_connection ON sync_errors(connection_id, id);

-- A stream skips a Zoom user until a time, after Zoom said it does not apply
-- (no Phone licence, no webinar add-on); it is probed again after that.
CREATE TABLE sync_skips (
    connection_id BIGINT NOT NULL REFERENCES zoom_connections(id) ON DELETE CASCADE,
    stream        TEXT NOT NULL,
    zoom_user_id  TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    until_at      BIGINT NOT NULL,
    PRIMARY KEY (connection_id, stream, zoom_user_id)
);
