package zoomsim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// extrasState is what the chat bot reads beyond activity: Zoom Phone
// voicemails and SMS sessions, and Zoom Whiteboards.
type extrasState struct {
	seeded      bool
	voicemails  []*voicemailRec
	sms         []*smsSessionRec
	whiteboards []*whiteboardRec
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
