package zoomsim

import (
	"time"
)

// phoneParty is a caller or callee in PhoneCallerEndedEvent and
// PhoneCalleeEndedEvent. Rivet declares different optional fields for each
// side, so builders fill only what that side's type allows.
type phoneParty struct {
	ExtensionID     string `json:"extension_id,omitempty"`
	ExtensionType   string `json:"extension_type,omitempty"`
	UserID          string `json:"user_id,omitempty"`
	Name            string `json:"name,omitempty"`
	PhoneNumber     string `json:"phone_number"`
	ExtensionNumber int    `json:"extension_number,omitempty"`
	Timezone        string `json:"timezone,omitempty"`
	DeviceName      string `json:"device_name,omitempty"`
	DeviceID        string `json:"device_id,omitempty"`
	ConnectionType  string `json:"connection_type"`
}

type callEndedObject struct {
	CallID           string     `json:"call_id"`
	Caller           phoneParty `json:"caller"`
	Callee           phoneParty `json:"callee"`
	RingingStartTime string     `json:"ringing_start_time"`
	AnswerStartTime  string     `json:"answer_start_time,omitempty"`
	CallEndTime      string     `json:"call_end_time"`
	HandupResult     string     `json:"handup_result,omitempty"`
}

// eventParty describes one end; self marks the account's user whose leg it
// is, who alone gets name and device (callee) or device ID (caller).
func (s *Server) eventParty(p party, self, callee bool) phoneParty {
	if p.userID == "" {
		return phoneParty{ExtensionType: "pstn", PhoneNumber: p.number, ConnectionType: "pstn_off_net"}
	}
	pp := phoneParty{ExtensionID: p.extID, ExtensionType: "user", UserID: p.userID, PhoneNumber: p.number,
		ExtensionNumber: p.ext, ConnectionType: "voip"}
	if u := s.acct.userByID[p.userID]; u != nil {
		pp.Timezone = u.Timezone
	}
	switch {
	case self && callee:
		pp.Name, pp.DeviceName, pp.DeviceID = p.name, p.device.typ, p.device.id
	case self:
		pp.DeviceID = p.device.id
	}
	return pp
}

// callEvents returns a call leg's events: phone.caller_ended or
// phone.callee_ended at hang-up, then the call history record.
func (s *Server) callEvents(cr *callRec) []*outEvent {
	callee := cr.direction == "inbound"
	o := callEndedObject{
		CallID: cr.callID, Caller: s.eventParty(cr.caller, !callee, false), Callee: s.eventParty(cr.callee, callee, true),
		RingingStartTime: ztime(cr.start), AnswerStartTime: ztime(cr.answer), CallEndTime: ztime(cr.end),
	}
	side := "caller"
	if callee {
		side = "callee"
	} else {
		o.HandupResult = legacyResult(cr.result)
	}
	hist := historyObject{UserID: cr.userID, CallLogs: []callHistoryItem{historyItem(cr)}}
	return []*outEvent{
		s.newEvent("phone."+side+"_ended", cr.end, o),
		s.newEvent("phone."+side+"_call_history_completed", cr.end.Add(30*time.Second), hist),
	}
}

// historyObject is the object of phone.*_call_history_completed.
type historyObject struct {
	UserID   string            `json:"user_id"`
	CallLogs []callHistoryItem `json:"call_logs"`
}
