-- Scheduling (internal/booking): each person's booking profile (public slug,
-- working hours in their IANA zone), their meeting types, the bookings taken,
-- and the person's upcoming Zoom meetings as busy time.

CREATE TABLE booking_profiles (
    person_id          BIGINT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    org_id             BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    slug               TEXT NOT NULL UNIQUE,
    hours              TEXT NOT NULL,        -- JSON: zone, weekly ranges, date overrides
    link_key_enc       {{BLOB}} NOT NULL,    -- vault ciphertext: signs reschedule and cancel links
    busy_refreshed_at  BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX booking_profiles_org ON booking_profiles(org_id);

CREATE TABLE booking_types (
    id                {{ID}},
    org_id            BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    person_id         BIGINT NOT NULL REFERENCES booking_profiles(person_id) ON DELETE CASCADE,
    slug              TEXT NOT NULL,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    duration_min      INTEGER NOT NULL,
    buffer_before_min INTEGER NOT NULL DEFAULT 0,
    buffer_after_min  INTEGER NOT NULL DEFAULT 0,
    notice_min        INTEGER NOT NULL DEFAULT 0,
    increment_min     INTEGER NOT NULL DEFAULT 0,
    window_days       INTEGER NOT NULL DEFAULT 60,
    daily_limit       INTEGER NOT NULL DEFAULT 0,
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (person_id, slug)
);

-- A booking holds its slot from the moment it is taken; its Zoom meeting is
-- created by a job (zoom_state pending → created; deleted on cancel).
CREATE TABLE bookings (
    id                {{ID}},
    org_id            BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    person_id         BIGINT NOT NULL REFERENCES booking_profiles(person_id) ON DELETE CASCADE,
    type_id           BIGINT NOT NULL REFERENCES booking_types(id) ON DELETE CASCADE,
    uid               TEXT NOT NULL UNIQUE,
    sequence          INTEGER NOT NULL DEFAULT 0,
    status            TEXT NOT NULL,           -- confirmed | cancelled
    start_at          BIGINT NOT NULL,
    end_at            BIGINT NOT NULL,
    buffer_before_min INTEGER NOT NULL DEFAULT 0,
    buffer_after_min  INTEGER NOT NULL DEFAULT 0,
    local_date        TEXT NOT NULL,           -- the host's date of start_at, for daily limits
    booker_name       TEXT NOT NULL,
    booker_email      TEXT NOT NULL,
    booker_zone       TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    deal_ref          TEXT NOT NULL DEFAULT '',
    zoom_state        TEXT NOT NULL DEFAULT 'pending', -- pending | created | deleted | failed
    zoom_meeting_id   TEXT NOT NULL DEFAULT '',
    join_url          TEXT NOT NULL DEFAULT '',
    zoom_error        TEXT NOT NULL DEFAULT '',
    zoom_sequence     INTEGER NOT NULL DEFAULT -1, -- the sequence the Zoom meeting reflects
    mailed_sequence   INTEGER NOT NULL DEFAULT -1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX bookings_person_start ON bookings(person_id, start_at);
-- Two confirmed bookings of one person never start together, whatever the
-- code above does; overlaps in general are refused under the person's lock.
CREATE UNIQUE INDEX bookings_one_per_start ON bookings(person_id, start_at) WHERE status = 'confirmed';

CREATE TABLE zoom_upcoming (
    id              {{ID}},
    org_id          BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    person_id       BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    zoom_meeting_id TEXT NOT NULL,
    topic           TEXT NOT NULL DEFAULT '',
    start_at        BIGINT NOT NULL,
    end_at          BIGINT NOT NULL,
    join_url        TEXT NOT NULL DEFAULT '',
    updated_at      BIGINT NOT NULL,
    UNIQUE (person_id, zoom_meeting_id)
);
CREATE INDEX zoom_upcoming_person_start ON zoom_upcoming(person_id, start_at);
