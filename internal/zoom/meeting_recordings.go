package zoom

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// One meeting's recordings and summary, for the fast path that follows a
// recording or summary event. Shapes follow Rivet 0.4.0's
// CloudRecordingGetMeetingRecordingsResponse and
// MeetingsGetMeetingOrWebinarSummaryResponse; fields zoombridge must not keep
// (passwords, passcodes, summary details) are not declared, so they are never decoded.

// MeetingRecordings returns one instance's recording files by UUID (Zoom's
// double-encoding rule applies). Light.
func (c *Conn) MeetingRecordings(ctx context.Context, meetingUUID string) (RecordingMeeting, error) {
	var m RecordingMeeting
	err := c.Get(ctx, "/meetings/"+MeetingPathID(meetingUUID)+"/recordings", nil, Light, &m)
	return m, err
}

// DownloadAccess asks Zoom for the instance's files with a download access
// token valid for ttl: a short-lived credential for one fresh link, never stored. Light.
func (c *Conn) DownloadAccess(ctx context.Context, meetingUUID string, ttl time.Duration) (RecordingMeeting, string, error) {
	var m struct {
		RecordingMeeting
		DownloadAccessToken string `json:"download_access_token"`
	}
	q := url.Values{"include_fields": {"download_access_token"}, "ttl": {strconv.Itoa(int(ttl / time.Second))}}
	err := c.Get(ctx, "/meetings/"+MeetingPathID(meetingUUID)+"/recordings", q, Light, &m)
	return m.RecordingMeeting, m.DownloadAccessToken, err
}

// MeetingSummary is an AI Companion summary's metadata and, for
// organizations that keep it, its overview and next steps.
type MeetingSummary struct {
	MeetingHostID    string    `json:"meeting_host_id"`
	MeetingUUID      string    `json:"meeting_uuid"`
	MeetingID        int64     `json:"meeting_id"`
	MeetingTopic     string    `json:"meeting_topic"`
	MeetingStartTime Timestamp `json:"meeting_start_time"`
	MeetingEndTime   Timestamp `json:"meeting_end_time"`
	SummaryCreated   Timestamp `json:"summary_created_time"`
	SummaryModified  Timestamp `json:"summary_last_modified_time"`
	SummaryOverview  string    `json:"summary_overview"`
	NextSteps        []string  `json:"next_steps"`
	SummaryDocURL    string    `json:"summary_doc_url"`
}

// MeetingSummary returns an instance's AI Companion summary by UUID. Light.
func (c *Conn) MeetingSummary(ctx context.Context, meetingUUID string) (MeetingSummary, error) {
	var s MeetingSummary
	err := c.Get(ctx, "/meetings/"+MeetingPathID(meetingUUID)+"/meeting_summary", nil, Light, &s)
	return s, err
}
