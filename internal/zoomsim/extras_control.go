package zoomsim

import (
	"math/rand/v2"
	"net/http"
)

// Controls for the chat bot's data: a new voicemail or SMS for a Phone user
// (with its webhook), the REST call count, and the meetings created through the API.
func (s *Server) extrasControlRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sim/calls", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]int{"calls": s.APICalls(r.FormValue("part"))})
	})
	mux.HandleFunc("GET /_sim/meetings/api", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.MeetingsCreatedByAPI()) })
	mux.HandleFunc("POST /_sim/phone/voicemail", func(w http.ResponseWriter, r *http.Request) {
		id, err := s.NewVoicemail(r.FormValue("user"))
		writeNew(w, id, err)
	})
	mux.HandleFunc("POST /_sim/phone/sms", func(w http.ResponseWriter, r *http.Request) {
		id, err := s.NewSMS(r.FormValue("user"))
		writeNew(w, id, err)
	})
}

func writeNew(w http.ResponseWriter, id string, err error) {
	if err != nil {
		ctlDone(w, err)
		return
	}
	writeJSON(w, 200, map[string]string{"id": id})
}

// NewVoicemail leaves a voicemail for a Phone user (ID or email) now and
// sends phone.voicemail_received; it returns the voicemail's id.
func (s *Server) NewVoicemail(user string) (string, error) {
	return s.newPhoneItem(user, func(r *rand.Rand, u *userRec) (string, *outEvent) {
		v := s.newVoicemail(r, u, s.clk.now)
		s.extras.voicemails = append(s.extras.voicemails, v)
		return v.id, s.voicemailEvent(v)
	})
}

// NewSMS starts an SMS session for a Phone user (ID or email) with a message
// received now and sends phone.sms_received; it returns the session id.
func (s *Server) NewSMS(user string) (string, error) {
	return s.newPhoneItem(user, func(r *rand.Rand, u *userRec) (string, *outEvent) {
		ss := s.newSMSSession(r, u, s.clk.now)
		s.extras.sms = append(s.extras.sms, ss)
		return ss.id, s.smsEvent(r, ss)
	})
}

func (s *Server) newPhoneItem(user string, add func(*rand.Rand, *userRec) (string, *outEvent)) (string, error) {
	s.mu.Lock()
	s.seedExtras()
	u := s.acct.lookupUser(user)
	if u == nil || u.Deleted || !u.PhoneLicence {
		s.mu.Unlock()
		return "", ErrNoUser
	}
	id, ev := add(s.apiRand, u)
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return id, nil
}

// Extras is the chat bot's data as the emulator holds it, for tests that
// compare answers with it: per user ID, in the order they were made.
type Extras struct {
	Voicemails  map[string][]Voicemail
	SMSSessions map[string][]SMSSession
	Whiteboards map[string][]Whiteboard
}

// Voicemail, SMSSession and Whiteboard are the emulator's records as tests see them.
type (
	Voicemail struct {
		ID, CallerName, CallerNumber, Transcript string
		Duration                                 int
	}
	SMSSession struct{ ID, OtherName, OtherNumber string }
	Whiteboard struct{ ID, Name string }
)

// ExtrasData returns the current voicemails, SMS sessions and whiteboards.
func (s *Server) ExtrasData() Extras {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seedExtras()
	x := Extras{Voicemails: map[string][]Voicemail{}, SMSSessions: map[string][]SMSSession{}, Whiteboards: map[string][]Whiteboard{}}
	for _, v := range s.extras.voicemails {
		x.Voicemails[v.ownerID] = append(x.Voicemails[v.ownerID], Voicemail{ID: v.id, CallerName: v.caller.name, CallerNumber: v.caller.number, Transcript: v.transcript, Duration: v.duration})
	}
	for _, ss := range s.extras.sms {
		x.SMSSessions[ss.ownerID] = append(x.SMSSessions[ss.ownerID], SMSSession{ID: ss.id, OtherName: ss.other.name, OtherNumber: ss.other.number})
	}
	for _, w := range s.extras.whiteboards {
		x.Whiteboards[w.ownerID] = append(x.Whiteboards[w.ownerID], Whiteboard{ID: w.id, Name: w.name})
	}
	return x
}

// APIMeeting is a meeting created through the REST API, as tests see it.
type APIMeeting struct {
	ID       int64    `json:"id"`
	UUID     string   `json:"uuid"`
	HostID   string   `json:"host_id"`
	Topic    string   `json:"topic"`
	Invitees []string `json:"invitees"`
}

// MeetingsCreatedByAPI lists the meetings created through POST /users/{userId}/meetings.
func (s *Server) MeetingsCreatedByAPI() []APIMeeting {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []APIMeeting{}
	for _, m := range s.acct.meetings {
		if m.fromAPI && !m.deleted {
			out = append(out, APIMeeting{ID: m.id, UUID: m.uuid, HostID: m.hostID, Topic: m.topic, Invitees: append([]string(nil), m.invitees...)})
		}
	}
	return out
}
