package zoomsim

import (
	"strconv"
	"time"
)

// webinarReportResponse follows Rivet 0.4.0's ReportsGetWebinarDetailReportsResponse
// (GET /report/webinars/{webinarId}); custom_keys and tracking_fields are
// left out: the emulator's webinars have none.
type webinarReportResponse struct {
	UUID              string `json:"uuid"`
	ID                int64  `json:"id"`
	Type              int    `json:"type"`
	Topic             string `json:"topic"`
	UserName          string `json:"user_name"`
	UserEmail         string `json:"user_email"`
	Dept              string `json:"dept"`
	StartTime         string `json:"start_time"`
	EndTime           string `json:"end_time"`
	Duration          int    `json:"duration"`
	TotalMinutes      int    `json:"total_minutes"`
	ParticipantsCount int    `json:"participants_count"`
}

// minutes is the instance's length as reports give it, like a meeting's.
func (wi *webinarInstance) minutes() int {
	return int(wi.end.Sub(wi.start).Round(time.Minute) / time.Minute)
}

// latestEnded returns the last instance that ended by now.
func (w *webinarRec) latestEnded(now time.Time) *webinarInstance {
	var out *webinarInstance
	for _, wi := range w.instances {
		if !wi.end.After(now) && (out == nil || wi.start.After(out.start)) {
			out = wi
		}
	}
	return out
}

// reportWebinar is GET /report/webinars/{webinarId}: an ended webinar
// instance (by UUID, or the latest one by webinar ID) with its end, length
// and attendance, which the webinar and instance endpoints do not give.
func (s *Server) reportWebinar(c *reqCtx) (int, any, *apiErr) {
	if s.opts.Plan == "basic" {
		return 0, nil, errNoPermission() // reports need a paid plan (and webinars a licence)
	}
	raw := pathValue(c.r, "webinarId")
	var wi *webinarInstance
	if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
		if w := s.acct.webinarByID[id]; w != nil {
			wi = w.latestEnded(c.now)
		}
	} else if x := s.acct.webinarInstByUUID[raw]; x != nil && !x.end.After(c.now) {
		wi = x
	}
	if wi == nil || !s.hostPresent(wi.w.hostID) {
		return 0, nil, newAPIErr(404, 3001, "Webinar %s is not found or has expired.", raw)
	}
	if err := c.mayAccess(wi.w.hostID); err != nil {
		return 0, nil, err
	}
	host := s.acct.userByID[wi.w.hostID]
	mins := wi.minutes()
	return 200, webinarReportResponse{
		UUID: wi.uuid, ID: wi.w.id, Type: wi.w.typ, Topic: wi.w.topic, UserName: host.displayName(),
		UserEmail: host.Email, Dept: host.Dept, StartTime: ztime(wi.start), EndTime: ztime(wi.end),
		Duration: mins, TotalMinutes: attendeeMinutes(mins, wi.attendees), ParticipantsCount: wi.attendees,
	}, nil
}

// attendeeMinutes is total_minutes, the minutes attendees spent in the
// webinar: the emulator keeps no attendee list, so each is taken to stay
// three quarters of it (choice).
func attendeeMinutes(mins, attendees int) int {
	return max(mins*attendees*3/4, min(mins, 1))
}
