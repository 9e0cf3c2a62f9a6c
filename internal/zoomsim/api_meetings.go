package zoomsim

import (
	"strconv"
	"time"
)

// Wire types follow Rivet 0.4.0's MeetingsListMeetingsResponse,
// MeetingsGetMeetingResponse and MeetingsCreateMeetingResponse.

type meetingListItem struct {
	UUID      string `json:"uuid"`
	ID        int64  `json:"id"`
	HostID    string `json:"host_id"`
	Topic     string `json:"topic"`
	Type      int    `json:"type"`
	StartTime string `json:"start_time,omitempty"`
	Duration  int    `json:"duration"`
	Timezone  string `json:"timezone"`
	Agenda    string `json:"agenda,omitempty"`
	CreatedAt string `json:"created_at"`
	JoinURL   string `json:"join_url"`
}

type meetingListResponse struct {
	NextPageToken string            `json:"next_page_token"`
	PageCount     int               `json:"page_count"`
	PageNumber    int               `json:"page_number"`
	PageSize      int               `json:"page_size"`
	TotalRecords  int               `json:"total_records"`
	Meetings      []meetingListItem `json:"meetings"`
}

type occurrenceWire struct {
	OccurrenceID string `json:"occurrence_id"`
	StartTime    string `json:"start_time"`
	Duration     int    `json:"duration"`
	Status       string `json:"status"`
}

type recurrenceWire struct {
	Type           int    `json:"type"`
	RepeatInterval int    `json:"repeat_interval"`
	WeeklyDays     string `json:"weekly_days,omitempty"`
	EndTimes       int    `json:"end_times,omitempty"`
}

type settingsWire struct {
	HostVideo               bool   `json:"host_video"`
	ParticipantVideo        bool   `json:"participant_video"`
	JoinBeforeHost          bool   `json:"join_before_host"`
	MuteUponEntry           bool   `json:"mute_upon_entry"`
	WaitingRoom             bool   `json:"waiting_room"`
	ApprovalType            int    `json:"approval_type"`
	Audio                   string `json:"audio"`
	AutoRecording           string `json:"auto_recording"`
	AlternativeHosts        string `json:"alternative_hosts"`
	AutoStartMeetingSummary bool   `json:"auto_start_meeting_summary"`
	// MeetingInvitees are the emails the meeting was created with (Rivet:
	// settings.meeting_invitees[].email).
	MeetingInvitees []inviteeWire `json:"meeting_invitees,omitempty"`
}

type inviteeWire struct {
	Email string `json:"email"`
}

// meetingBase is the part of a meeting shared by get and create responses.
type meetingBase struct {
	HostEmail         string           `json:"host_email"`
	ID                int64            `json:"id"`
	Agenda            string           `json:"agenda"`
	CreatedAt         string           `json:"created_at"`
	Duration          int              `json:"duration"`
	EncryptedPassword string           `json:"encrypted_password"`
	H323Password      string           `json:"h323_password"`
	PstnPassword      string           `json:"pstn_password"`
	JoinURL           string           `json:"join_url"`
	Occurrences       []occurrenceWire `json:"occurrences,omitempty"`
	Password          string           `json:"password"`
	PreSchedule       bool             `json:"pre_schedule"`
	Recurrence        *recurrenceWire  `json:"recurrence,omitempty"`
	Settings          settingsWire     `json:"settings"`
	StartTime         string           `json:"start_time,omitempty"`
	StartURL          string           `json:"start_url"`
	Timezone          string           `json:"timezone"`
	Topic             string           `json:"topic"`
	Type              int              `json:"type"`
	CreationSource    string           `json:"creation_source"`
}

// meetingResponse is GET /meetings/{id}: the base plus host_id, uuid, status.
type meetingResponse struct {
	HostID string `json:"host_id"`
	UUID   string `json:"uuid"`
	Status string `json:"status"`
	meetingBase
}

func (s *Server) listMeetings(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	typ := c.query("type")
	switch typ {
	case "":
		typ = "scheduled"
	case "scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings":
	default:
		return 0, nil, errValidation("Invalid field: type.")
	}
	p, err := c.page(300)
	if err != nil {
		return 0, nil, err
	}
	from, to, err := optionalDates(c)
	if err != nil {
		return 0, nil, err
	}
	var ms []*meetingRec
	for _, m := range s.acct.meetings {
		st := m.nextStart(c.now)
		if m.hostID == u.ID && s.acct.visible(m, c.now) && m.listed(typ, c.now) && inDates(st, from, to) {
			ms = append(ms, m)
		}
	}
	key := func(m *meetingRec) string { return timeKey(m.nextStart(c.now), itoa(m.id), false) }
	sortBy(ms, key)
	pg, info := paginate(c, p, ms, key)
	resp := meetingListResponse{NextPageToken: info.next, PageCount: info.count, PageNumber: info.number,
		PageSize: info.size, TotalRecords: info.total, Meetings: []meetingListItem{}}
	for _, m := range pg {
		resp.Meetings = append(resp.Meetings, meetingListItem{
			UUID: m.uuid, ID: m.id, HostID: m.hostID, Topic: m.topic, Type: m.typ,
			StartTime: ztime(m.nextStart(c.now)), Duration: m.duration, Timezone: m.timezone,
			Agenda: m.agenda, CreatedAt: ztime(m.createdAt), JoinURL: s.joinURL(m),
		})
	}
	return 200, resp, nil
}

// meetingByPath finds the meeting named by {meetingId} that this grant may see.
func (c *reqCtx) meetingByPath() (*meetingRec, *apiErr) {
	raw := pathValue(c.r, "meetingId")
	id, perr := strconv.ParseInt(raw, 10, 64)
	m := c.s.acct.meetingByID[id]
	if perr != nil || !c.s.acct.visible(m, c.now) {
		return nil, errMeetingNotFound(raw)
	}
	if err := c.mayAccess(m.hostID); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Server) getMeeting(c *reqCtx) (int, any, *apiErr) {
	m, err := c.meetingByPath()
	if err != nil {
		return 0, nil, err
	}
	status := "waiting"
	if m.live(c.now) != nil {
		status = "started"
	}
	return 200, meetingResponse{HostID: m.hostID, UUID: m.uuid, Status: status, meetingBase: s.meetingBase(m, c.now)}, nil
}

func (s *Server) meetingBase(m *meetingRec, now time.Time) meetingBase {
	host := s.acct.userByID[m.hostID]
	b := meetingBase{
		HostEmail: host.Email, ID: m.id, Agenda: m.agenda, CreatedAt: ztime(m.createdAt), Duration: m.duration,
		EncryptedPassword: encPassword(m), H323Password: digitsOf(m.password), PstnPassword: digitsOf(m.password),
		JoinURL: s.joinURL(m), Password: m.password, StartTime: ztime(m.nextStart(now)),
		StartURL: s.baseURL + "/s/" + itoa(m.id) + "?zak=" + encPassword(m), Timezone: m.timezone,
		Topic: m.topic, Type: m.typ, CreationSource: "other",
		Settings: settingsWire{HostVideo: true, JoinBeforeHost: false, MuteUponEntry: true, WaitingRoom: true,
			ApprovalType: 2, Audio: "both", AutoRecording: m.autoRecording, AutoStartMeetingSummary: m.autoSummary},
	}
	for _, e := range m.invitees {
		b.Settings.MeetingInvitees = append(b.Settings.MeetingInvitees, inviteeWire{Email: e})
	}
	if m.typ == 1 {
		b.StartTime = ""
	}
	if m.fromAPI {
		b.CreationSource = "open_api"
	}
	if m.typ == 8 {
		b.Recurrence = &recurrenceWire{Type: m.recur.typ, RepeatInterval: max(m.recur.interval, 1), EndTimes: m.recur.endTimes}
		if m.recur.typ == 2 {
			b.Recurrence.WeeklyDays = strconv.Itoa(int(m.start.Weekday()) + 1)
		}
		b.Occurrences = upcomingOccurrences(m, now)
	}
	return b
}

// upcomingOccurrences lists up to ten occurrences that have not ended.
func upcomingOccurrences(m *meetingRec, now time.Time) []occurrenceWire {
	var out []occurrenceWire
	for k := 0; len(out) < 10; k++ {
		t, ok := m.occurrence(k)
		if !ok {
			break
		}
		if t.Add(time.Duration(m.duration) * time.Minute).Before(now) {
			continue
		}
		out = append(out, occurrenceWire{OccurrenceID: occurrenceID(t), StartTime: ztime(t), Duration: m.duration, Status: "available"})
	}
	return out
}

func (s *Server) joinURL(m *meetingRec) string {
	return s.baseURL + "/j/" + itoa(m.id) + "?pwd=" + encPassword(m)
}

// encPassword is a stand-in for Zoom's encrypted passcode in join URLs.
func encPassword(m *meetingRec) string {
	return strconv.FormatUint(uint64(m.id)*2654435761%1_000_000_007, 36) + "." + m.password
}

// digitsOf derives the numeric passcode phone and H.323 dial-ins use.
func digitsOf(pw string) string {
	var n uint32 = 2166136261
	for _, c := range pw {
		n = (n ^ uint32(c)) * 16777619
	}
	return strconv.Itoa(100000 + int(n%900000))
}
