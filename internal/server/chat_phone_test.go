package server

import (
	"context"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// Phone, voicemail, SMS and whiteboard answers show what the emulator holds;
// with Phone switched off by the admin every phone command answers that it
// is not offered and Zoom is not called at all.
func TestChatPhoneAndWhiteboardAnswers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		w := startChatWorld(t, d)
		bot := w.srv.URL()
		var phone, plain zoomsim.User
		for _, u := range w.sim.Users() {
			if u.PhoneLicence && phone.ID == "" && u.Status == "active" {
				phone = u
			}
			if !u.PhoneLicence && plain.ID == "" && u.Status == "active" {
				plain = u
			}
		}
		if phone.ID == "" || plain.ID == "" {
			t.Fatal("the emulator's account needs a Phone user and one without Phone")
		}
		x := w.sim.ExtrasData()
		me, dm := "29:"+phone.ID, "personal-"+phone.ID
		one := func(text string) teamsCard {
			t.Helper()
			cards := w.teams.say(bot, me, dm, "personal", text, false)
			if len(cards) != 1 {
				t.Fatalf("%q: %d cards, want 1", text, len(cards))
			}
			return cards[0]
		}

		vm := one("voicemails")
		if vm.Code != "voicemails" {
			t.Fatalf("voicemails: %+v", vm)
		}
		for _, v := range x.Voicemails[phone.ID] {
			if !strings.Contains(vm.Text, v.CallerName) || !strings.Contains(vm.Text, v.CallerNumber) {
				t.Errorf("voicemail from %s (%s) missing from %s", v.CallerName, v.CallerNumber, vm.Text)
			}
		}
		tr := one("voicemail 1")
		if tr.Code != "voicemail_transcript" || !containsAny(tr.Text, x.Voicemails[phone.ID], func(v zoomsim.Voicemail) string { return v.Transcript }) {
			t.Fatalf("transcript: %+v", tr)
		}
		sms := one("sms")
		for _, s := range x.SMSSessions[phone.ID] {
			if sms.Code != "sms_sessions" || !strings.Contains(sms.Text, s.OtherName) || !strings.Contains(sms.Text, s.OtherNumber) {
				t.Errorf("SMS session with %s missing from %+v", s.OtherName, sms)
			}
		}
		calls := one("calls")
		if calls.Code != "calls" {
			t.Fatalf("calls: %+v", calls)
		}
		week := w.sim.Now().AddDate(0, 0, -7)
		for _, c := range w.sim.Truth().Calls {
			if c.UserID != phone.ID || c.Start.Before(week) || c.End.After(w.sim.Now()) {
				continue
			}
			other := c.CalleeName
			if c.Direction == "inbound" {
				other = c.CallerName
			}
			if strings.Count(calls.Text, other) == 0 {
				t.Errorf("call with %s on %s missing", other, c.Start)
			}
			break // the newest is on the first page; older ones may be past the ten shown
		}
		wb := one("whiteboards")
		for _, b := range x.Whiteboards[phone.ID] {
			if wb.Code != "whiteboards" || !strings.Contains(wb.Text, b.Name) || !strings.Contains(wb.Text, "/wb/doc/"+b.ID) {
				t.Errorf("whiteboard %s missing from %+v", b.Name, wb)
			}
		}

		// A transcript is only for a personal chat: in a group chat, no Zoom call.
		group := "group-1"
		w.teams.members[group] = []string{me, "29:" + plain.ID}
		before := w.sim.APICalls("")
		if c := w.teams.say(bot, me, group, "groupChat", "voicemail 1", true); len(c) != 1 || c[0].Code != "personal_only" {
			t.Fatalf("transcript in a group chat: %+v", c)
		}
		if after := w.sim.APICalls(""); after != before {
			t.Fatalf("a refused transcript called Zoom %d times", after-before)
		}
		shared := w.teams.say(bot, me, group, "groupChat", "whiteboard share 1", true)
		if len(shared) != 1 || shared[0].Code != "whiteboard" || !strings.Contains(shared[0].Text, "/wb/doc/") {
			t.Fatalf("whiteboard share: %+v", shared)
		}

		// No Phone licence.
		if c := w.teams.say(bot, "29:"+plain.ID, "personal-"+plain.ID, "personal", "calls", false); len(c) != 1 || c[0].Code != "no_phone_licence" {
			t.Fatalf("calls without a licence: %+v", c)
		}

		// Phone switched off: not offered, and no Zoom call at all.
		ctx := context.Background()
		if err := w.srv.Store.SetChatSettings(ctx, w.org.ID, store.ChatSettings{Meetings: true, Phone: false, Whiteboard: true}, w.sim.Now()); err != nil {
			t.Fatal(err)
		}
		before = w.sim.APICalls("")
		for _, cmd := range []string{"calls", "voicemails", "voicemail 1", "sms"} {
			if c := one(cmd); c.Code != "feature_off" || !strings.Contains(c.Text, "Phone is not offered") {
				t.Errorf("%s with Phone off: %+v", cmd, c)
			}
		}
		if after := w.sim.APICalls(""); after != before {
			t.Fatalf("Phone off still called Zoom %d times", after-before)
		}
		if c := one("whiteboards"); c.Code != "whiteboards" {
			t.Fatalf("whiteboards with only Phone off: %+v", c)
		}
	})
}

func containsAny[T any](text string, xs []T, f func(T) string) bool {
	for _, x := range xs {
		if s := f(x); s != "" && strings.Contains(text, s) {
			return true
		}
	}
	return false
}
