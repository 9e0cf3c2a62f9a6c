package zoomsim

import (
	"encoding/json"
	"io"
	"strings"
	"time"
)

// meetingBody is the create/update request (Rivet's
// MeetingsCreateMeetingRequestBody, the fields the emulator acts on).
type meetingBody struct {
	Topic      *string `json:"topic"`
	Type       *int    `json:"type"`
	StartTime  *string `json:"start_time"`
	Duration   *int    `json:"duration"`
	Timezone   *string `json:"timezone"`
	Agenda     *string `json:"agenda"`
	Password   *string `json:"password"`
	Recurrence *struct {
		Type           int `json:"type"`
		RepeatInterval int `json:"repeat_interval"`
		EndTimes       int `json:"end_times"`
	} `json:"recurrence"`
	Settings *struct {
		AutoRecording           *string       `json:"auto_recording"`
		AutoStartMeetingSummary *bool         `json:"auto_start_meeting_summary"`
		MeetingInvitees         []inviteeWire `json:"meeting_invitees"`
	} `json:"settings"`
}

func readMeetingBody(c *reqCtx) (*meetingBody, *apiErr) {
	raw, _ := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
	var b meetingBody
	if len(strings.TrimSpace(string(raw))) == 0 {
		return &b, nil
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, errValidation("Request Body should be a valid JSON object.")
	}
	return &b, nil
}

// apply copies a body onto m, validating as Zoom does.
func (b *meetingBody) apply(m *meetingRec, now time.Time) *apiErr {
	if b.Type != nil {
		switch *b.Type {
		case 1, 2, 3, 8, 10:
			m.typ = *b.Type
		default:
			return errValidation("Invalid field: type.")
		}
		if m.typ == 3 || m.typ == 10 {
			m.typ = 2 // no fixed time and screen-share-only run like scheduled ones here
		}
	}
	if b.Topic != nil {
		m.topic = truncate(*b.Topic, 200)
	}
	if b.Agenda != nil {
		m.agenda = truncate(*b.Agenda, 2000)
	}
	if b.Timezone != nil && *b.Timezone != "" {
		m.timezone = *b.Timezone
	}
	if b.Duration != nil {
		if *b.Duration < 0 {
			return errValidation("Invalid field: duration.")
		}
		m.duration = *b.Duration
	}
	if b.Password != nil {
		if len(*b.Password) > 10 || strings.ContainsFunc(*b.Password, badPasswordRune) {
			return errValidation("Invalid field: password.")
		}
		m.password = *b.Password
	}
	if b.StartTime != nil && *b.StartTime != "" {
		t, ok := parseStart(*b.StartTime, m.timezone)
		if !ok {
			return errValidation("Invalid field: start_time.")
		}
		m.start = t
	}
	if b.Recurrence != nil {
		m.recur = recurrence{typ: b.Recurrence.Type, interval: b.Recurrence.RepeatInterval, endTimes: b.Recurrence.EndTimes}
	}
	if b.Settings != nil && b.Settings.AutoRecording != nil {
		m.autoRecording = *b.Settings.AutoRecording
	}
	if b.Settings != nil && b.Settings.AutoStartMeetingSummary != nil {
		m.autoSummary = *b.Settings.AutoStartMeetingSummary
	}
	if b.Settings != nil && b.Settings.MeetingInvitees != nil {
		m.invitees = nil
		for _, in := range b.Settings.MeetingInvitees {
			if !strings.Contains(in.Email, "@") {
				return errValidation("Invalid field: meeting_invitees.email.")
			}
			m.invitees = append(m.invitees, in.Email)
		}
	}
	if m.typ == 8 && m.recur.endTimes == 0 {
		m.recur.endTimes = 7 // the emulator's default; Zoom requires an end
	}
	if m.typ == 1 {
		m.start = now
	}
	return nil
}

func badPasswordRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@-_*", r))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// parseStart reads a UTC time ("...Z") or a local time in tz.
func parseStart(s, tz string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Truncate(time.Second), true
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc)
	return t.UTC(), err == nil
}

func (s *Server) createMeeting(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	b, err := readMeetingBody(c)
	if err != nil {
		return 0, nil, err
	}
	m := &meetingRec{
		id: meetingNumber(s.apiRand), uuid: meetingUUID(s.apiRand), hostID: u.ID, topic: "Zoom meeting",
		typ: 2, start: c.now, duration: 60, timezone: u.Timezone, createdAt: c.now,
		password: password(s.apiRand), autoRecording: "none", fromAPI: true, ranUpTo: c.now,
	}
	if err := b.apply(m, c.now); err != nil {
		return 0, nil, err
	}
	if err := s.lim.takeUserWrite(u.ID, c.now); err != nil {
		return 0, nil, err
	}
	s.acct.addMeeting(m)
	return 201, s.meetingBase(m, c.now), nil
}

func (s *Server) updateMeeting(c *reqCtx) (int, any, *apiErr) {
	m, err := c.meetingByPath()
	if err != nil {
		return 0, nil, err
	}
	b, err := readMeetingBody(c)
	if err != nil {
		return 0, nil, err
	}
	upd := *m
	if err := b.apply(&upd, c.now); err != nil {
		return 0, nil, err
	}
	if err := s.lim.takeUserWrite(m.hostID, c.now); err != nil {
		return 0, nil, err
	}
	*m = upd
	return 204, nil, nil
}

func (s *Server) deleteMeeting(c *reqCtx) (int, any, *apiErr) {
	m, err := c.meetingByPath()
	if err != nil {
		return 0, nil, err
	}
	m.deleted = true
	return 204, nil, nil
}
