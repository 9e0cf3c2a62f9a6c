package zoomsim

import (
	"strings"
	"testing"
)

// Voicemails, SMS sessions and whiteboards are listed per user, a voicemail's
// transcript is in its details, a Basic-only user gets Zoom's Phone errors,
// and every call is counted by route.
func TestExtrasListedAndCounted(t *testing.T) {
	s := startSim(t, Options{Seed: 3, Plan: "business", AccountID: "acct", ClientID: "cid", ClientSecret: "secret0123456789"})
	tok := s2sToken(t, s)
	var phone, plain User
	for _, u := range s.Users() {
		if u.PhoneLicence && phone.ID == "" {
			phone = u
		}
		if !u.PhoneLicence && plain.ID == "" {
			plain = u
		}
	}
	x := s.ExtrasData()
	var vms voicemailsResponse
	status, _, body := call(t, s, tok, "GET", "/v2/phone/users/"+phone.ID+"/voice_mails", nil)
	mustJSON(t, body, &vms)
	if status != 200 || len(vms.VoiceMails) != len(x.Voicemails[phone.ID]) || len(vms.VoiceMails) == 0 {
		t.Fatalf("voicemails: %d %s, want %d", status, body, len(x.Voicemails[phone.ID]))
	}
	var vm voicemailDetailWire
	status, _, body = call(t, s, tok, "GET", "/v2/phone/voice_mails/"+vms.VoiceMails[0].ID, nil)
	mustJSON(t, body, &vm)
	if status != 200 || vm.Transcription.Content == "" {
		t.Fatalf("voicemail details: %d %s", status, body)
	}
	if status, _, body = call(t, s, tok, "GET", "/v2/phone/users/"+plain.ID+"/sms/sessions", nil); status != 404 {
		t.Fatalf("SMS of a user without Phone: %d %s", status, body)
	}
	var sms smsSessionsResponse
	_, _, body = call(t, s, tok, "GET", "/v2/phone/users/"+phone.ID+"/sms/sessions", nil)
	mustJSON(t, body, &sms)
	if len(sms.SMSSessions) != len(x.SMSSessions[phone.ID]) || strings.Contains(string(body), "message\"") {
		t.Fatalf("SMS sessions: %s", body)
	}
	var wbs whiteboardsResponse
	_, _, body = call(t, s, tok, "GET", "/v2/whiteboards?user_id="+plain.ID, nil)
	mustJSON(t, body, &wbs)
	if len(wbs.Whiteboards) != len(x.Whiteboards[plain.ID]) || wbs.Whiteboards[0].OwnerID != plain.ID {
		t.Fatalf("whiteboards: %s", body)
	}
	id, err := s.NewVoicemail(phone.Email)
	if err != nil || id == "" {
		t.Fatal(err)
	}
	if n, m, w := s.APICalls("/voice_mails"), s.APICalls("/sms/sessions"), s.APICalls("/whiteboards"); n != 2 || m != 2 || w != 1 {
		t.Fatalf("call counts: voicemails %d, SMS %d, whiteboards %d", n, m, w)
	}
}
