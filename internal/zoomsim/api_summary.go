package zoomsim

import (
	"strconv"
)

// summaryWire is both MeetingsGetMeetingOrWebinarSummaryResponse and the
// object of MeetingSummaryCompletedEvent in Rivet 0.4.0 (the event requires
// summary_details and next_steps, the REST type declares every field).
type summaryWire struct {
	summaryMetaObject
	SummaryOverview string          `json:"summary_overview"`
	SummaryDetails  []summaryDetail `json:"summary_details"`
	NextSteps       []string        `json:"next_steps"`
	SummaryContent  string          `json:"summary_content"`
	SummaryDocURL   string          `json:"summary_doc_url"`
}

type summaryDetail struct {
	Label   string `json:"label"`
	Summary string `json:"summary"`
}

func (s *Server) summaryWire(in *instanceRec) summaryWire {
	host := s.acct.userByID[in.m.hostID]
	sm := in.summary
	w := summaryWire{summaryMetaObject: summaryMetaObject{
		MeetingHostID: host.ID, MeetingHostEmail: host.Email, MeetingUUID: in.uuid, MeetingID: in.m.id,
		MeetingTopic: in.m.topic, MeetingStartTime: ztime(in.start), MeetingEndTime: ztime(in.end),
		SummaryStartTime: ztime(in.start), SummaryEndTime: ztime(in.end),
		SummaryCreatedTime: ztime(in.summaryAt), SummaryLastModifiedTime: ztime(in.summaryAt), SummaryTitle: sm.title},
		SummaryOverview: sm.overview, NextSteps: sm.nextSteps, SummaryContent: sm.content, SummaryDocURL: s.baseURL + "/doc/" + in.docToken(),
	}
	for _, d := range sm.details {
		w.SummaryDetails = append(w.SummaryDetails, summaryDetail{Label: d[0], Summary: d[1]})
	}
	return w
}

// docToken names the summary document and share page after the instance.
func (in *instanceRec) docToken() string {
	return strconv.FormatInt(in.m.id, 36) + "-" + strconv.FormatInt(in.start.Unix(), 36)
}

// getMeetingSummary is GET /meetings/{meetingId}/meeting_summary: the AI
// Companion summary of an instance (UUID; a meeting ID means the latest).
func (s *Server) getMeetingSummary(c *reqCtx) (int, any, *apiErr) {
	raw := pathValue(c.r, "meetingId")
	ready := func(in *instanceRec) bool {
		return in.summary != nil && !in.summaryAt.After(c.now) && in.sumState == ""
	}
	var in *instanceRec
	if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
		if m := s.acct.meetingByID[id]; m != nil {
			for _, x := range m.instances {
				if ready(x) && (in == nil || x.start.After(in.start)) {
					in = x
				}
			}
		}
	} else if x := s.acct.instByUUID[raw]; x != nil && ready(x) {
		in = x
	}
	if in == nil || !s.hostPresent(in.m.hostID) {
		return 0, nil, newAPIErr(404, 3001, "Meeting summary does not exist: %s.", raw)
	}
	if err := c.mayAccess(in.m.hostID); err != nil {
		return 0, nil, err
	}
	return 200, s.summaryWire(in), nil
}
