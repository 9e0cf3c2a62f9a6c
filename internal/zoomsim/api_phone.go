package zoomsim

import (
	"strconv"
	"strings"
	"time"
)

// callHistoryItem follows CallLogsGetUsersCallHistoryResponse["call_logs"][n]
// in Rivet 0.4.0; the same item is the call_logs entry of the
// phone.*_call_history_completed events.
type callHistoryItem struct {
	ID                   string `json:"id"`
	CallPathID           string `json:"call_path_id"`
	CallID               string `json:"call_id"`
	ConnectType          string `json:"connect_type"`
	CallType             string `json:"call_type"`
	Direction            string `json:"direction"`
	HideCallerID         bool   `json:"hide_caller_id"`
	EndToEnd             bool   `json:"end_to_end"`
	CallerExtID          string `json:"caller_ext_id,omitempty"`
	CallerName           string `json:"caller_name"`
	CallerEmail          string `json:"caller_email,omitempty"`
	CallerDidNumber      string `json:"caller_did_number"`
	CallerExtNumber      string `json:"caller_ext_number,omitempty"`
	CallerExtType        string `json:"caller_ext_type,omitempty"`
	CallerNumberType     string `json:"caller_number_type"`
	CallerDeviceType     string `json:"caller_device_type,omitempty"`
	CallerCountryISOCode string `json:"caller_country_iso_code"`
	CallerCountryCode    string `json:"caller_country_code"`
	CalleeExtID          string `json:"callee_ext_id,omitempty"`
	CalleeName           string `json:"callee_name"`
	CalleeEmail          string `json:"callee_email,omitempty"`
	CalleeDidNumber      string `json:"callee_did_number"`
	CalleeExtNumber      string `json:"callee_ext_number,omitempty"`
	CalleeExtType        string `json:"callee_ext_type,omitempty"`
	CalleeNumberType     string `json:"callee_number_type"`
	CalleeDeviceType     string `json:"callee_device_type,omitempty"`
	CalleeCountryISOCode string `json:"callee_country_iso_code"`
	CalleeCountryCode    string `json:"callee_country_code"`
	StartTime            string `json:"start_time"`
	AnswerTime           string `json:"answer_time,omitempty"`
	EndTime              string `json:"end_time"`
	Event                string `json:"event"`
	Result               string `json:"result"`
	RecordingID          string `json:"recording_id,omitempty"`
	RecordingType        string `json:"recording_type,omitempty"`
	VoicemailID          string `json:"voicemail_id,omitempty"`
	TalkTime             int    `json:"talk_time"`
	HoldTime             int    `json:"hold_time"`
	WaitTime             int    `json:"wait_time"`
}

type callHistoryResponse struct {
	CallLogs      []callHistoryItem `json:"call_logs"`
	From          string            `json:"from"`
	To            string            `json:"to"`
	NextPageToken string            `json:"next_page_token"`
	PageCount     int               `json:"page_count"`
	PageSize      int               `json:"page_size"`
	TotalRecords  int               `json:"total_records"`
}

// phoneUser gates Zoom Phone: the account needs Phone (not on Basic), the
// user a Phone licence, otherwise Zoom's Phone APIs answer with errors.
func (c *reqCtx) phoneUser() (*userRec, *apiErr) {
	if c.s.opts.Plan == "basic" {
		return nil, newAPIErr(403, 2031, "Zoom Phone has not been enabled for this account.")
	}
	raw := pathValue(c.r, "userId")
	u, err := c.resolveUser(raw)
	if err != nil {
		return nil, err
	}
	if !u.PhoneLicence {
		return nil, newAPIErr(404, 300, "User does not exist: %s.", raw)
	}
	return u, nil
}

// phoneCalls returns a user's calls in the from/to window (default: the
// last 24 hours), newest first, with the list filters Zoom offers.
func (s *Server) phoneCalls(c *reqCtx, u *userRec) ([]*callRec, time.Time, time.Time, *apiErr) {
	if c.query("from") != "" && c.query("to") == "" {
		return nil, time.Time{}, time.Time{}, newAPIErr(400, 301, "Invalid request param: to.")
	}
	from, to, err := dateRange(c, c.now.Add(-24*time.Hour), c.now, 31)
	if err != nil {
		return nil, from, to, newAPIErr(400, 301, "Invalid request param: %s", err.body.Message)
	}
	byEnd := c.query("time_type") == "end_time" || c.query("time_type") == "endTime"
	q := c.r.URL.Query()
	dirs := append(q["directions"], q["directions[]"]...)
	results := append(q["call_results"], q["call_results[]"]...)
	missed := c.query("type") == "missed"
	kw := strings.ToLower(c.query("keyword"))
	var out []*callRec
	for _, cr := range s.acct.calls {
		t := cr.start
		if byEnd {
			t = cr.end
		}
		switch {
		case cr.userID != u.ID || cr.end.After(c.now) || !inDates(t, from, to),
			len(dirs) > 0 && !contains(dirs, cr.direction),
			len(results) > 0 && !contains(results, cr.result),
			missed && (cr.direction != "inbound" || cr.result == "answered"),
			kw != "" && !cr.matches(kw):
			continue
		}
		out = append(out, cr)
	}
	sortBy(out, callKey)
	return out, from, to, nil
}

func callKey(cr *callRec) string { return timeKey(cr.start, cr.id, true) }

func contains(xs []string, v string) bool {
	for _, x := range xs {
		for _, part := range strings.Split(x, ",") {
			if part == v {
				return true
			}
		}
	}
	return false
}

func (cr *callRec) matches(kw string) bool {
	for _, s := range []string{cr.caller.name, cr.callee.name, cr.caller.number, cr.callee.number} {
		if strings.Contains(strings.ToLower(s), kw) {
			return true
		}
	}
	return false
}

// callPage is one page of a phone user's calls in the requested window: what
// call history and the older call logs both list, in their own shapes.
func (s *Server) callPage(c *reqCtx) (pg []*callRec, from, to time.Time, info pageInfo, err *apiErr) {
	u, err := c.phoneUser()
	if err != nil {
		return nil, from, to, info, err
	}
	calls, from, to, err := s.phoneCalls(c, u)
	if err != nil {
		return nil, from, to, info, err
	}
	p, err := c.page(300)
	if err != nil {
		return nil, from, to, info, err
	}
	pg, info = paginate(c, p, calls, callKey)
	return pg, from, to, info, nil
}

func (s *Server) callHistory(c *reqCtx) (int, any, *apiErr) {
	pg, from, to, info, err := s.callPage(c)
	if err != nil {
		return 0, nil, err
	}
	resp := callHistoryResponse{CallLogs: []callHistoryItem{}, From: from.Format(zoomDate), To: to.Format(zoomDate),
		NextPageToken: info.next, PageCount: info.count, PageSize: info.size, TotalRecords: info.total}
	for _, cr := range pg {
		resp.CallLogs = append(resp.CallLogs, historyItem(cr))
	}
	return 200, resp, nil
}

func historyItem(cr *callRec) callHistoryItem {
	it := callHistoryItem{
		ID: cr.id, CallPathID: cr.pathID, CallID: cr.callID, ConnectType: "external", CallType: "general",
		Direction: cr.direction, StartTime: ztime(cr.start), AnswerTime: ztime(cr.answer), EndTime: ztime(cr.end),
		Event: "outgoing", Result: cr.result, RecordingID: cr.recordingID, VoicemailID: cr.voicemailID,
		TalkTime: cr.talkTime(), HoldTime: cr.holdTime, WaitTime: cr.waitTime(),
		CallerCountryISOCode: "US", CallerCountryCode: "1", CalleeCountryISOCode: "US", CalleeCountryCode: "1",
	}
	if cr.internal {
		it.ConnectType = "internal"
	}
	if cr.direction == "inbound" {
		it.Event = "incoming"
	}
	if cr.recordingID != "" {
		it.RecordingType = "automatic"
	}
	it.CallerExtID, it.CallerName, it.CallerEmail, it.CallerDidNumber = cr.caller.extID, cr.caller.name, cr.caller.email, cr.caller.number
	it.CallerExtNumber, it.CallerExtType, it.CallerNumberType, it.CallerDeviceType = partyExt(cr.caller)
	it.CalleeExtID, it.CalleeName, it.CalleeEmail, it.CalleeDidNumber = cr.callee.extID, cr.callee.name, cr.callee.email, cr.callee.number
	it.CalleeExtNumber, it.CalleeExtType, it.CalleeNumberType, it.CalleeDeviceType = partyExt(cr.callee)
	return it
}

// partyExt returns extension number, extension type, number type and device
// of one end: colleagues are Zoom users with Zoom numbers, others PSTN.
func partyExt(p party) (ext, extType, numType, device string) {
	if p.userID == "" {
		return "", "", "external_pstn", ""
	}
	return strconv.Itoa(p.ext), "user", "zoom_pstn", p.device.typ
}
