-- CRM records (features R2, R4): the deals and CRM activities a host product
-- registers through the API, or a booking creates, mirrored so Zoom's recordings,
-- transcripts and summaries can be linked to them. zoombridge is not a CRM: these
-- rows are keyed by the host product's external ids and upserted by them.

CREATE TABLE crm_deals (
    id              {{ID}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    external_id     TEXT NOT NULL,
    name            TEXT NOT NULL,
    stage           TEXT NOT NULL DEFAULT '',
    owner_person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (org_id, external_id)
);
CREATE INDEX crm_deals_org_name ON crm_deals(org_id, name);

-- A CRM activity is one planned call with a deal. zoom_meeting_id is the meeting
-- number, zoom_meeting_uuid one instance; either may be empty. source is "api" or
-- "booking" (created by a zoombridge booking: linking rule 1).
CREATE TABLE crm_activities (
    id                {{ID}},
    org_id            BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    external_id       TEXT NOT NULL,
    deal_id           BIGINT REFERENCES crm_deals(id) ON DELETE SET NULL,
    rep_person_id     BIGINT REFERENCES people(id) ON DELETE SET NULL,
    title             TEXT NOT NULL DEFAULT '',
    start_at          BIGINT NOT NULL,
    end_at            BIGINT NOT NULL,
    zoom_meeting_id   TEXT NOT NULL DEFAULT '',
    zoom_meeting_uuid TEXT NOT NULL DEFAULT '',
    source            TEXT NOT NULL DEFAULT 'api',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (org_id, external_id)
);
CREATE INDEX crm_activities_deal ON crm_activities(deal_id, start_at);
CREATE INDEX crm_activities_rep_start ON crm_activities(rep_person_id, start_at);
CREATE INDEX crm_activities_meeting ON crm_activities(org_id, zoom_meeting_id);
CREATE INDEX crm_activities_meeting_uuid ON crm_activities(org_id, zoom_meeting_uuid);
