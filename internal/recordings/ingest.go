package recordings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// FetchArgs is the fast path after a completion event: fetch that one
// meeting's files (or its summary) and link them.
type FetchArgs struct {
	OrgID        int64  `json:"org_id"`
	ConnectionID int64  `json:"connection_id"`
	PersonID     int64  `json:"person_id"`
	HostID       string `json:"host_id"`
	MeetingUUID  string `json:"meeting_uuid"`
	Summary      bool   `json:"summary,omitempty"`
	EventTS      int64  `json:"event_ts"` // Zoom's time of the event: what the fetched files are known present as of
}

// Kind names the job in the queue.
func (FetchArgs) Kind() string { return "recordings_fetch" }

// FetchWorker runs FetchArgs jobs.
type FetchWorker struct {
	river.WorkerDefaults[FetchArgs]
	S *Service
}

// Work fetches and stores; a rate limit or an outage retries with backoff.
func (w *FetchWorker) Work(ctx context.Context, job *river.Job[FetchArgs]) error {
	return w.S.Fetch(ctx, job.Args)
}

// Fetch runs the fast path for one meeting.
func (s *Service) Fetch(ctx context.Context, a FetchArgs) error {
	c, err := s.st.OrgConnection(ctx, a.OrgID, a.ConnectionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // disconnected since
	}
	if err != nil {
		return err
	}
	r, ok, err := s.repVia(ctx, s.st, c, a.HostID)
	if err != nil || !ok {
		return err
	}
	if r.userType == connect.PlanBasic {
		return s.st.RecordRecordingPass(ctx, a.OrgID, r.personID, time.Time{}, store.RecordingProblemBasic, false, s.now())
	}
	zc := s.conn(c)
	at := time.UnixMilli(a.EventTS).UTC()
	var arts []store.Artifact
	if a.Summary {
		sm, err := zc.MeetingSummary(ctx, a.MeetingUUID)
		if err != nil {
			return s.fetchFailed(ctx, r, err)
		}
		keep, err := s.st.KeepSummaryText(ctx, a.OrgID)
		if err != nil {
			return err
		}
		arts = append(arts, summaryFromAPI(r, sm, keep, at))
	} else {
		m, err := zc.MeetingRecordings(ctx, a.MeetingUUID)
		if err != nil {
			return s.fetchFailed(ctx, r, err)
		}
		arts = filesFromAPI(r, m, at)
	}
	return s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		for _, art := range arts {
			if _, err := s.save(ctx, tx, art); err != nil {
				return err
			}
		}
		return s.relinkMeeting(ctx, tx, a.OrgID, a.MeetingUUID)
	})
}

// fetchFailed ends a fetch that cannot succeed (gone, plan, scope) without
// retrying, noting a problem a person can act on; anything else retries.
func (s *Service) fetchFailed(ctx context.Context, r rep, err error) error {
	if zoom.IsNotFound(err) {
		return nil // trashed or deleted since: its own event says so
	}
	if problem := problemOf(err); problem != "" {
		return s.st.RecordRecordingPass(ctx, r.conn.OrgID, r.personID, time.Time{}, problem, false, s.now())
	}
	return fmt.Errorf("recordings fetch: %w", err)
}

// problemOf classifies Zoom's refusals a person must act on.
func problemOf(err error) string {
	if _, ok := connect.ScopeProblem(err); ok {
		return store.RecordingProblemMissingScope
	}
	var ae *zoom.APIError
	if errors.As(err, &ae) && ae.Status == 400 && ae.Code == 200 { // "No permission": no cloud recording on this plan
		return store.RecordingProblemBasic
	}
	return ""
}

// kindOf maps Zoom's file type to an artifact kind; other files (chat,
// closed captions, the summary file, timelines) are not artifacts.
func kindOf(fileType string) (string, bool) {
	switch fileType {
	case "MP4", "M4A":
		return store.ArtifactRecording, true
	case "TRANSCRIPT":
		return store.ArtifactTranscript, true
	}
	return "", false
}

func baseArtifact(r rep, m meetingFacts) store.Artifact {
	return store.Artifact{OrgID: r.conn.OrgID, ConnectionID: r.conn.ID, PersonID: r.personID, ZoomUserID: m.hostID,
		MeetingID: m.number, MeetingUUID: m.uuid, Topic: m.topic, MeetingStart: m.start, MeetingEnd: m.end}
}

func fileArtifact(r rep, m meetingFacts, f recordingFile) (store.Artifact, bool) {
	kind, ok := kindOf(f.FileType)
	if !ok || f.ID == "" {
		return store.Artifact{}, false
	}
	a := baseArtifact(r, m)
	a.Kind, a.ZoomKey, a.FileType, a.FileExtension, a.RecordingType = kind, f.ID, f.FileType, f.FileExtension, f.RecordingType
	a.SizeBytes, a.PlayURL = f.FileSize, f.PlayURL
	a.RecordingStart, a.RecordingEnd = zoomTime(f.RecordingStart), zoomTime(f.RecordingEnd)
	return a, true
}

func summaryArtifact(r rep, m meetingFacts) store.Artifact {
	a := baseArtifact(r, m)
	a.Kind, a.ZoomKey, a.FileType = store.ArtifactSummary, m.uuid, "SUMMARY"
	return a
}

func filesFromAPI(r rep, m zoom.RecordingMeeting, at time.Time) []store.Artifact {
	facts := meetingFacts{uuid: m.UUID, number: number(m.ID), hostID: m.HostID, topic: m.Topic,
		start: m.StartTime.Time, end: endOf(m.StartTime.Time, m.Duration)}
	var out []store.Artifact
	for _, f := range m.RecordingFiles {
		a, ok := fileArtifact(r, facts, recordingFile{ID: f.ID, FileType: f.FileType, FileExtension: f.FileExtension,
			FileSize: f.FileSize, PlayURL: f.PlayURL, RecordingType: f.RecordingType,
			RecordingStart: f.RecordingStart.Format(time.RFC3339), RecordingEnd: f.RecordingEnd.Format(time.RFC3339)})
		if ok {
			a.StateAt, a.DescribedAt, a.TopicAt = at, at, at
			out = append(out, a)
		}
	}
	return out
}

func summaryFromAPI(r rep, sm zoom.MeetingSummary, keepText bool, at time.Time) store.Artifact {
	a := summaryArtifact(r, meetingFacts{uuid: sm.MeetingUUID, number: number(sm.MeetingID), hostID: sm.MeetingHostID,
		topic: sm.MeetingTopic, start: sm.MeetingStartTime.Time, end: sm.MeetingEndTime.Time})
	a.RecordingStart, a.RecordingEnd = sm.SummaryCreated.Time, sm.SummaryModified.Time
	a.PlayURL = sm.SummaryDocURL
	if keepText {
		a.SummaryOverview, a.SummaryNextSteps = sm.SummaryOverview, sm.NextSteps
	}
	a.StateAt, a.DescribedAt, a.TopicAt = at, at, at
	return a
}
