-- Zoom's recordings, transcripts and AI summaries (features R1-R5), as metadata
-- only: never the bytes, never a download token, never transcript text. Summary
-- text is kept only when the organization opts in (recording_org_settings).
--
-- connection_id cascades: a disconnect purges what came through the connection,
-- except artifacts a person detached, which lose their connection (NULL) and stay
-- as metadata-only records (R4).
CREATE TABLE artifacts (
    id                 {{ID}},
    org_id             BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    connection_id      BIGINT REFERENCES zoom_connections(id) ON DELETE CASCADE,
    person_id          BIGINT REFERENCES people(id) ON DELETE SET NULL,
    zoom_user_id       TEXT NOT NULL,             -- the meeting's host
    kind               TEXT NOT NULL,             -- zoom_recording | zoom_transcript | zoom_summary
    zoom_key           TEXT NOT NULL,             -- recording-file id; the meeting UUID for a summary
    meeting_id         TEXT NOT NULL DEFAULT '',  -- meeting number
    meeting_uuid       TEXT NOT NULL,
    topic              TEXT NOT NULL DEFAULT '',
    file_type          TEXT NOT NULL DEFAULT '',  -- MP4 | M4A | TRANSCRIPT | SUMMARY
    file_extension     TEXT NOT NULL DEFAULT '',
    recording_type     TEXT NOT NULL DEFAULT '',
    size_bytes         BIGINT NOT NULL DEFAULT 0,
    meeting_start      BIGINT NOT NULL DEFAULT 0,
    meeting_end        BIGINT NOT NULL DEFAULT 0,
    recording_start    BIGINT NOT NULL DEFAULT 0,
    recording_end      BIGINT NOT NULL DEFAULT 0,
    play_url           TEXT NOT NULL DEFAULT '',
    summary_overview   TEXT NOT NULL DEFAULT '',  -- only when the organization opted in
    summary_next_steps TEXT NOT NULL DEFAULT '',  -- JSON array; only when opted in
    zoom_state         TEXT NOT NULL DEFAULT 'present', -- present | trashed | deleted
    state_ts           BIGINT NOT NULL DEFAULT 0, -- Zoom's time of the state: an older event never overrides a newer one
    described_ts       BIGINT NOT NULL DEFAULT 0, -- Zoom's time of the metadata and summary text, likewise
    topic_ts           BIGINT NOT NULL DEFAULT 0, -- Zoom's time of the topic (a rename changes only the topic)
    deal_id            BIGINT REFERENCES crm_deals(id) ON DELETE SET NULL,
    crm_activity_id    BIGINT REFERENCES crm_activities(id) ON DELETE SET NULL,
    link_rule          TEXT NOT NULL DEFAULT '',  -- booking | meeting | overlap | manual; '' when unlinked
    unlinked_reason    TEXT NOT NULL DEFAULT '',  -- a code when unlinked: no_rep | no_activity | detached
    detached           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (org_id, kind, zoom_key)
);
CREATE INDEX artifacts_meeting ON artifacts(org_id, meeting_uuid);
CREATE INDEX artifacts_deal ON artifacts(deal_id);
CREATE INDEX artifacts_person_start ON artifacts(person_id, meeting_start);
CREATE INDEX artifacts_org_start ON artifacts(org_id, meeting_start);
CREATE INDEX artifacts_connection ON artifacts(connection_id);

-- Per person (R5): the Sync Recordings switch (no row: on) and the incremental
-- pass's cursor and outcome.
CREATE TABLE recording_people (
    person_id     BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    sync_enabled  BOOLEAN NOT NULL DEFAULT TRUE,
    synced_until  BIGINT NOT NULL DEFAULT 0,  -- the last successful pass covered recordings up to here
    last_sync_at  BIGINT NOT NULL DEFAULT 0,
    last_sweep_at BIGINT NOT NULL DEFAULT 0,
    last_problem  TEXT NOT NULL DEFAULT '',   -- a code: plan_basic | missing_scope | ''
    updated_at    BIGINT NOT NULL
);

-- Per organization: whether AI summary text (overview, next steps) is kept. Off by default.
CREATE TABLE recording_org_settings (
    org_id            BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    keep_summary_text BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at        BIGINT NOT NULL
);
