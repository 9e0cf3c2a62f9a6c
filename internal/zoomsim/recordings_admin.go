package zoomsim

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// Recordings and AI summaries on demand, and what people do to them in Zoom:
// trash, delete, recover, rename, edit. Each change sends the event Zoom
// sends (Rivet 0.4.0's Recording*Event and MeetingSummary*Event).

// ErrNoRecording is a meeting UUID without a cloud recording (or summary).
var ErrNoRecording = errors.New("zoomsim: no such recording")

// NewRecordedMeeting asks for a meeting that runs once and is recorded.
type NewRecordedMeeting struct {
	HostID     string
	Topic      string
	Start      time.Time
	Minutes    int
	UUID       string // optional: a UUID such as "/ab//cd==" to exercise Zoom's double-encoding rule
	Transcript bool   // a VTT transcript follows the recording
	Summary    bool   // an AI Companion summary
}

// RecordedMeeting is what RecordMeeting planned: when each event fires.
type RecordedMeeting struct {
	ID           int64
	UUID         string
	RecordingAt  time.Time // recording.completed (zero for a host without cloud recording)
	TranscriptAt time.Time
	SummaryAt    time.Time
	FileIDs      []string // MP4, M4A and, with a transcript, the VTT
}

// RecordMeeting plans a meeting of the host's with a fixed schedule: its
// events fire as the clock passes them. A Basic host (or a Basic plan)
// gets the meeting without cloud recording or summary, as on Zoom.
func (s *Server) RecordMeeting(nm NewRecordedMeeting) (RecordedMeeting, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	host := s.acct.lookupUser(nm.HostID)
	if host == nil || host.Deleted {
		return RecordedMeeting{}, ErrNoUser
	}
	if nm.Minutes <= 0 {
		nm.Minutes = 30
	}
	r := s.apiRand
	m := &meetingRec{id: meetingNumber(r), uuid: nm.UUID, hostID: host.ID, topic: nm.Topic, typ: 2, start: nm.Start.UTC(),
		duration: nm.Minutes, timezone: host.Timezone, createdAt: s.clk.now, password: password(r), autoRecording: "cloud",
		autoSummary: nm.Summary, fromAPI: true, ranUpTo: nm.Start.UTC()}
	for s.acct.meetingByID[m.id] != nil || s.acct.webinarByID[m.id] != nil {
		m.id++
	}
	if m.uuid == "" {
		m.uuid = meetingUUID(r)
	}
	if s.acct.instByUUID[m.uuid] != nil {
		return RecordedMeeting{}, errors.New("zoomsim: a meeting with that UUID exists")
	}
	s.acct.addMeeting(m)
	in := &instanceRec{uuid: m.uuid, m: m, start: m.start, end: m.start.Add(time.Duration(nm.Minutes) * time.Minute)}
	in.parts = []participant{{id: zoomUserID(r), userID: host.ID, name: host.displayName(), email: host.Email, join: in.start, leave: in.end, internal: true}}
	out := RecordedMeeting{ID: m.id, UUID: in.uuid}
	if host.Type == 2 && s.opts.Plan != "basic" {
		in.recAt = in.end.Add(2 * time.Minute)
		mk := func(ft, ext, rt string, size int64, ready time.Time) {
			f := &recFile{id: uuid4(r), fileType: ft, ext: ext, recType: rt, size: size, start: in.start, end: in.end, readyAt: ready, token: hexID(r, 18)}
			s.acct.fileByToken[f.token] = fileRef{f: f, in: in}
			in.files = append(in.files, f)
			out.FileIDs = append(out.FileIDs, f.id)
		}
		secs := int64(nm.Minutes * 60)
		mk("MP4", "MP4", "shared_screen_with_speaker_view", secs*80_000, in.recAt)
		mk("M4A", "M4A", "audio_only", secs*8_000, in.recAt)
		if nm.Transcript {
			in.transcriptAt = in.recAt.Add(time.Minute)
			mk("TRANSCRIPT", "VTT", "audio_transcript", secs*20, in.transcriptAt)
		}
		if nm.Summary {
			in.summaryAt = in.end.Add(90 * time.Second)
			in.summary = genSummary(seeded(s.opts.Seed, uint64(m.id)), in)
			mk("SUMMARY", "JSON", "summary", 4_000, latest(in.summaryAt, in.recAt))
			out.FileIDs = out.FileIDs[:len(out.FileIDs)-1] // not a recording file zoombridge keeps
		}
		out.RecordingAt, out.TranscriptAt, out.SummaryAt = in.recAt, in.transcriptAt, in.summaryAt
	}
	m.instances = append(m.instances, in)
	s.acct.instByUUID[in.uuid] = in
	return out, nil
}

// Recording actions people take in Zoom.
const (
	ActionTrash   = "trash"
	ActionDelete  = "delete"
	ActionRecover = "recover"
)

// ChangeRecording trashes, deletes (for good) or recovers a meeting's cloud
// recording and sends recording.trashed|deleted|recovered.
func (s *Server) ChangeRecording(uuid, action string) error {
	s.mu.Lock()
	in := s.acct.instByUUID[uuid]
	if in == nil || in.recAt.IsZero() || in.recAt.After(s.clk.now) || in.recState == "deleted" {
		s.mu.Unlock()
		return ErrNoRecording
	}
	name, state, err := stateChange("recording", in.recState, action)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	in.recState = state
	ev := s.recordingStateEvent(name, in)
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// ChangeSummary trashes, deletes or recovers a meeting's AI summary and
// sends meeting.summary_trashed|deleted|recovered.
func (s *Server) ChangeSummary(uuid, action string) error {
	s.mu.Lock()
	in := s.acct.instByUUID[uuid]
	if in == nil || in.summary == nil || in.summaryAt.After(s.clk.now) || in.sumState == "deleted" {
		s.mu.Unlock()
		return ErrNoRecording
	}
	name, state, err := stateChange("meeting.summary", in.sumState, action)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	in.sumState = state
	ev := s.operatorEvent(name, s.clk.now, in.m.hostID, s.summaryMetaObject(in))
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// stateChange is Zoom's trash rules: trash what is present, recover what is
// trashed, delete either for good.
func stateChange(prefix, from, action string) (event, to string, err error) {
	sep := "."
	if prefix == "meeting.summary" {
		sep = "_"
	}
	switch {
	case action == ActionTrash && from == "":
		return prefix + sep + "trashed", "trashed", nil
	case action == ActionRecover && from == "trashed":
		return prefix + sep + "recovered", "", nil
	case action == ActionDelete:
		return prefix + sep + "deleted", "deleted", nil
	}
	return "", "", errors.New("zoomsim: cannot " + action + " what is " + strings.TrimSpace(from+" present"))
}

// RenameRecording renames a recorded meeting and sends recording.renamed.
func (s *Server) RenameRecording(uuid, topic string) error {
	s.mu.Lock()
	in := s.acct.instByUUID[uuid]
	if in == nil || in.recAt.IsZero() || in.recState == "deleted" {
		s.mu.Unlock()
		return ErrNoRecording
	}
	old := renameObject{UUID: in.uuid, ID: in.m.id, Topic: in.m.topic, Type: in.m.typ, HostID: in.m.hostID}
	in.m.topic = topic
	nw := old
	nw.Topic = topic
	ev := s.newRenameEvent(nw, old)
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// UpdateSummary edits a summary's overview and sends meeting.summary_updated.
func (s *Server) UpdateSummary(uuid, overview string) error {
	s.mu.Lock()
	in := s.acct.instByUUID[uuid]
	if in == nil || in.summary == nil || in.sumState != "" {
		s.mu.Unlock()
		return ErrNoRecording
	}
	in.summary.overview = overview
	in.summaryAt = s.clk.now
	ev := s.summaryUpdatedEvent(in)
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// recordingControls mount /_sim/recordings/{uuid}/{action} (trash, delete,
// recover, rename?topic=) and /_sim/summaries/{uuid}/{action} (trash, delete,
// recover, update?overview=). UUIDs are path-escaped.
func (s *Server) recordingControls(mux *http.ServeMux) {
	mux.HandleFunc("POST /_sim/recordings/{uuid}/{action}", func(w http.ResponseWriter, r *http.Request) {
		uuid, action := pathValue(r, "uuid"), r.PathValue("action")
		if action == "rename" {
			ctlDone(w, s.RenameRecording(uuid, r.FormValue("topic")))
			return
		}
		ctlDone(w, s.ChangeRecording(uuid, action))
	})
	mux.HandleFunc("POST /_sim/summaries/{uuid}/{action}", func(w http.ResponseWriter, r *http.Request) {
		uuid, action := pathValue(r, "uuid"), r.PathValue("action")
		if action == "update" {
			ctlDone(w, s.UpdateSummary(uuid, r.FormValue("overview")))
			return
		}
		ctlDone(w, s.ChangeSummary(uuid, action))
	})
}
