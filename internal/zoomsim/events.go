package zoomsim

import (
	"time"
)

// outEvent is a webhook body ready to send: compact JSON, built when the
// event happens so retries resend the same bytes.
type outEvent struct {
	name string
	at   time.Time
	body []byte
}

// Envelopes follow Rivet 0.4.0's event types: event, event_ts (ms), payload;
// recording events add a top-level download_token.
type envelope struct {
	Event         string `json:"event"`
	EventTS       int64  `json:"event_ts"`
	DownloadToken string `json:"download_token,omitempty"`
	Payload       any    `json:"payload"`
}

type objectPayload struct {
	AccountID string `json:"account_id"`
	Object    any    `json:"object"`
}

func (s *Server) newEvent(name string, at time.Time, object any) *outEvent {
	return &outEvent{name: name, at: at, body: compactJSON(envelope{
		Event: name, EventTS: at.UnixMilli(), Payload: objectPayload{AccountID: s.opts.AccountID, Object: object},
	})}
}

// meetingObject is MeetingStartedEvent / MeetingEndedEvent's object; webinar
// events use the same fields. Note id is a string in these events.
type meetingObject struct {
	ID        string `json:"id"`
	UUID      string `json:"uuid"`
	HostID    string `json:"host_id"`
	Topic     string `json:"topic"`
	Type      int    `json:"type"`
	StartTime string `json:"start_time"`
	Timezone  string `json:"timezone"`
	Duration  int    `json:"duration"`
	EndTime   string `json:"end_time,omitempty"`
}

func (s *Server) meetingEvent(name string, in *instanceRec) *outEvent {
	o := meetingObject{ID: itoa(in.m.id), UUID: in.uuid, HostID: in.m.hostID, Topic: in.m.topic, Type: in.m.typ,
		StartTime: ztime(in.start), Timezone: in.m.timezone, Duration: in.m.duration}
	at := in.start
	if name == "meeting.ended" {
		o.EndTime, at = ztime(in.end), in.end
	}
	return s.newEvent(name, at, o)
}

func (s *Server) webinarEvent(name string, wi *webinarInstance) *outEvent {
	w := wi.w
	o := meetingObject{ID: itoa(w.id), UUID: wi.uuid, HostID: w.hostID, Topic: w.topic, Type: w.typ,
		StartTime: ztime(wi.start), Timezone: w.timezone, Duration: w.duration}
	at := wi.start
	if name == "webinar.ended" {
		o.EndTime, at = ztime(wi.end), wi.end
	}
	return s.newEvent(name, at, o)
}

// recordingObject is RecordingCompletedEvent's object (and, without the
// passcode, RecordingTranscriptCompletedEvent's): the state events' object
// with the password, the host's email and the play passcode.
type recordingObject struct {
	recordingStateObject
	Password              string `json:"password"`
	HostEmail             string `json:"host_email"`
	RecordingPlayPasscode string `json:"recording_play_passcode,omitempty"`
}

// recordingEvent builds recording.completed (files ready with the recording)
// or recording.transcript_completed (the transcript file alone).
func (s *Server) recordingEvent(name string, in *instanceRec) *outEvent {
	at, want := in.recAt, func(f *recFile) bool { return f.readyAt.Equal(in.recAt) && f.fileType != "TRANSCRIPT" }
	if name == "recording.transcript_completed" {
		at, want = in.transcriptAt, func(f *recFile) bool { return f.fileType == "TRANSCRIPT" }
	}
	host := s.acct.userByID[in.m.hostID]
	o := recordingObject{recordingStateObject: s.recordingBase(in), Password: in.m.password, HostEmail: host.Email}
	if name == "recording.completed" {
		o.RecordingPlayPasscode = in.m.password + "-" + in.uuid[:8]
	}
	o.addFiles(s, in, want)
	return &outEvent{name: name, at: at, body: compactJSON(envelope{
		Event: name, EventTS: at.UnixMilli(), DownloadToken: s.auth.downloadToken(s.opts.AccountID, at, 24*time.Hour),
		Payload: objectPayload{AccountID: s.opts.AccountID, Object: o},
	})}
}

func (s *Server) summaryEvent(in *instanceRec) *outEvent {
	return s.newEvent("meeting.summary_completed", in.summaryAt, s.summaryWire(in))
}

// appDeauthorized follows AppDeauthorizedEvent: no top-level event_ts, the
// fields sit in payload and event_ts is a number there.
type appDeauthorized struct {
	Event   string `json:"event"`
	Payload struct {
		AccountID           string `json:"account_id"`
		UserID              string `json:"user_id"`
		Signature           string `json:"signature"`
		DeauthorizationTime string `json:"deauthorization_time"`
		ClientID            string `json:"client_id"`
		EventTS             int64  `json:"event_ts"`
	} `json:"payload"`
}

func (s *Server) eventAppDeauthorized(g *grant) *outEvent {
	now := s.clk.now
	var e appDeauthorized
	e.Event = "app_deauthorized"
	e.Payload.AccountID, e.Payload.UserID, e.Payload.ClientID = s.opts.AccountID, g.userID, g.clientID
	e.Payload.Signature = hexID(s.apiRand, 32)
	e.Payload.DeauthorizationTime = now.UTC().Format("2006-01-02T15:04:05.000Z")
	e.Payload.EventTS = now.UnixMilli()
	return &outEvent{name: e.Event, at: now, body: compactJSON(e)}
}

// urlValidation is endpoint.url_validation, in Zoom's documented key order.
type urlValidation struct {
	Payload struct {
		PlainToken string `json:"plainToken"`
	} `json:"payload"`
	EventTS int64  `json:"event_ts"`
	Event   string `json:"event"`
}

func urlValidationEvent(plain string, at time.Time) *outEvent {
	var v urlValidation
	v.Payload.PlainToken, v.EventTS, v.Event = plain, at.UnixMilli(), "endpoint.url_validation"
	return &outEvent{name: v.Event, at: at, body: compactJSON(v)}
}
