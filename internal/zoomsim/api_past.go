package zoomsim

import (
	"strconv"
)

// Wire types follow Rivet 0.4.0's MeetingsGetPastMeetingDetailsResponse,
// MeetingsListPastMeetingInstancesResponse and
// MeetingsGetPastMeetingParticipantsResponse.

type pastMeetingResponse struct {
	ID                int64  `json:"id"`
	UUID              string `json:"uuid"`
	HostID            string `json:"host_id"`
	Type              int    `json:"type"`
	Topic             string `json:"topic"`
	UserName          string `json:"user_name"`
	UserEmail         string `json:"user_email"`
	StartTime         string `json:"start_time"`
	EndTime           string `json:"end_time"`
	Duration          int    `json:"duration"`
	TotalMinutes      int    `json:"total_minutes"`
	ParticipantsCount int    `json:"participants_count"`
	Dept              string `json:"dept"`
	Source            string `json:"source"`
}

type instanceItem struct {
	StartTime string `json:"start_time"`
	UUID      string `json:"uuid"`
}

type participantItem struct {
	ID           string `json:"id,omitempty"`
	Name         string `json:"name"`
	UserID       string `json:"user_id"`
	UserEmail    string `json:"user_email"`
	JoinTime     string `json:"join_time"`
	LeaveTime    string `json:"leave_time"`
	Duration     int    `json:"duration"`
	Failover     bool   `json:"failover"`
	Status       string `json:"status"`
	InternalUser bool   `json:"internal_user"`
}

type participantsResponse struct {
	NextPageToken string            `json:"next_page_token"`
	PageCount     int               `json:"page_count"`
	PageSize      int               `json:"page_size"`
	TotalRecords  int               `json:"total_records"`
	Participants  []participantItem `json:"participants"`
}

// instanceByPath resolves {meetingId} to an ended instance: a meeting ID
// means its latest instance, anything else is an instance UUID.
func (c *reqCtx) instanceByPath() (*instanceRec, *apiErr) {
	raw := pathValue(c.r, "meetingId")
	var in *instanceRec
	if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
		if m := c.s.acct.meetingByID[id]; m != nil {
			in = m.latestEnded(c.now)
		}
	} else if x := c.s.acct.instByUUID[raw]; x != nil && !x.end.After(c.now) {
		in = x
	}
	if in == nil || !c.s.hostPresent(in.m.hostID) {
		return nil, errMeetingNotFound(raw)
	}
	if err := c.mayAccess(in.m.hostID); err != nil {
		return nil, err
	}
	return in, nil
}

// hostPresent reports whether a user exists at the clock's now (created by
// then, not deleted): only their activity is served, delivered or in Truth.
func (s *Server) hostPresent(id string) bool {
	u := s.acct.userByID[id]
	return u != nil && !u.Deleted && !u.CreatedAt.After(s.clk.now)
}

func (s *Server) getPastMeeting(c *reqCtx) (int, any, *apiErr) {
	in, err := c.instanceByPath()
	if err != nil {
		return 0, nil, err
	}
	host := s.acct.userByID[in.m.hostID]
	return 200, pastMeetingResponse{
		ID: in.m.id, UUID: in.uuid, HostID: host.ID, Type: in.m.typ, Topic: in.m.topic,
		UserName: host.displayName(), UserEmail: host.Email, StartTime: ztime(in.start), EndTime: ztime(in.end),
		Duration: in.minutes(), TotalMinutes: in.totalMinutes(), ParticipantsCount: len(in.parts),
		Dept: host.Dept, Source: "Zoom",
	}, nil
}

func (s *Server) listPastInstances(c *reqCtx) (int, any, *apiErr) {
	raw := pathValue(c.r, "meetingId")
	id, perr := strconv.ParseInt(raw, 10, 64)
	m := s.acct.meetingByID[id]
	if perr != nil || m == nil || !s.hostPresent(m.hostID) {
		return 0, nil, errMeetingNotFound(raw)
	}
	if err := c.mayAccess(m.hostID); err != nil {
		return 0, nil, err
	}
	out := []instanceItem{}
	for _, in := range m.instances {
		if !in.end.After(c.now) {
			out = append(out, instanceItem{StartTime: ztime(in.start), UUID: in.uuid})
		}
	}
	return 200, map[string][]instanceItem{"meetings": out}, nil
}

func (s *Server) listPastParticipants(c *reqCtx) (int, any, *apiErr) {
	in, err := c.instanceByPath()
	if err != nil {
		return 0, nil, err
	}
	p, err := c.page(300)
	if err != nil {
		return 0, nil, err
	}
	idx := map[*participant]int{}
	parts := make([]*participant, len(in.parts))
	for i := range in.parts {
		parts[i] = &in.parts[i]
		idx[parts[i]] = i
	}
	key := func(p *participant) string { return timeKey(p.join, strconv.Itoa(1000+idx[p]), false) }
	sortBy(parts, key)
	pg, info := paginate(c, p, parts, key)
	resp := participantsResponse{NextPageToken: info.next, PageCount: info.count, PageSize: info.size,
		TotalRecords: info.total, Participants: []participantItem{}}
	for _, p := range pg {
		resp.Participants = append(resp.Participants, participantItem{
			ID: p.userID, Name: p.name, UserID: strconv.Itoa(16778240 + 1024*idx[p]), UserEmail: p.email,
			JoinTime: ztime(p.join), LeaveTime: ztime(p.leave), Duration: int(p.leave.Sub(p.join).Seconds()),
			Status: "in_meeting", InternalUser: p.internal,
		})
	}
	return 200, resp, nil
}
