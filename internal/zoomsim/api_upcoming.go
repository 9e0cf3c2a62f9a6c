package zoomsim

import (
	"strconv"
	"time"
)

// upcomingItem follows Rivet 0.4.0's MeetingsListUpcomingMeetingsResponse.
type upcomingItem struct {
	ID        int64  `json:"id"`
	Topic     string `json:"topic"`
	Type      int    `json:"type"`
	StartTime string `json:"start_time,omitempty"`
	Duration  int    `json:"duration"`
	Timezone  string `json:"timezone"`
	CreatedAt string `json:"created_at"`
	JoinURL   string `json:"join_url"`
	Passcode  string `json:"passcode"`
	UsePMI    bool   `json:"use_pmi"`
	IsHost    bool   `json:"is_host"`
}

type upcomingResponse struct {
	TotalRecords int            `json:"total_records"`
	Meetings     []upcomingItem `json:"meetings"`
}

// listUpcomingMeetings is GET /users/{userId}/upcoming_meetings: the user's
// meetings that are live or still to start, soonest first, in one answer.
func (s *Server) listUpcomingMeetings(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	var ms []*meetingRec
	for _, m := range s.acct.meetings {
		if m.hostID == u.ID && s.acct.visible(m, c.now) && m.listed("upcoming", c.now) {
			ms = append(ms, m)
		}
	}
	sortBy(ms, func(m *meetingRec) string { return timeKey(m.nextStart(c.now), itoa(m.id), false) })
	resp := upcomingResponse{TotalRecords: len(ms), Meetings: []upcomingItem{}}
	for _, m := range ms {
		resp.Meetings = append(resp.Meetings, upcomingItem{ID: m.id, Topic: m.topic, Type: m.typ, StartTime: ztime(m.nextStart(c.now)),
			Duration: m.duration, Timezone: m.timezone, CreatedAt: ztime(m.createdAt), JoinURL: s.joinURL(m), Passcode: m.password, IsHost: true})
	}
	return 200, resp, nil
}

// appCreator is the user a Server-to-Server app's "me" stands for: the user
// who created the app, here the account owner.
func (s *Server) appCreator() *userRec { return s.acct.users[0] }

// MeetingInfo is what a test may check of one meeting in the emulator.
type MeetingInfo struct {
	ID       int64
	HostID   string
	Topic    string
	Start    time.Time
	Duration int // minutes
	JoinURL  string
	Deleted  bool
	FromAPI  bool
}

// Meeting looks a meeting up by number, deleted or not.
func (s *Server) Meeting(number string) (MeetingInfo, bool) {
	id, err := strconv.ParseInt(number, 10, 64)
	if err != nil {
		return MeetingInfo{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.acct.meetingByID[id]
	if m == nil {
		return MeetingInfo{}, false
	}
	return MeetingInfo{ID: m.id, HostID: m.hostID, Topic: m.topic, Start: m.start, Duration: m.duration,
		JoinURL: s.joinURL(m), Deleted: m.deleted, FromAPI: m.fromAPI}, true
}
