package zoom

import (
	"context"
	"net/url"
	"time"
)

// Cloud recordings of a user by date range. Shapes follow Rivet 0.4.0's
// CloudRecordingListAllRecordingsResponse: note the meeting's type is a
// string there, and recording_files[].meeting_id is the instance UUID.

// RecordingFile is one file of a recorded meeting. The bytes stay on Zoom.
type RecordingFile struct {
	ID             string    `json:"id"`
	MeetingID      string    `json:"meeting_id"`
	RecordingStart Timestamp `json:"recording_start"`
	RecordingEnd   Timestamp `json:"recording_end"`
	FileType       string    `json:"file_type"` // MP4, M4A, TRANSCRIPT, CHAT, CC, SUMMARY, ...
	FileExtension  string    `json:"file_extension"`
	FileSize       int64     `json:"file_size"`
	PlayURL        string    `json:"play_url"`
	DownloadURL    string    `json:"download_url"`
	Status         string    `json:"status"`
	RecordingType  string    `json:"recording_type"`
}

// RecordingMeeting is one recorded meeting instance with its files.
type RecordingMeeting struct {
	UUID           string          `json:"uuid"`
	ID             int64           `json:"id"`
	AccountID      string          `json:"account_id"`
	HostID         string          `json:"host_id"`
	Topic          string          `json:"topic"`
	Type           string          `json:"type"`
	StartTime      Timestamp       `json:"start_time"`
	Duration       int             `json:"duration"`
	TotalSize      int64           `json:"total_size"`
	RecordingCount int             `json:"recording_count"`
	RecordingFiles []RecordingFile `json:"recording_files"`
}

// RecordingsPage is one page of a user's recordings.
type RecordingsPage struct {
	PageInfo
	From     string             `json:"from"`
	To       string             `json:"to"`
	Meetings []RecordingMeeting `json:"meetings"`
}

// Recordings lists userID's cloud recordings of meetings that started between
// the UTC days of from and to (at most a month), 300 a page. Medium.
func (c *Conn) Recordings(ctx context.Context, userID string, from, to time.Time, fn func(*RecordingsPage) error) error {
	q := url.Values{"from": {zoomDate(from)}, "to": {zoomDate(to)}, "page_size": {"300"}}
	return ListAll[RecordingsPage](ctx, c, "/users/"+url.PathEscape(userID)+"/recordings", q, Medium, fn)
}
