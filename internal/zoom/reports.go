package zoom

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"
)

// Past meetings: the report of a user's hosted meetings (the list of
// meetings endpoint returns only scheduled, unexpired ones), and past meeting
// details and instances. Shapes follow Rivet 0.4.0's
// ReportsGetMeetingReportsResponse, MeetingsGetPastMeetingDetailsResponse and
// MeetingsListPastMeetingInstancesResponse.

// ReportMeeting is one ended meeting in GET /report/users/{userId}/meetings.
type ReportMeeting struct {
	UUID              string    `json:"uuid"`
	ID                int64     `json:"id"`
	Topic             string    `json:"topic"`
	Type              int       `json:"type"`
	StartTime         Timestamp `json:"start_time"`
	EndTime           Timestamp `json:"end_time"`
	Duration          int       `json:"duration"` // minutes
	TotalMinutes      int       `json:"total_minutes"`
	ParticipantsCount int       `json:"participants_count"`
	UserEmail         string    `json:"user_email"`
	UserName          string    `json:"user_name"`
	Source            string    `json:"source"`
	HasRecording      bool      `json:"has_recording"`
	HasScreenShare    bool      `json:"has_screen_share"`
	HasChat           bool      `json:"has_chat"`
}

// Number is the meeting number as a decimal string.
func (m ReportMeeting) Number() string { return strconv.FormatInt(m.ID, 10) }

// ReportMeetingsPage is one page of the meetings report.
type ReportMeetingsPage struct {
	PageInfo
	From     string          `json:"from"`
	To       string          `json:"to"`
	Meetings []ReportMeeting `json:"meetings"`
}

// Report types: hosted meetings with two or more participants, hosted
// meetings the host had to themself, and meetings the user only joined.
const (
	ReportPast       = "past"
	ReportPastOne    = "pastOne"
	ReportPastJoined = "pastJoined"
)

// ReportMeetings lists the ended meetings of report type typ (ReportPast when
// "") of userID that started between the UTC days of from and to (Zoom: at
// most a month, within the last six months), 300 a page. Heavy; needs
// report:read:admin and a Pro or higher account.
func (c *Conn) ReportMeetings(ctx context.Context, userID, typ string, from, to time.Time, fn func(*ReportMeetingsPage) error) error {
	if typ == "" {
		typ = ReportPast
	}
	q := url.Values{"type": {typ}, "from": {zoomDate(from)}, "to": {zoomDate(to)}, "page_size": {"300"}}
	return ListAll[ReportMeetingsPage](ctx, c, "/report/users/"+url.PathEscape(userID)+"/meetings", q, Heavy, fn)
}

// PastMeeting is GET /past_meetings/{meetingId}: one instance's details.
type PastMeeting struct {
	ID                int64     `json:"id"`
	UUID              string    `json:"uuid"`
	HostID            string    `json:"host_id"`
	Type              int       `json:"type"`
	Topic             string    `json:"topic"`
	UserName          string    `json:"user_name"`
	UserEmail         string    `json:"user_email"`
	StartTime         Timestamp `json:"start_time"`
	EndTime           Timestamp `json:"end_time"`
	Duration          int       `json:"duration"` // minutes
	TotalMinutes      int       `json:"total_minutes"`
	ParticipantsCount int       `json:"participants_count"`
	Dept              string    `json:"dept"`
	Source            string    `json:"source"`
}

// PastMeeting returns the details of a past instance by UUID, or of the
// latest instance by meeting number. Light.
func (c *Conn) PastMeeting(ctx context.Context, idOrUUID string) (PastMeeting, error) {
	var m PastMeeting
	err := c.Get(ctx, "/past_meetings/"+MeetingPathID(idOrUUID), nil, Light, &m)
	return m, err
}

// PastInstance is one ended instance of a meeting or webinar number.
type PastInstance struct {
	UUID      string    `json:"uuid"`
	StartTime Timestamp `json:"start_time"`
}

// PastMeetingInstances lists the ended instances of a meeting number. Medium.
func (c *Conn) PastMeetingInstances(ctx context.Context, meetingID int64) ([]PastInstance, error) {
	var out struct {
		Meetings []PastInstance `json:"meetings"`
	}
	err := c.Get(ctx, "/past_meetings/"+strconv.FormatInt(meetingID, 10)+"/instances", nil, Medium, &out)
	return out.Meetings, err
}

// ReportWebinar is GET /report/webinars/{webinarId}: one ended webinar
// instance (Rivet 0.4.0's ReportsGetWebinarDetailReportsResponse).
type ReportWebinar struct {
	UUID              string    `json:"uuid"`
	ID                int64     `json:"id"`
	Type              int       `json:"type"`
	Topic             string    `json:"topic"`
	UserName          string    `json:"user_name"`
	UserEmail         string    `json:"user_email"`
	StartTime         Timestamp `json:"start_time"`
	EndTime           Timestamp `json:"end_time"`
	Duration          int       `json:"duration"` // minutes
	TotalMinutes      int       `json:"total_minutes"`
	ParticipantsCount int       `json:"participants_count"`
	Dept              string    `json:"dept"`
}

// WebinarReport returns the report of an ended webinar instance by UUID (or
// of the latest by webinar number). Heavy; report:read:admin, Pro or higher.
func (c *Conn) WebinarReport(ctx context.Context, idOrUUID string) (ReportWebinar, error) {
	var w ReportWebinar
	err := c.Get(ctx, "/report/webinars/"+MeetingPathID(idOrUUID), nil, Heavy, &w)
	return w, err
}

// IsUnknownEndpoint reports whether Zoom (or an emulator) does not serve the
// endpoint at all (code 2300), as opposed to not finding a record.
func IsUnknownEndpoint(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == 2300
}

// ListedMeeting is one meeting number in GET /users/{userId}/meetings.
type ListedMeeting struct {
	UUID      string    `json:"uuid"`
	ID        int64     `json:"id"`
	HostID    string    `json:"host_id"`
	Topic     string    `json:"topic"`
	Type      int       `json:"type"` // 1 instant, 2 scheduled, 3 and 8 recurring
	StartTime Timestamp `json:"start_time"`
	Duration  int       `json:"duration"` // scheduled minutes
}

// Recurring reports whether the number has several instances, each with its own UUID.
func (m ListedMeeting) Recurring() bool { return m.Type == 3 || m.Type == 8 }

// ListedMeetingsPage is one page of a user's meetings.
type ListedMeetingsPage struct {
	PageInfo
	Meetings []ListedMeeting `json:"meetings"`
}

// PreviousMeetings lists the meetings of userID that have run ("me" for a
// per-person connection, which may not read reports), starting from the UTC
// day of from, 300 a page. Medium.
func (c *Conn) PreviousMeetings(ctx context.Context, userID string, from time.Time, fn func(*ListedMeetingsPage) error) error {
	q := url.Values{"type": {"previous_meetings"}, "from": {zoomDate(from)}, "page_size": {"300"}}
	return ListAll[ListedMeetingsPage](ctx, c, "/users/"+url.PathEscape(userID)+"/meetings", q, Medium, fn)
}

// Number is the meeting number as a decimal string.
func (m ListedMeeting) Number() string { return strconv.FormatInt(m.ID, 10) }
