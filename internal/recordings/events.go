package recordings

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Outcomes of handling an event, as the webhook inbox records them.
const (
	OutcomeApplied      = "applied"
	OutcomeQueued       = "stored" // a fetch of the meeting's files is queued
	OutcomeNotIngested  = "not_ingested"
	OutcomeNoConnection = "no_connection"
	OutcomeMalformed    = "malformed"
	OutcomeUnhandled    = "unhandled"
)

// Events lists the Zoom events this package handles.
var Events = []string{
	"recording.completed", "recording.transcript_completed", "recording.trashed", "recording.deleted",
	"recording.recovered", "recording.renamed",
	"meeting.summary_completed", "meeting.summary_updated", "meeting.summary_trashed", "meeting.summary_deleted",
	"meeting.summary_recovered",
}

// Handles reports whether event is one of Events.
func Handles(event string) bool {
	for _, e := range Events {
		if e == event {
			return true
		}
	}
	return false
}

// recordingObject is what the recording events' object holds that
// zoombridge uses (Rivet 0.4.0's Recording*Event). Passwords, passcodes and
// the download token are not declared, so they are never read.
type recordingObject struct {
	UUID           string          `json:"uuid"`
	ID             json.Number     `json:"id"`
	HostID         string          `json:"host_id"`
	Topic          string          `json:"topic"`
	StartTime      string          `json:"start_time"`
	Duration       int             `json:"duration"`
	RecordingFiles []recordingFile `json:"recording_files"`
}

type recordingFile struct {
	ID             string `json:"id"`
	RecordingStart string `json:"recording_start"`
	RecordingEnd   string `json:"recording_end"`
	FileType       string `json:"file_type"`
	FileExtension  string `json:"file_extension"`
	FileSize       int64  `json:"file_size"`
	PlayURL        string `json:"play_url"`
	RecordingType  string `json:"recording_type"`
}

// summaryObject is the meeting.summary_* events' object, without its text.
type summaryObject struct {
	MeetingHostID    string      `json:"meeting_host_id"`
	MeetingUUID      string      `json:"meeting_uuid"`
	MeetingID        json.Number `json:"meeting_id"`
	MeetingTopic     string      `json:"meeting_topic"`
	MeetingStartTime string      `json:"meeting_start_time"`
	MeetingEndTime   string      `json:"meeting_end_time"`
}

// HandleEvent applies one stored Zoom event in the webhook processor's
// transaction tx; conns are the connections the event reaches. Completion
// events queue a fetch of that one meeting; trash, delete, recover and rename
// change the artifacts at once, ordered by Zoom's event time so that
// duplicates and reordering end in the same state.
func (s *Service) HandleEvent(ctx context.Context, tx *store.Store, ev store.InboxEvent, conns []store.Connection) (string, error) {
	var env struct {
		Payload struct {
			Object json.RawMessage `json:"object"`
		} `json:"payload"`
	}
	if json.Unmarshal(ev.Body, &env) != nil || len(env.Payload.Object) == 0 {
		return OutcomeMalformed, nil
	}
	at := time.UnixMilli(ev.EventTS).UTC()
	m, ok := meetingOf(ev.Event, env.Payload.Object)
	if !ok {
		return OutcomeMalformed, nil
	}
	if len(conns) == 0 {
		return OutcomeNoConnection, nil
	}
	reps, err := s.repsOf(ctx, tx, conns, m.hostID)
	if err != nil || len(reps) == 0 {
		return OutcomeNotIngested, err
	}
	outcome := OutcomeApplied
	for _, r := range reps {
		o, err := s.applyEvent(ctx, tx, ev.Event, r, m, at)
		if err != nil {
			return "", err
		}
		if o == OutcomeQueued {
			outcome = o
		}
	}
	return outcome, nil
}

// meetingFacts is what an event says of the meeting and its files.
type meetingFacts struct {
	uuid, number, hostID, topic string
	start, end                  time.Time
	files                       []recordingFile
}

func meetingOf(event string, raw json.RawMessage) (meetingFacts, bool) {
	if isSummaryEvent(event) {
		var o summaryObject
		if json.Unmarshal(raw, &o) != nil || o.MeetingUUID == "" {
			return meetingFacts{}, false
		}
		return meetingFacts{uuid: o.MeetingUUID, number: o.MeetingID.String(), hostID: o.MeetingHostID, topic: o.MeetingTopic,
			start: zoomTime(o.MeetingStartTime), end: zoomTime(o.MeetingEndTime)}, true
	}
	var o recordingObject
	if json.Unmarshal(raw, &o) != nil || o.UUID == "" {
		return meetingFacts{}, false
	}
	start := zoomTime(o.StartTime)
	return meetingFacts{uuid: o.UUID, number: o.ID.String(), hostID: o.HostID, topic: o.Topic, start: start,
		end: endOf(start, o.Duration), files: o.RecordingFiles}, true
}

func isSummaryEvent(event string) bool { return len(event) > 16 && event[:16] == "meeting.summary_" }

func (s *Service) applyEvent(ctx context.Context, tx *store.Store, event string, r rep, m meetingFacts, at time.Time) (string, error) {
	fetch := FetchArgs{OrgID: r.conn.OrgID, ConnectionID: r.conn.ID, PersonID: r.personID, HostID: m.hostID, MeetingUUID: m.uuid, EventTS: at.UnixMilli()}
	switch event {
	case "recording.completed", "recording.transcript_completed":
		return OutcomeQueued, s.enqueue(ctx, tx, fetch)
	case "meeting.summary_completed", "meeting.summary_updated":
		fetch.Summary = true
		return OutcomeQueued, s.enqueue(ctx, tx, fetch)
	case "recording.renamed":
		return OutcomeApplied, tx.SetMeetingTopic(ctx, r.conn.OrgID, m.uuid, m.topic, at, s.now())
	}
	state := map[string]string{
		"recording.trashed": store.ZoomTrashed, "recording.deleted": store.ZoomDeleted, "recording.recovered": store.ZoomPresent,
		"meeting.summary_trashed": store.ZoomTrashed, "meeting.summary_deleted": store.ZoomDeleted, "meeting.summary_recovered": store.ZoomPresent,
	}[event]
	if state == "" {
		return OutcomeUnhandled, nil
	}
	var arts []store.Artifact
	if isSummaryEvent(event) {
		arts = []store.Artifact{summaryArtifact(r, m)}
	} else {
		for _, f := range m.files {
			if a, ok := fileArtifact(r, m, f); ok {
				arts = append(arts, a)
			}
		}
		if len(m.files) == 0 { // the whole meeting's recording
			known, err := tx.Artifacts(ctx, store.ArtifactFilter{OrgID: r.conn.OrgID, MeetingUUID: m.uuid, WithGone: true})
			if err != nil {
				return "", err
			}
			for _, a := range known {
				if a.Kind != store.ArtifactSummary {
					arts = append(arts, a)
				}
			}
		}
	}
	for i := range arts {
		arts[i].ZoomState, arts[i].StateAt, arts[i].DescribedAt, arts[i].TopicAt = state, at, time.Time{}, time.Time{}
		if _, err := s.save(ctx, tx, arts[i]); err != nil {
			return "", err
		}
	}
	if err := s.relinkMeeting(ctx, tx, r.conn.OrgID, m.uuid); err != nil {
		return "", err
	}
	if state == store.ZoomPresent { // recovered: Zoom's current files may differ from the event's
		return OutcomeQueued, s.enqueue(ctx, tx, fetch)
	}
	return OutcomeApplied, nil
}

// zoomTime parses Zoom's RFC 3339 times; anything else is unknown (zero).
func zoomTime(v string) time.Time {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func endOf(start time.Time, minutes int) time.Time {
	if start.IsZero() {
		return start
	}
	return start.Add(time.Duration(minutes) * time.Minute)
}

func number(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
