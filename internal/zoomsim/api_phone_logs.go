package zoomsim

import (
	"strconv"
)

// callLogItem follows CallLogsGetUsersCallLogsResponse["call_logs"][n] in
// Rivet 0.4.0: the deprecated Call Logs API, kept because it still carries
// duration, caller_number and callee_number.
type callLogItem struct {
	ID               string `json:"id"`
	CallID           string `json:"call_id"`
	UserID           string `json:"user_id"`
	Direction        string `json:"direction"`
	Duration         int    `json:"duration"`
	DateTime         string `json:"date_time"`
	AnswerStartTime  string `json:"answer_start_time,omitempty"`
	CallEndTime      string `json:"call_end_time"`
	CallerName       string `json:"caller_name"`
	CallerNumber     string `json:"caller_number"`
	CallerNumberType int    `json:"caller_number_type"`
	CallerDidNumber  string `json:"caller_did_number,omitempty"`
	CalleeName       string `json:"callee_name"`
	CalleeNumber     string `json:"callee_number"`
	CalleeNumberType int    `json:"callee_number_type"`
	CalleeDidNumber  string `json:"callee_did_number,omitempty"`
	Result           string `json:"result"`
	Path             string `json:"path"`
	HasRecording     bool   `json:"has_recording"`
	HasVoicemail     bool   `json:"has_voicemail"`
	RecordingType    string `json:"recording_type,omitempty"`
	HoldTime         int    `json:"hold_time"`
	WaitingTime      int    `json:"waiting_time"`
}

type callLogsResponse struct {
	CallLogs      []callLogItem `json:"call_logs"`
	From          string        `json:"from"`
	To            string        `json:"to"`
	NextPageToken string        `json:"next_page_token"`
	PageCount     int           `json:"page_count"`
	PageSize      int           `json:"page_size"`
	TotalRecords  int           `json:"total_records"`
}

func (s *Server) callLogs(c *reqCtx) (int, any, *apiErr) {
	pg, from, to, info, err := s.callPage(c)
	if err != nil {
		return 0, nil, err
	}
	resp := callLogsResponse{CallLogs: []callLogItem{}, From: from.Format(zoomDate), To: to.Format(zoomDate),
		NextPageToken: info.next, PageCount: info.count, PageSize: info.size, TotalRecords: info.total}
	for _, cr := range pg {
		resp.CallLogs = append(resp.CallLogs, logItem(cr))
	}
	return 200, resp, nil
}

func logItem(cr *callRec) callLogItem {
	it := callLogItem{
		ID: cr.id, CallID: cr.callID, UserID: cr.userID, Direction: cr.direction, Duration: cr.talkTime(),
		DateTime: ztime(cr.start), AnswerStartTime: ztime(cr.answer), CallEndTime: ztime(cr.end),
		Result: legacyResult(cr.result), Path: "pstn", HasRecording: cr.recordingID != "",
		HasVoicemail: cr.voicemailID != "", HoldTime: cr.holdTime, WaitingTime: cr.waitTime(),
	}
	if cr.internal {
		it.Path = "extension"
	}
	if it.HasRecording {
		it.RecordingType = "Automatic"
	}
	it.CallerName, it.CallerNumber, it.CallerNumberType, it.CallerDidNumber = legacyParty(cr.caller)
	it.CalleeName, it.CalleeNumber, it.CalleeNumberType, it.CalleeDidNumber = legacyParty(cr.callee)
	return it
}

// legacyParty: number types 1 internal (extension), 2 external.
func legacyParty(p party) (name, number string, typ int, did string) {
	if p.userID == "" {
		return p.name, p.number, 2, ""
	}
	return p.name, strconv.Itoa(p.ext), 1, p.number
}

func legacyResult(r string) string {
	switch r {
	case "answered":
		return "Call connected"
	case "voicemail":
		return "Voicemail"
	case "busy":
		return "Busy"
	}
	return "No Answer"
}

// phoneUserItem follows UsersListPhoneUsersResponse["users"][n] in Rivet 0.4.0.
type phoneUserItem struct {
	ID              string        `json:"id"`
	PhoneUserID     string        `json:"phone_user_id"`
	Name            string        `json:"name"`
	Email           string        `json:"email"`
	ExtensionID     string        `json:"extension_id"`
	ExtensionNumber int           `json:"extension_number"`
	Status          string        `json:"status"`
	PhoneNumbers    []phoneNumber `json:"phone_numbers"`
	Department      string        `json:"department"`
}

type phoneNumber struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

type phoneUsersResponse struct {
	NextPageToken string          `json:"next_page_token"`
	PageSize      int             `json:"page_size"`
	TotalRecords  int             `json:"total_records"`
	Users         []phoneUserItem `json:"users"`
}

// listPhoneUsers is GET /phone/users: who has a Zoom Phone licence, so a
// client need not probe every user's call history.
func (s *Server) listPhoneUsers(c *reqCtx) (int, any, *apiErr) {
	if s.opts.Plan == "basic" {
		return 0, nil, newAPIErr(403, 2031, "Zoom Phone has not been enabled for this account.")
	}
	p, err := c.page(300)
	if err != nil {
		return 0, nil, err
	}
	var us []*userRec
	for _, u := range s.acct.users {
		if u.PhoneLicence && !u.Deleted && !u.CreatedAt.After(c.now) {
			us = append(us, u)
		}
	}
	pg, info := paginate(c, p, us, func(u *userRec) string { return timeKey(u.CreatedAt, u.ID, false) })
	resp := phoneUsersResponse{NextPageToken: info.next, PageSize: info.size, TotalRecords: info.total, Users: []phoneUserItem{}}
	for _, u := range pg {
		status := "activate"
		if u.Status != "active" {
			status = "deactivate"
		}
		resp.Users = append(resp.Users, phoneUserItem{
			ID: u.ID, PhoneUserID: u.extID, Name: u.displayName(), Email: u.Email, ExtensionID: u.extID,
			ExtensionNumber: u.Extension, Status: status, Department: u.Dept,
			PhoneNumbers: []phoneNumber{{ID: u.extID[:12], Number: u.PhoneNumber}},
		})
	}
	return 200, resp, nil
}
