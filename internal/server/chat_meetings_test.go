package server

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// In a group chat an @mention "schedule" creates a meeting hosted by the
// sender with every member's email invited, posts its card there and sends
// each member a direct message; a message without the @mention does
// nothing; "share" and "upcoming" show the meeting; a Teams user unknown to
// the directory is told so.
func TestChatScheduleShareUpcoming(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		w := startChatWorld(t, d)
		bot := w.srv.URL()
		users := w.sim.Users()[:4]
		group := "group-meet"
		var ids, emails []string
		for _, u := range users {
			ids, emails = append(ids, "29:"+u.ID), append(emails, u.Email)
		}
		w.teams.members[group] = ids
		host := ids[0]

		before := w.sim.APICalls("")
		if c := w.teams.say(bot, host, group, "groupChat", "schedule Planning", false); len(c) != 0 {
			t.Fatalf("a message without the mention was answered: %+v", c)
		}
		if after := w.sim.APICalls(""); after != before {
			t.Fatal("a message without the mention called Zoom")
		}

		cards := w.teams.say(bot, host, group, "groupChat", "schedule Planning at 15:00 for 45m", true)
		if len(cards) != 1 || cards[0].Code != "meeting" || !strings.Contains(cards[0].Text, "Planning") || !strings.Contains(cards[0].Text, "Join") {
			t.Fatalf("schedule: %+v", cards)
		}
		var created *struct{ ID int64 }
		for _, m := range w.sim.MeetingsCreatedByAPI() {
			if m.Topic == "Planning" {
				if m.HostID != users[0].ID {
					t.Fatalf("meeting hosted by %s, want the sender %s", m.HostID, users[0].ID)
				}
				got := slices.Clone(m.Invitees)
				slices.Sort(got)
				want := slices.Clone(emails)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Fatalf("invitees %v, want every member %v", got, want)
				}
				created = &struct{ ID int64 }{m.ID}
			}
		}
		if created == nil {
			t.Fatal("no meeting created in the emulator")
		}
		for i, id := range ids {
			dm := w.teams.cards("dm-"+id, 0)
			want := "invited"
			if i == 0 {
				want = "scheduled"
			}
			if len(dm) != 1 || dm[0].Code != want || !strings.Contains(dm[0].Text, "Planning") {
				t.Errorf("direct message to %s: %+v, want one %q", id, dm, want)
			}
		}

		up := w.teams.say(bot, host, "personal-"+users[0].ID, "personal", "upcoming", false)
		if len(up) != 1 || up[0].Code != "upcoming" || !strings.Contains(up[0].Text, "Planning") {
			t.Fatalf("upcoming: %+v", up)
		}
		sh := w.teams.say(bot, host, group, "groupChat", "share "+strconv.FormatInt(created.ID, 10), true)
		if len(sh) != 1 || sh[0].Code != "meeting" || !strings.Contains(sh[0].Text, "Planning") {
			t.Fatalf("share: %+v", sh)
		}
		if c := w.teams.say(bot, ids[1], group, "groupChat", "share "+strconv.FormatInt(created.ID, 10), true); len(c) != 1 || c[0].Code != "not_found" {
			t.Fatalf("someone else shared the host's meeting: %+v", c)
		}

		w.teams.addUser("29:stranger", "Stranger", "stranger@elsewhere.example")
		if c := w.teams.say(bot, "29:stranger", "personal-stranger", "personal", "upcoming", false); len(c) != 1 || c[0].Code != "not_matched" {
			t.Fatalf("stranger: %+v", c)
		}
	})
}
