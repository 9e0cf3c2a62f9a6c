package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Artifact kinds (feature R1).
const (
	ArtifactRecording  = "zoom_recording"  // MP4 video or M4A audio
	ArtifactTranscript = "zoom_transcript" // VTT
	ArtifactSummary    = "zoom_summary"    // AI Companion summary, keyed by meeting UUID
)

// Artifact states on Zoom's side.
const (
	ZoomPresent = "present"
	ZoomTrashed = "trashed"
	ZoomDeleted = "deleted"
)

// Link rules (feature R2), in the order they are tried, and the manual one.
const (
	LinkBooking = "booking" // the meeting was created by a zoombridge booking
	LinkMeeting = "meeting" // a CRM activity registered with the meeting id or UUID
	LinkOverlap = "overlap" // the rep's CRM activity overlapping the meeting's time
	LinkManual  = "manual"  // a person moved it
)

// Unlinked reasons, stored as codes for the UI and API to word.
const (
	UnlinkedNoRep      = "no_rep"      // the host is not mapped to a person
	UnlinkedNoActivity = "no_activity" // no CRM activity registered with the meeting or overlapping it
	UnlinkedDetached   = "detached"    // a person detached it
)

// Artifact is the metadata of one recording file, transcript or summary.
type Artifact struct {
	ID               int64
	OrgID            int64
	ConnectionID     int64 // 0 once detached (it then survives a disconnect)
	PersonID         int64 // the host's person; 0 when unmapped
	ZoomUserID       string
	Kind             string
	ZoomKey          string // recording-file id, or the meeting UUID for a summary
	MeetingID        string
	MeetingUUID      string
	Topic            string
	FileType         string
	FileExtension    string
	RecordingType    string
	SizeBytes        int64
	MeetingStart     time.Time
	MeetingEnd       time.Time
	RecordingStart   time.Time
	RecordingEnd     time.Time
	PlayURL          string
	SummaryOverview  string   // only when the organization keeps summary text
	SummaryNextSteps []string // likewise
	ZoomState        string
	StateAt          time.Time // Zoom's time of ZoomState
	DescribedAt      time.Time // Zoom's time of the metadata and summary text
	TopicAt          time.Time // Zoom's time of Topic
	Link
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Link is where an artifact is shown: a deal (and the CRM activity it matched),
// or nowhere with a reason.
type Link struct {
	DealID         int64
	CRMActivityID  int64
	Rule           string // Link*; "" when unlinked
	UnlinkedReason string // Unlinked*; "" when linked
	Detached       bool
}

// Linked reports whether the artifact is shown on a deal.
func (l Link) Linked() bool { return l.DealID != 0 || l.CRMActivityID != 0 }

const artifactCols = `id, org_id, connection_id, person_id, zoom_user_id, kind, zoom_key, meeting_id, meeting_uuid, topic,
	file_type, file_extension, recording_type, size_bytes, meeting_start, meeting_end, recording_start, recording_end,
	play_url, summary_overview, summary_next_steps, zoom_state, state_ts, described_ts, topic_ts,
	deal_id, crm_activity_id, link_rule, unlinked_reason, detached, created_at, updated_at`

func scanArtifact(row interface{ Scan(...any) error }) (Artifact, error) {
	var a Artifact
	var conn, person, deal, act sql.NullInt64
	var mStart, mEnd, rStart, rEnd, stateTS, describedTS, topicTS, created, updated int64
	var steps string
	err := notFound(row.Scan(&a.ID, &a.OrgID, &conn, &person, &a.ZoomUserID, &a.Kind, &a.ZoomKey, &a.MeetingID, &a.MeetingUUID, &a.Topic,
		&a.FileType, &a.FileExtension, &a.RecordingType, &a.SizeBytes, &mStart, &mEnd, &rStart, &rEnd,
		&a.PlayURL, &a.SummaryOverview, &steps, &a.ZoomState, &stateTS, &describedTS, &topicTS,
		&deal, &act, &a.Rule, &a.UnlinkedReason, &a.Detached, &created, &updated))
	a.ConnectionID, a.PersonID, a.DealID, a.CRMActivityID = conn.Int64, person.Int64, deal.Int64, act.Int64
	a.MeetingStart, a.MeetingEnd, a.RecordingStart, a.RecordingEnd = fromMS(mStart), fromMS(mEnd), fromMS(rStart), fromMS(rEnd)
	a.StateAt, a.DescribedAt, a.TopicAt = fromMS(stateTS), fromMS(describedTS), fromMS(topicTS)
	a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
	if steps != "" && err == nil {
		err = json.Unmarshal([]byte(steps), &a.SummaryNextSteps)
	}
	return a, err
}

func nextStepsJSON(steps []string) string {
	if len(steps) == 0 {
		return ""
	}
	b, _ := json.Marshal(steps)
	return string(b)
}

// UpsertArtifact saves what Zoom says of an artifact, keyed by (org, kind,
// ZoomKey); its link is left alone. The description (topic, metadata,
// summary text) and the state change only when a's DescribedAt and StateAt
// are not older than what is stored, so events and fetches applied in any
// order end the same. It returns the stored artifact, and before: the
// row as it was (zero ID when new).
func (s *Store) UpsertArtifact(ctx context.Context, a Artifact, now time.Time) (saved, before Artifact, err error) {
	if a.ZoomState == "" {
		a.ZoomState = ZoomPresent
	}
	before, err = s.ArtifactByKey(ctx, a.OrgID, a.Kind, a.ZoomKey)
	switch {
	case errors.Is(err, ErrNotFound):
		id, err := s.insertID(ctx, `INSERT INTO artifacts (org_id, connection_id, person_id, zoom_user_id, kind, zoom_key, meeting_id, meeting_uuid,
				topic, file_type, file_extension, recording_type, size_bytes, meeting_start, meeting_end, recording_start, recording_end,
				play_url, summary_overview, summary_next_steps, zoom_state, state_ts, described_ts, topic_ts, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.OrgID, nullID(a.ConnectionID), nullID(a.PersonID), a.ZoomUserID, a.Kind, a.ZoomKey, a.MeetingID, a.MeetingUUID,
			a.Topic, a.FileType, a.FileExtension, a.RecordingType, a.SizeBytes, ms(a.MeetingStart), ms(a.MeetingEnd), ms(a.RecordingStart), ms(a.RecordingEnd),
			a.PlayURL, a.SummaryOverview, nextStepsJSON(a.SummaryNextSteps), a.ZoomState, ms(a.StateAt), ms(a.DescribedAt), ms(a.TopicAt), ms(now), ms(now))
		if err != nil {
			return Artifact{}, Artifact{}, err
		}
		saved, err = s.ArtifactByID(ctx, a.OrgID, id)
		return saved, Artifact{}, err
	case err != nil:
		return Artifact{}, Artifact{}, err
	}
	if a.DescribedAt.Before(before.DescribedAt) {
		// Zoom described it later already (a newer fetch): keep that
		// description; only the routing, the topic and the state may change.
		keep := before
		keep.ConnectionID, keep.PersonID, keep.ZoomUserID = a.ConnectionID, a.PersonID, a.ZoomUserID
		keep.Topic, keep.TopicAt, keep.ZoomState, keep.StateAt = a.Topic, a.TopicAt, a.ZoomState, a.StateAt
		a = keep
	}
	if a.TopicAt.Before(before.TopicAt) {
		a.Topic, a.TopicAt = before.Topic, before.TopicAt
	}
	if a.StateAt.Before(before.StateAt) {
		a.ZoomState, a.StateAt = before.ZoomState, before.StateAt
	}
	if a.SummaryOverview == "" && len(a.SummaryNextSteps) == 0 {
		// An event without the text (trash, recover) keeps what a fetch
		// stored; SetKeepSummaryText erases it when an organization opts out.
		a.SummaryOverview, a.SummaryNextSteps = before.SummaryOverview, before.SummaryNextSteps
	}
	conn := nullID(a.ConnectionID)
	if before.Detached {
		conn = nil // a detached artifact stays free of connections
	}
	_, err = s.exec(ctx, `UPDATE artifacts SET connection_id = ?, person_id = ?, zoom_user_id = ?, meeting_id = ?, meeting_uuid = ?, topic = ?,
			file_type = ?, file_extension = ?, recording_type = ?, size_bytes = ?, meeting_start = ?, meeting_end = ?,
			recording_start = ?, recording_end = ?, play_url = ?, summary_overview = ?, summary_next_steps = ?,
			zoom_state = ?, state_ts = ?, described_ts = ?, topic_ts = ?, updated_at = ?
		WHERE id = ?`,
		conn, nullID(a.PersonID), a.ZoomUserID, a.MeetingID, a.MeetingUUID, a.Topic,
		a.FileType, a.FileExtension, a.RecordingType, a.SizeBytes, ms(a.MeetingStart), ms(a.MeetingEnd),
		ms(a.RecordingStart), ms(a.RecordingEnd), a.PlayURL, a.SummaryOverview, nextStepsJSON(a.SummaryNextSteps),
		a.ZoomState, ms(a.StateAt), ms(a.DescribedAt), ms(a.TopicAt), ms(now), before.ID)
	if err != nil {
		return Artifact{}, Artifact{}, err
	}
	saved, err = s.ArtifactByID(ctx, a.OrgID, before.ID)
	return saved, before, err
}

// SetArtifactState records Zoom's state of an artifact at time at, unless a
// later state is already stored. It reports whether the state changed.
func (s *Store) SetArtifactState(ctx context.Context, orgID, id int64, state string, at, now time.Time) (bool, error) {
	res, err := s.exec(ctx, `UPDATE artifacts SET zoom_state = ?, state_ts = ?, updated_at = ?
		WHERE id = ? AND org_id = ? AND state_ts <= ? AND zoom_state <> ?`, state, ms(at), ms(now), id, orgID, ms(at), state)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// SetMeetingTopic renames a meeting's artifacts as of at, unless a later name is stored.
func (s *Store) SetMeetingTopic(ctx context.Context, orgID int64, meetingUUID, topic string, at, now time.Time) error {
	_, err := s.exec(ctx, `UPDATE artifacts SET topic = ?, topic_ts = ?, updated_at = ?
		WHERE org_id = ? AND meeting_uuid = ? AND topic_ts <= ?`, topic, ms(at), ms(now), orgID, meetingUUID, ms(at))
	return err
}

// SetArtifactLink saves where an artifact is shown. Detaching also frees it
// from its connection, so it survives a disconnect as a metadata-only record.
func (s *Store) SetArtifactLink(ctx context.Context, orgID, id int64, l Link, now time.Time) error {
	q := `UPDATE artifacts SET deal_id = ?, crm_activity_id = ?, link_rule = ?, unlinked_reason = ?, detached = ?, updated_at = ?`
	if l.Detached {
		q += ", connection_id = NULL"
	}
	return mustAffect(s.exec(ctx, q+" WHERE id = ? AND org_id = ?",
		nullID(l.DealID), nullID(l.CRMActivityID), l.Rule, l.UnlinkedReason, l.Detached, ms(now), id, orgID))
}

// ArtifactByID returns an artifact of the organization.
func (s *Store) ArtifactByID(ctx context.Context, orgID, id int64) (Artifact, error) {
	return scanArtifact(s.queryRow(ctx, "SELECT "+artifactCols+" FROM artifacts WHERE id = ? AND org_id = ?", id, orgID))
}

// ArtifactByKey returns the organization's artifact of a kind by Zoom's key.
func (s *Store) ArtifactByKey(ctx context.Context, orgID int64, kind, zoomKey string) (Artifact, error) {
	return scanArtifact(s.queryRow(ctx, "SELECT "+artifactCols+" FROM artifacts WHERE org_id = ? AND kind = ? AND zoom_key = ?", orgID, kind, zoomKey))
}

// ArtifactFilter selects artifacts; zero fields do not filter.
type ArtifactFilter struct {
	OrgID       int64
	DealID      int64
	PersonID    int64
	MeetingUUID string
	Unlinked    bool      // neither linked nor detached: what the re-match looks at
	Since       time.Time // meeting started at or after
	AfterID     int64     // keyset paging by id
	Limit       int       // default 500
	WithGone    bool      // include those trashed or deleted on Zoom
}

// Artifacts lists artifacts by id.
func (s *Store) Artifacts(ctx context.Context, f ArtifactFilter) ([]Artifact, error) {
	where := []string{"org_id = ?", "id > ?"}
	args := []any{f.OrgID, f.AfterID}
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.DealID != 0 {
		add("deal_id = ?", f.DealID)
	}
	if f.PersonID != 0 {
		add("person_id = ?", f.PersonID)
	}
	if f.MeetingUUID != "" {
		add("meeting_uuid = ?", f.MeetingUUID)
	}
	if f.Unlinked {
		add("detached = ?", false)
		where = append(where, "deal_id IS NULL", "crm_activity_id IS NULL")
	}
	if !f.Since.IsZero() {
		add("meeting_start >= ?", ms(f.Since))
	}
	if !f.WithGone {
		add("zoom_state = ?", ZoomPresent)
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	rows, err := s.query(ctx, "SELECT "+artifactCols+" FROM artifacts WHERE "+strings.Join(where, " AND ")+" ORDER BY id LIMIT ?",
		append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanArtifact)
}
