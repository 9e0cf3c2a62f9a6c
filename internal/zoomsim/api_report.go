package zoomsim

import (
	"time"
)

// reportItem follows ReportsGetMeetingReportsResponse["meetings"][n] in Rivet 0.4.0.
type reportItem struct {
	UUID                    string `json:"uuid"`
	ID                      int64  `json:"id"`
	Type                    int    `json:"type"`
	Topic                   string `json:"topic"`
	UserName                string `json:"user_name"`
	UserEmail               string `json:"user_email"`
	StartTime               string `json:"start_time"`
	EndTime                 string `json:"end_time"`
	Duration                int    `json:"duration"`
	TotalMinutes            int    `json:"total_minutes"`
	ParticipantsCount       int    `json:"participants_count"`
	Source                  string `json:"source"`
	HasScreenShare          bool   `json:"has_screen_share"`
	HasRecording            bool   `json:"has_recording"`
	HasChat                 bool   `json:"has_chat"`
	MeetingEncryptionStatus int    `json:"meeting_encryption_status"`
	JoinTime                string `json:"join_time,omitempty"`
	LeaveTime               string `json:"leave_time,omitempty"`
}

type reportResponse struct {
	From          string       `json:"from"`
	To            string       `json:"to"`
	NextPageToken string       `json:"next_page_token"`
	PageCount     int          `json:"page_count"`
	PageSize      int          `json:"page_size"`
	TotalRecords  int          `json:"total_records"`
	Meetings      []reportItem `json:"meetings"`
}

// reportMeetings is GET /report/users/{userId}/meetings: a user's ended
// meetings. type=past lists hosted meetings with two or more participants,
// pastOne those with one, pastJoined meetings the user joined as a guest.
func (s *Server) reportMeetings(c *reqCtx) (int, any, *apiErr) {
	if s.opts.Plan == "basic" {
		return 0, nil, errNoPermission() // reports need a paid plan
	}
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	if c.query("from") == "" || c.query("to") == "" {
		return 0, nil, errValidation("The from and to fields are required.")
	}
	from, to, err := dateRange(c, time.Time{}, time.Time{}, 31)
	if err != nil {
		return 0, nil, err
	}
	if from.Before(day(c.now).AddDate(0, -6, 0)) {
		return 0, nil, errValidation("The from date must be within the past six months.")
	}
	typ := c.query("type")
	if typ == "" {
		typ = "past"
	}
	if typ != "past" && typ != "pastOne" && typ != "pastJoined" {
		return 0, nil, errValidation("Invalid field: type.")
	}
	p, err := c.page(300)
	if err != nil {
		return 0, nil, err
	}
	ins := s.reportInstances(u, typ, from, to, c.now)
	key := func(in *instanceRec) string { return timeKey(in.start, in.uuid, false) }
	sortBy(ins, key)
	pg, info := paginate(c, p, ins, key)
	resp := reportResponse{From: from.Format(zoomDate), To: to.Format(zoomDate), NextPageToken: info.next,
		PageCount: info.count, PageSize: info.size, TotalRecords: info.total, Meetings: []reportItem{}}
	for _, in := range pg {
		resp.Meetings = append(resp.Meetings, s.reportItem(in, u, typ))
	}
	return 200, resp, nil
}

func (s *Server) reportInstances(u *userRec, typ string, from, to, now time.Time) []*instanceRec {
	var out []*instanceRec
	for _, m := range s.acct.meetings {
		if !s.hostPresent(m.hostID) {
			continue
		}
		for _, in := range m.instances {
			if in.end.After(now) || !inDates(in.start, from, to) {
				continue
			}
			hosted := m.hostID == u.ID
			switch {
			case typ == "past" && hosted && len(in.parts) >= 2,
				typ == "pastOne" && hosted && len(in.parts) == 1,
				typ == "pastJoined" && !hosted && in.joined(u.ID) != nil:
				out = append(out, in)
			}
		}
	}
	return out
}

// joined returns the participant record of a user in the instance.
func (in *instanceRec) joined(userID string) *participant {
	for i := range in.parts {
		if in.parts[i].userID == userID {
			return &in.parts[i]
		}
	}
	return nil
}

func (s *Server) reportItem(in *instanceRec, u *userRec, typ string) reportItem {
	host := s.acct.userByID[in.m.hostID]
	it := reportItem{
		UUID: in.uuid, ID: in.m.id, Type: in.m.typ, Topic: in.m.topic, UserName: host.displayName(),
		UserEmail: host.Email, StartTime: ztime(in.start), EndTime: ztime(in.end), Duration: in.minutes(),
		TotalMinutes: in.totalMinutes(), ParticipantsCount: len(in.parts), Source: "Zoom",
		HasScreenShare: in.hasScreenShare, HasRecording: !in.recAt.IsZero(), HasChat: in.hasChat,
		MeetingEncryptionStatus: 1,
	}
	if p := in.joined(u.ID); p != nil && typ == "pastJoined" {
		it.JoinTime, it.LeaveTime = ztime(p.join), ztime(p.leave)
	}
	return it
}
