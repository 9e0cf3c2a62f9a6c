package zoomsim

import (
	"math/rand/v2"
	"time"
)

// Zoom Phone SMS sessions: GET /phone/users/{userId}/sms/sessions, shaped as
// Rivet 0.4.0's SMSGetUsersSMSSessionsResponse, and the phone.sms_received
// event (PhoneSmsReceivedEvent). The list carries who and when, never text.

type smsSessionRec struct {
	id, ownerID string
	other       party
	last        time.Time
}

var smsTexts = []string{"Running five minutes late.", "Can you send the deck?", "Thanks, see you then."}

func (s *Server) newSMSSession(r *rand.Rand, u *userRec, at time.Time) *smsSessionRec {
	return &smsSessionRec{id: hexID(r, 16), ownerID: u.ID, other: externalParty(r), last: at.Truncate(time.Second)}
}

type smsOwnerWire struct {
	ID   string `json:"id,omitempty"`
	Type string `json:"type,omitempty"`
}

type smsParticipantWire struct {
	DisplayName    string        `json:"display_name,omitempty"`
	Owner          *smsOwnerWire `json:"owner,omitempty"`
	PhoneNumber    string        `json:"phone_number"`
	IsSessionOwner bool          `json:"is_session_owner"`
}

type smsSessionWire struct {
	LastAccessTime string               `json:"last_access_time"`
	Participants   []smsParticipantWire `json:"participants"`
	SessionID      string               `json:"session_id"`
	SessionType    string               `json:"session_type"`
}

type smsSessionsResponse struct {
	NextPageToken string           `json:"next_page_token"`
	PageSize      int              `json:"page_size"`
	SMSSessions   []smsSessionWire `json:"sms_sessions"`
}

func (s *Server) smsSessionWire(ss *smsSessionRec) smsSessionWire {
	u := s.acct.userByID[ss.ownerID]
	return smsSessionWire{LastAccessTime: ztime(ss.last), SessionID: ss.id, SessionType: "user", Participants: []smsParticipantWire{
		{DisplayName: u.displayName(), Owner: &smsOwnerWire{ID: u.ID, Type: "user"}, PhoneNumber: u.PhoneNumber, IsSessionOwner: true},
		{DisplayName: ss.other.name, PhoneNumber: ss.other.number},
	}}
}

func (s *Server) listSMSSessions(c *reqCtx) (int, any, *apiErr) {
	u, err := c.phoneUser()
	if err != nil {
		return 0, nil, err
	}
	s.seedExtras()
	var mine []*smsSessionRec
	for _, ss := range s.extras.sms {
		if ss.ownerID == u.ID && !ss.last.After(c.now) {
			mine = append(mine, ss)
		}
	}
	key := func(ss *smsSessionRec) string { return timeKey(ss.last, ss.id, true) }
	sortBy(mine, key)
	p, perr := c.page(50)
	if perr != nil {
		return 0, nil, perr
	}
	pg, info := paginate(c, p, mine, key)
	resp := smsSessionsResponse{NextPageToken: info.next, PageSize: info.size, SMSSessions: []smsSessionWire{}}
	for _, ss := range pg {
		resp.SMSSessions = append(resp.SMSSessions, s.smsSessionWire(ss))
	}
	return 200, resp, nil
}

type smsMemberWire struct {
	ID             string `json:"id,omitempty"`
	Type           string `json:"type,omitempty"`
	DisplayName    string `json:"display_name,omitempty"`
	PhoneNumber    string `json:"phone_number"`
	IsMessageOwner bool   `json:"is_message_owner"`
}

// smsObject is PhoneSmsReceivedEvent's object. Zoom's event carries the
// message text; zoombridge never stores it.
type smsObject struct {
	Sender struct {
		PhoneNumber string `json:"phone_number"`
		DisplayName string `json:"display_name,omitempty"`
	} `json:"sender"`
	ToMembers   []smsMemberWire `json:"to_members"`
	Owner       smsOwnerWire    `json:"owner"`
	Message     string          `json:"message"`
	Attachments []struct{}      `json:"attachments"`
	SessionID   string          `json:"session_id"`
	MessageID   string          `json:"message_id"`
	MessageType int             `json:"message_type"`
	DateTime    string          `json:"date_time"`
}

func (s *Server) smsEvent(r *rand.Rand, ss *smsSessionRec) *outEvent {
	u := s.acct.userByID[ss.ownerID]
	var o smsObject
	o.Sender.PhoneNumber, o.Sender.DisplayName = ss.other.number, ss.other.name
	o.ToMembers = []smsMemberWire{{ID: u.ID, Type: "user", DisplayName: u.displayName(), PhoneNumber: u.PhoneNumber, IsMessageOwner: true}}
	o.Owner = smsOwnerWire{ID: u.ID, Type: "user"}
	o.Message, o.Attachments = pick(r, smsTexts), []struct{}{}
	o.SessionID, o.MessageID, o.MessageType, o.DateTime = ss.id, hexID(r, 16), 1, ztime(ss.last)
	return s.newEvent("phone.sms_received", ss.last, o)
}
