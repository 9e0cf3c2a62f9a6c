package zoomsim

import (
	"sort"
	"time"
)

// Truth is what the account holds at the current sim time, in the terms
// zoombridge should end up with: tests compare zoombridge against it.
type Truth struct {
	Now      time.Time      `json:"now"`
	Users    []TruthUser    `json:"users"`
	Meetings []TruthMeeting `json:"meetings"`
	Webinars []TruthWebinar `json:"webinars"`
	Calls    []TruthCall    `json:"calls"`
}

// TruthUser is a user, deleted ones included (Deleted set).
type TruthUser = User

// TruthMeeting is one ended meeting instance whose host still exists.
type TruthMeeting struct {
	ID                int64     `json:"id"`
	UUID              string    `json:"uuid"`
	HostID            string    `json:"host_id"`
	HostEmail         string    `json:"host_email"`
	Topic             string    `json:"topic"`
	Type              int       `json:"type"`
	Start             time.Time `json:"start"`
	End               time.Time `json:"end"`
	Duration          int       `json:"duration"` // minutes
	ParticipantsCount int       `json:"participants_count"`
	ParticipantIDs    []string  `json:"participant_ids"` // account users who took part, host first
	HasRecording      bool      `json:"has_recording"`   // cloud recording available now
	HasTranscript     bool      `json:"has_transcript"`
	HasSummary        bool      `json:"has_summary"`
}

// TruthWebinar is one ended webinar instance.
type TruthWebinar struct {
	ID                int64     `json:"id"`
	UUID              string    `json:"uuid"`
	HostID            string    `json:"host_id"`
	Topic             string    `json:"topic"`
	Start             time.Time `json:"start"`
	End               time.Time `json:"end"`
	Duration          int       `json:"duration"`
	ParticipantsCount int       `json:"participants_count"`
}

// TruthCall is one user's leg of an ended Zoom Phone call (its call history record).
type TruthCall struct {
	ID           string    `json:"id"`
	CallID       string    `json:"call_id"`
	UserID       string    `json:"user_id"`
	Direction    string    `json:"direction"`
	Internal     bool      `json:"internal"`
	CallerName   string    `json:"caller_name"`
	CallerNumber string    `json:"caller_number"`
	CalleeName   string    `json:"callee_name"`
	CalleeNumber string    `json:"callee_number"`
	Device       string    `json:"device"` // the user's device on this call
	Start        time.Time `json:"start"`
	Answer       time.Time `json:"answer,omitzero"`
	End          time.Time `json:"end"`
	Result       string    `json:"result"`
	TalkTime     int       `json:"talk_time"` // seconds
}

// Truth returns ground truth as of the current sim time.
func (s *Server) Truth() Truth {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clk.now
	t := Truth{Now: now, Users: []TruthUser{}, Meetings: []TruthMeeting{}, Webinars: []TruthWebinar{}, Calls: []TruthCall{}}
	for _, u := range s.acct.users {
		if !u.CreatedAt.After(now) {
			t.Users = append(t.Users, u.User)
		}
	}
	for _, m := range s.acct.meetings {
		for _, in := range m.instances {
			if !in.end.After(now) && s.hostPresent(m.hostID) {
				t.Meetings = append(t.Meetings, s.truthMeeting(in, now))
			}
		}
	}
	sort.Slice(t.Meetings, func(i, j int) bool {
		return truthLess(t.Meetings[i].Start, t.Meetings[j].Start, t.Meetings[i].UUID, t.Meetings[j].UUID)
	})
	for _, w := range s.acct.webinars {
		for _, wi := range w.instances {
			if !wi.end.After(now) && s.hostPresent(w.hostID) {
				t.Webinars = append(t.Webinars, TruthWebinar{ID: w.id, UUID: wi.uuid, HostID: w.hostID, Topic: w.topic,
					Start: wi.start, End: wi.end, Duration: wi.minutes(), ParticipantsCount: wi.attendees})
			}
		}
	}
	sort.Slice(t.Webinars, func(i, j int) bool {
		return truthLess(t.Webinars[i].Start, t.Webinars[j].Start, t.Webinars[i].UUID, t.Webinars[j].UUID)
	})
	for _, c := range s.acct.calls {
		if !c.end.After(now) && s.hostPresent(c.userID) {
			t.Calls = append(t.Calls, truthCall(c))
		}
	}
	sort.Slice(t.Calls, func(i, j int) bool {
		return truthLess(t.Calls[i].Start, t.Calls[j].Start, t.Calls[i].ID, t.Calls[j].ID)
	})
	return t
}

func truthLess(a, b time.Time, ida, idb string) bool {
	if !a.Equal(b) {
		return a.Before(b)
	}
	return ida < idb
}

func (s *Server) truthMeeting(in *instanceRec, now time.Time) TruthMeeting {
	host := s.acct.userByID[in.m.hostID]
	tm := TruthMeeting{
		ID: in.m.id, UUID: in.uuid, HostID: host.ID, HostEmail: host.Email, Topic: in.m.topic, Type: in.m.typ,
		Start: in.start, End: in.end, Duration: in.minutes(), ParticipantsCount: len(in.parts), ParticipantIDs: []string{},
		HasRecording:  recordingReady(in, now),
		HasTranscript: !in.transcriptAt.IsZero() && !in.transcriptAt.After(now),
		HasSummary:    in.summary != nil && !in.summaryAt.After(now) && in.sumState == "",
	}
	for _, p := range in.parts {
		if p.userID != "" {
			tm.ParticipantIDs = append(tm.ParticipantIDs, p.userID)
		}
	}
	return tm
}

func truthCall(c *callRec) TruthCall {
	self := c.callee
	if c.direction == "outbound" {
		self = c.caller
	}
	return TruthCall{
		ID: c.id, CallID: c.callID, UserID: c.userID, Direction: c.direction, Internal: c.internal,
		CallerName: c.caller.name, CallerNumber: c.caller.number, CalleeName: c.callee.name, CalleeNumber: c.callee.number,
		Device: self.device.typ, Start: c.start, Answer: c.answer, End: c.end, Result: c.result, TalkTime: c.talkTime(),
	}
}
