package zoom

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// Meeting mirrors the fields of Zoom's meeting object that scheduling reads.
type Meeting struct {
	ID        int64  `json:"id"`
	UUID      string `json:"uuid"`
	HostID    string `json:"host_id"`
	Topic     string `json:"topic"`
	Type      int    `json:"type"` // 1 instant, 2 scheduled, 3 and 8 recurring
	StartTime string `json:"start_time"`
	Duration  int    `json:"duration"` // minutes
	Timezone  string `json:"timezone"`
	JoinURL   string `json:"join_url"`
	StartURL  string `json:"start_url,omitempty"`
}

// Number is the meeting ID as text, how zoombridge stores it.
func (m Meeting) Number() string { return strconv.FormatInt(m.ID, 10) }

// Start parses StartTime; zero for an instant meeting.
func (m Meeting) Start() time.Time {
	t, _ := time.Parse(time.RFC3339, m.StartTime)
	return t
}

// MeetingRequest is the body of create and update: a scheduled meeting (type
// 2) at Start in UTC, or an instant one (type 1) when Start is zero.
type MeetingRequest struct {
	Topic    string
	Agenda   string
	Start    time.Time
	Duration time.Duration
	Timezone string // shown to the host in Zoom; the start is sent in UTC
}

type meetingBody struct {
	Topic     string `json:"topic,omitempty"`
	Type      int    `json:"type"`
	StartTime string `json:"start_time,omitempty"`
	Duration  int    `json:"duration,omitempty"`
	Timezone  string `json:"timezone,omitempty"`
	Agenda    string `json:"agenda,omitempty"`
}

func (r MeetingRequest) body() meetingBody {
	b := meetingBody{Topic: r.Topic, Type: 1, Duration: int(r.Duration / time.Minute), Timezone: r.Timezone, Agenda: r.Agenda}
	if !r.Start.IsZero() {
		b.Type, b.StartTime = 2, r.Start.UTC().Format("2006-01-02T15:04:05Z")
	}
	return b
}

// CreateMeeting creates a meeting hosted by userID (POST /users/{userId}/meetings, Medium).
func (c *Conn) CreateMeeting(ctx context.Context, userID string, r MeetingRequest) (Meeting, error) {
	var m Meeting
	err := c.Send(ctx, "POST", "/users/"+url.PathEscape(userID)+"/meetings", r.body(), Medium, &m)
	return m, err
}

// UpdateMeeting changes a meeting's time, length or topic (PATCH /meetings/{id}, Light).
func (c *Conn) UpdateMeeting(ctx context.Context, id string, r MeetingRequest) error {
	return c.Send(ctx, "PATCH", "/meetings/"+url.PathEscape(id), r.body(), Light, nil)
}

// DeleteMeeting deletes a meeting (DELETE /meetings/{id}, Light).
func (c *Conn) DeleteMeeting(ctx context.Context, id string) error {
	return c.Send(ctx, "DELETE", "/meetings/"+url.PathEscape(id), nil, Light, nil)
}

// MeetingsPage is one page of GET /users/{userId}/meetings.
type MeetingsPage struct {
	PageInfo
	Meetings []Meeting `json:"meetings"`
}

// AllUpcomingMeetings lists the user's upcoming meetings, live ones included
// (GET /users/{userId}/meetings?type=upcoming, Medium), every page.
func (c *Conn) AllUpcomingMeetings(ctx context.Context, userID string) ([]Meeting, error) {
	var out []Meeting
	q := url.Values{"type": {"upcoming"}, "page_size": {"300"}}
	err := ListAll(ctx, c, "/users/"+url.PathEscape(userID)+"/meetings", q, Medium, func(p *MeetingsPage) error {
		out = append(out, p.Meetings...)
		return nil
	})
	return out, err
}
