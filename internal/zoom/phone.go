package zoom

import (
	"context"
	"net/url"
	"time"
)

// Zoom Phone call history (the Call Logs family is deprecated). Shapes follow
// Rivet 0.4.0's CallLogsGetUsersCallHistoryResponse; only the fields
// zoombridge reads are declared, so callers' and callees' numbers and emails
// are never even decoded into memory beyond what matching needs.

// CallLog is one user's leg of a call in GET /phone/users/{userId}/call_history.
// Internal calls have a leg per user, sharing CallID.
type CallLog struct {
	ID               string    `json:"id"`
	CallPathID       string    `json:"call_path_id"`
	CallID           string    `json:"call_id"`
	ConnectType      string    `json:"connect_type"` // internal | external
	CallType         string    `json:"call_type"`
	Direction        string    `json:"direction"` // inbound | outbound, from this user's side
	HideCallerID     bool      `json:"hide_caller_id"`
	CallerExtID      string    `json:"caller_ext_id"`
	CallerName       string    `json:"caller_name"`
	CallerEmail      string    `json:"caller_email"`
	CallerExtType    string    `json:"caller_ext_type"`
	CallerDeviceType string    `json:"caller_device_type"`
	CalleeExtID      string    `json:"callee_ext_id"`
	CalleeName       string    `json:"callee_name"`
	CalleeEmail      string    `json:"callee_email"`
	CalleeDidNumber  string    `json:"callee_did_number"` // whom an outbound call reached, when Zoom gives no name
	CalleeExtNumber  string    `json:"callee_ext_number"`
	CalleeExtType    string    `json:"callee_ext_type"`
	CalleeDeviceType string    `json:"callee_device_type"`
	StartTime        Timestamp `json:"start_time"`
	AnswerTime       Timestamp `json:"answer_time"`
	EndTime          Timestamp `json:"end_time"`
	Event            string    `json:"event"`
	Result           string    `json:"result"`
	TalkTime         int       `json:"talk_time"` // seconds
	HoldTime         int       `json:"hold_time"`
	WaitTime         int       `json:"wait_time"`
}

// CallHistoryPage is one page of a user's call history.
type CallHistoryPage struct {
	PageInfo
	From     string    `json:"from"`
	To       string    `json:"to"`
	CallLogs []CallLog `json:"call_logs"`
}

// CallHistory lists userID's calls that started between from and to (Zoom:
// at most a month, within the last six months), 300 a page. Zoom Phone
// Medium; a user without a Phone licence is an error.
func (c *Conn) CallHistory(ctx context.Context, userID string, from, to time.Time, fn func(*CallHistoryPage) error) error {
	q := url.Values{"from": {zoomDate(from)}, "to": {zoomDate(to)}, "page_size": {"300"}}
	return ListAll[CallHistoryPage](ctx, c, "/phone/users/"+url.PathEscape(userID)+"/call_history", q, PhoneMedium, fn)
}

// PhoneUser is one Zoom Phone user in GET /phone/users: a user with a Phone licence.
type PhoneUser struct {
	ID              string `json:"id"` // the Zoom user id
	PhoneUserID     string `json:"phone_user_id"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	ExtensionID     string `json:"extension_id"`
	ExtensionNumber int    `json:"extension_number"`
	Status          string `json:"status"` // activate | deactivate
}

// PhoneUsersPage is one page of the account's Phone users.
type PhoneUsersPage struct {
	PageInfo
	Users []PhoneUser `json:"users"`
}

// PhoneUsers lists the account's Zoom Phone users, 300 a page. Zoom Phone
// Medium; account-level tokens only.
func (c *Conn) PhoneUsers(ctx context.Context, fn func(*PhoneUsersPage) error) error {
	return ListAll[PhoneUsersPage](ctx, c, "/phone/users", url.Values{"page_size": {"300"}}, PhoneMedium, fn)
}
