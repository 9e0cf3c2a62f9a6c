package zoomsim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// With a Server-to-Server token, "me" is the app's creator (the account
// owner), as on Zoom; a meeting created for a user is on their upcoming list
// at the instant asked, moves on update with its join link, and leaves the
// list on delete, after which it is Zoom's 404 (code 3001).
func TestMeetingLifecycleAndS2SMe(t *testing.T) {
	s := startSim(t, Options{Seed: 5, NoRateLimits: true})
	tok := s2sToken(t, s)
	var me User
	get(t, s, tok, "/v2/users/me", &me)
	if owner := s.Users()[0]; me.ID != owner.ID {
		t.Fatalf("S2S me = %s, want the owner %s", me.ID, owner.ID)
	}
	host := s.Users()[2]
	start := s.Now().Add(48 * time.Hour).Truncate(time.Hour)
	st, _, b := call(t, s, tok, http.MethodPost, "/v2/users/"+host.Email+"/meetings",
		strings.NewReader(`{"topic":"Intro","type":2,"start_time":"`+start.Format(time.RFC3339)+`","duration":30,"timezone":"America/New_York"}`))
	if st != 201 {
		t.Fatalf("create: %d %s", st, b)
	}
	var created struct {
		ID      int64  `json:"id"`
		HostID  string `json:"host_id"`
		JoinURL string `json:"join_url"`
	}
	mustJSON(t, b, &created)
	upcoming := func() map[int64]upcomingItem {
		var r upcomingResponse
		get(t, s, tok, "/v2/users/"+host.ID+"/upcoming_meetings", &r)
		out := map[int64]upcomingItem{}
		for _, m := range r.Meetings {
			out[m.ID] = m
		}
		if len(out) != r.TotalRecords {
			t.Fatalf("total_records %d for %d meetings", r.TotalRecords, len(out))
		}
		return out
	}
	if m, ok := upcoming()[created.ID]; !ok || m.StartTime != ztime(start) || m.JoinURL != created.JoinURL || !m.IsHost {
		t.Fatalf("upcoming has %+v (%v), want the new meeting at %s", m, ok, ztime(start))
	}
	id := itoa(created.ID)
	if st, _, b := call(t, s, tok, http.MethodPatch, "/v2/meetings/"+id, strings.NewReader(`{"start_time":"`+start.Add(time.Hour).Format(time.RFC3339)+`"}`)); st != 204 {
		t.Fatalf("update: %d %s", st, b)
	}
	if m := upcoming()[created.ID]; m.StartTime != ztime(start.Add(time.Hour)) || m.JoinURL != created.JoinURL {
		t.Fatalf("after update %+v", m)
	}
	if st, _, b := call(t, s, tok, http.MethodDelete, "/v2/meetings/"+id, nil); st != 204 {
		t.Fatalf("delete: %d %s", st, b)
	}
	if _, ok := upcoming()[created.ID]; ok {
		t.Fatal("a deleted meeting is still upcoming")
	}
	st, _, b = call(t, s, tok, http.MethodDelete, "/v2/meetings/"+id, nil)
	wantZoomError(t, st, b, 404, 3001)
	if info, _ := s.Meeting(id); !info.Deleted || info.HostID != host.ID {
		t.Fatalf("emulator record %+v", info)
	}
}
