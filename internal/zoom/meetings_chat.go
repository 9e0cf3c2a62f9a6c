package zoom

import (
	"context"
	"net/url"
)

// Meetings the chat bot schedules, shares and lists. Shapes follow Rivet
// 0.4.0's MeetingsCreateMeetingResponse / MeetingsGetMeetingResponse /
// MeetingsListMeetingsResponse; only the fields a meeting card shows.

// ScheduledMeeting is one meeting as Zoom returns it on create, get and list.
type ScheduledMeeting struct {
	ID        int64     `json:"id"`
	UUID      string    `json:"uuid"`
	HostID    string    `json:"host_id"`
	Topic     string    `json:"topic"`
	Type      int       `json:"type"`
	StartTime Timestamp `json:"start_time"`
	Duration  int       `json:"duration"` // minutes
	Timezone  string    `json:"timezone"`
	JoinURL   string    `json:"join_url"`
	Settings  struct {
		MeetingInvitees []Invitee `json:"meeting_invitees"`
	} `json:"settings"`
}

// Invitee is one entry of settings.meeting_invitees.
type Invitee struct {
	Email string `json:"email"`
}

// NewMeeting is the body of POST /users/{userId}/meetings the bot sends:
// type 1 (instant) or 2 (scheduled, StartTime in UTC).
type NewMeeting struct {
	Topic     string `json:"topic"`
	Type      int    `json:"type"`
	StartTime string `json:"start_time,omitempty"`
	Duration  int    `json:"duration"`
	Timezone  string `json:"timezone,omitempty"`
	Settings  struct {
		MeetingInvitees []Invitee `json:"meeting_invitees,omitempty"`
	} `json:"settings"`
}

// CreateChatMeeting creates a meeting hosted by userID. Meeting API Medium.
func (c *Conn) CreateChatMeeting(ctx context.Context, userID string, m NewMeeting) (ScheduledMeeting, error) {
	var out ScheduledMeeting
	err := c.Send(ctx, "POST", "/users/"+url.PathEscape(userID)+"/meetings", m, Medium, &out)
	return out, err
}

// Meeting returns one meeting by its number. Light.
func (c *Conn) Meeting(ctx context.Context, meetingID string) (ScheduledMeeting, error) {
	var out ScheduledMeeting
	err := c.Get(ctx, "/meetings/"+MeetingPathID(meetingID), nil, Light, &out)
	return out, err
}

// UpcomingMeetings returns the first page (up to 30) of userID's upcoming meetings. Medium.
func (c *Conn) UpcomingMeetings(ctx context.Context, userID string) ([]ScheduledMeeting, error) {
	var page struct {
		PageInfo
		Meetings []ScheduledMeeting `json:"meetings"`
	}
	q := url.Values{"type": {"upcoming"}, "page_size": {"30"}}
	err := c.Get(ctx, "/users/"+url.PathEscape(userID)+"/meetings", q, Medium, &page)
	return page.Meetings, err
}
