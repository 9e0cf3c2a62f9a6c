package zoom

import (
	"context"
	"net/url"
	"strconv"
)

// Zoom Phone voicemails and SMS sessions for the chat bot, as metadata.
// Shapes follow Rivet 0.4.0's VoicemailsGetUsersVoicemailsResponse,
// VoicemailsGetVoicemailDetailsResponse and SMSGetUsersSMSSessionsResponse;
// the voicemail's audio URL and SMS text are never decoded.

// Voicemail is one voicemail's metadata.
type Voicemail struct {
	ID           string    `json:"id"`
	CallerName   string    `json:"caller_name"`
	CallerNumber string    `json:"caller_number"`
	DateTime     Timestamp `json:"date_time"`
	Duration     int       `json:"duration"` // seconds
	Status       string    `json:"status"`   // read | unread
}

// Voicemails returns userID's latest voicemails (one page). Phone Medium.
func (c *Conn) Voicemails(ctx context.Context, userID string, pageSize int) ([]Voicemail, error) {
	var page struct {
		PageInfo
		VoiceMails []Voicemail `json:"voice_mails"`
	}
	q := url.Values{"page_size": {strconv.Itoa(pageSize)}}
	err := c.Get(ctx, "/phone/users/"+url.PathEscape(userID)+"/voice_mails", q, PhoneMedium, &page)
	return page.VoiceMails, err
}

// VoicemailTranscript is one voicemail with its transcription text, fetched
// for its owner on request and never stored.
type VoicemailTranscript struct {
	Voicemail
	Transcription struct {
		Content string `json:"content"`
	} `json:"transcription"`
}

// VoicemailWithTranscript returns one voicemail's details. Phone Light.
func (c *Conn) VoicemailWithTranscript(ctx context.Context, voicemailID string) (VoicemailTranscript, error) {
	var out VoicemailTranscript
	err := c.Get(ctx, "/phone/voice_mails/"+url.PathEscape(voicemailID), nil, PhoneLight, &out)
	return out, err
}

// SMSSession is one SMS conversation: who and when, no text.
type SMSSession struct {
	SessionID      string    `json:"session_id"`
	LastAccessTime Timestamp `json:"last_access_time"`
	Participants   []struct {
		DisplayName    string `json:"display_name"`
		PhoneNumber    string `json:"phone_number"`
		IsSessionOwner bool   `json:"is_session_owner"`
	} `json:"participants"`
}

// SMSSessions returns userID's latest SMS sessions (one page). Phone Medium.
func (c *Conn) SMSSessions(ctx context.Context, userID string, pageSize int) ([]SMSSession, error) {
	var page struct {
		NextPageToken string       `json:"next_page_token"`
		Sessions      []SMSSession `json:"sms_sessions"`
	}
	q := url.Values{"page_size": {strconv.Itoa(pageSize)}}
	err := c.Get(ctx, "/phone/users/"+url.PathEscape(userID)+"/sms/sessions", q, PhoneMedium, &page)
	return page.Sessions, err
}
