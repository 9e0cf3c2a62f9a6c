package zoomsim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// extrasState is what the chat bot reads beyond activity: Zoom Phone
// voicemails and SMS sessions, Zoom Whiteboards, and a count of every REST
// call by route, so tests can prove a feature made no Zoom call at all.
type extrasState struct {
	seeded      bool
	voicemails  []*voicemailRec
	sms         []*smsSessionRec
	whiteboards []*whiteboardRec
	calls       map[string]int // "GET /v2/..." route pattern → calls answered or refused
}

// countCall records one REST call (s.mu held).
func (s *Server) countCall(pattern string) {
	if s.extras.calls == nil {
		s.extras.calls = map[string]int{}
	}
	s.extras.calls[pattern]++
}

// APICalls returns the REST calls made so far by route pattern.
func (s *Server) APICalls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.extras.calls))
	for k, v := range s.extras.calls {
		out[k] = v
	}
	return out
}

// seedExtras gives each Phone user voicemails and SMS sessions, and every
// user whiteboards, the first time any of them is asked for (s.mu held).
// The same seed gives the same data.
func (s *Server) seedExtras() {
	if s.extras.seeded {
		return
	}
	s.extras.seeded = true
	r := rand.New(rand.NewPCG(uint64(s.opts.Seed), 0x7e1e))
	now := s.clk.now
	for _, u := range s.acct.users {
		if u.PhoneLicence {
			for k := range 3 {
				s.extras.voicemails = append(s.extras.voicemails, s.newVoicemail(r, u, now.Add(-time.Duration(k*7+1)*time.Hour)))
			}
			for k := range 2 {
				s.extras.sms = append(s.extras.sms, s.newSMSSession(r, u, now.Add(-time.Duration(k*11+2)*time.Hour)))
			}
		}
		for k := range 2 {
			s.extras.whiteboards = append(s.extras.whiteboards, newWhiteboard(r, u, now.Add(-time.Duration(k+1)*72*time.Hour), k))
		}
	}
}

// externalParty is a caller or SMS correspondent outside the account.
func externalParty(r *rand.Rand) party {
	return party{name: pick(r, callerIDNames), number: fmt.Sprintf("+1%03d555%04d", 200+r.IntN(700), r.IntN(10000))}
}

// extrasRoutes are the REST endpoints of extras.go's data.
func (s *Server) extrasRoutes() []route {
	return []route{
		{"GET /v2/phone/users/{userId}/voice_mails", medium, true, scopeReq{"phone:read:list_voicemails", false, []string{"phone:read", "phone_voicemail:read"}}, s.listVoicemails},
		{"GET /v2/phone/voice_mails/{voicemailId}", light, true, scopeReq{"phone:read:voicemail", false, []string{"phone:read", "phone_voicemail:read"}}, s.getVoicemail},
		{"GET /v2/phone/users/{userId}/sms/sessions", medium, true, scopeReq{"phone:read:list_sms_sessions", false, []string{"phone:read", "phone_sms:read"}}, s.listSMSSessions},
		{"GET /v2/whiteboards", medium, false, scopeReq{"whiteboard:read:list_whiteboards", false, []string{"whiteboard:read"}}, s.listWhiteboards},
		{"GET /v2/whiteboards/{whiteboardId}", light, false, scopeReq{"whiteboard:read:whiteboard", false, []string{"whiteboard:read"}}, s.getWhiteboard},
	}
}
