package zoomsim

import "time"

// The events that follow people's changes to recordings and summaries.

// operatorPayload is the payload of events a person caused.
type operatorPayload struct {
	AccountID  string `json:"account_id"`
	Operator   string `json:"operator"`
	OperatorID string `json:"operator_id"`
	Object     any    `json:"object"`
}

func (s *Server) operatorEvent(name string, at time.Time, hostID string, object any) *outEvent {
	host := s.acct.userByID[hostID]
	return &outEvent{name: name, at: at, body: compactJSON(envelope{Event: name, EventTS: at.UnixMilli(),
		Payload: operatorPayload{AccountID: s.opts.AccountID, Operator: host.Email, OperatorID: host.ID, Object: object}})}
}

// recordingStateObject is RecordingTrashedEvent / RecordingDeletedEvent /
// RecordingRecoveredEvent's object: no password or passcode there.
// recordingObject (recording.completed) adds those to it.
type recordingStateObject struct {
	ID             int64               `json:"id"`
	UUID           string              `json:"uuid"`
	HostID         string              `json:"host_id"`
	AccountID      string              `json:"account_id"`
	Topic          string              `json:"topic"`
	Type           int                 `json:"type"`
	StartTime      string              `json:"start_time"`
	Timezone       string              `json:"timezone"`
	Duration       int                 `json:"duration"`
	ShareURL       string              `json:"share_url"`
	TotalSize      int64               `json:"total_size"`
	RecordingCount int                 `json:"recording_count"`
	RecordingFiles []recordingFileWire `json:"recording_files"`
}

// recordingBase is the object's fields of an instance, with no files yet.
func (s *Server) recordingBase(in *instanceRec) recordingStateObject {
	return recordingStateObject{ID: in.m.id, UUID: in.uuid, HostID: in.m.hostID, AccountID: s.opts.AccountID, Topic: in.m.topic,
		Type: in.m.typ, StartTime: ztime(in.start), Timezone: in.m.timezone, Duration: in.minutes(),
		ShareURL: s.baseURL + "/rec/share/" + in.docToken(), RecordingFiles: []recordingFileWire{}}
}

// addFiles lists files on the object with their total size.
func (o *recordingStateObject) addFiles(s *Server, in *instanceRec, want func(*recFile) bool) {
	for _, f := range in.files {
		if want(f) {
			o.RecordingFiles = append(o.RecordingFiles, s.fileWire(in, f))
			o.TotalSize += f.size
		}
	}
	o.RecordingCount = len(o.RecordingFiles)
}

// recordingStateEvent is sent by the operator (the host) at the current time;
// it lists every file of the meeting's recording.
func (s *Server) recordingStateEvent(name string, in *instanceRec) *outEvent {
	o := s.recordingBase(in)
	o.addFiles(s, in, func(f *recFile) bool { return !f.readyAt.After(s.clk.now) })
	return s.operatorEvent(name, s.clk.now, in.m.hostID, o)
}

// renameObject is RecordingRenamedEvent's object and old_object.
type renameObject struct {
	UUID   string `json:"uuid"`
	ID     int64  `json:"id"`
	Topic  string `json:"topic"`
	Type   int    `json:"type"`
	HostID string `json:"host_id"`
}

func (s *Server) newRenameEvent(nw, old renameObject) *outEvent {
	at := s.clk.now
	host := s.acct.userByID[nw.HostID]
	var p struct {
		AccountID  string       `json:"account_id"`
		Operator   string       `json:"operator"`
		OperatorID string       `json:"operator_id"`
		TimeStamp  int64        `json:"time_stamp"`
		Object     renameObject `json:"object"`
		OldObject  renameObject `json:"old_object"`
	}
	p.AccountID, p.Operator, p.OperatorID, p.TimeStamp, p.Object, p.OldObject = s.opts.AccountID, host.Email, host.ID, at.UnixMilli(), nw, old
	return &outEvent{name: "recording.renamed", at: at, body: compactJSON(envelope{Event: "recording.renamed", EventTS: at.UnixMilli(), Payload: p})}
}

// summaryMetaObject is the object of meeting.summary_trashed|deleted|recovered:
// the summary's metadata without its text.
type summaryMetaObject struct {
	MeetingHostID           string `json:"meeting_host_id"`
	MeetingHostEmail        string `json:"meeting_host_email"`
	MeetingUUID             string `json:"meeting_uuid"`
	MeetingID               int64  `json:"meeting_id"`
	MeetingTopic            string `json:"meeting_topic"`
	MeetingStartTime        string `json:"meeting_start_time"`
	MeetingEndTime          string `json:"meeting_end_time"`
	SummaryStartTime        string `json:"summary_start_time"`
	SummaryEndTime          string `json:"summary_end_time"`
	SummaryCreatedTime      string `json:"summary_created_time"`
	SummaryLastModifiedTime string `json:"summary_last_modified_time"`
	SummaryTitle            string `json:"summary_title"`
}

func (s *Server) summaryMetaObject(in *instanceRec) summaryMetaObject {
	return s.summaryWire(in).summaryMetaObject
}

// summaryUpdatedObject is MeetingSummaryUpdatedEvent's object: the summary
// with who edited it and what they changed.
type summaryUpdatedObject struct {
	summaryWire
	SummaryLastModifiedUserID    string `json:"summary_last_modified_user_id"`
	SummaryLastModifiedUserEmail string `json:"summary_last_modified_user_email"`
	EditedSummary                struct {
		SummaryOverview string `json:"summary_overview,omitempty"`
	} `json:"edited_summary"`
}

func (s *Server) summaryUpdatedEvent(in *instanceRec) *outEvent {
	o := summaryUpdatedObject{summaryWire: s.summaryWire(in)}
	host := s.acct.userByID[in.m.hostID]
	o.SummaryLastModifiedUserID, o.SummaryLastModifiedUserEmail = host.ID, host.Email
	o.EditedSummary.SummaryOverview = in.summary.overview
	return s.operatorEvent("meeting.summary_updated", s.clk.now, in.m.hostID, o)
}
