package zoomsim

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

// A seeded account of N users has all N at the clock's start, each created
// some time in the few years before the history window, in creation order;
// the same seed gives the same dates.
func TestSeededAccountHasAllItsUsersAtTheStart(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 3, Users: 200, Plan: "business", NoRateLimits: true})
	if n := len(s.Users()); n != 200 {
		t.Fatalf("Users() has %d users at the clock's start, want 200", n)
	}
	if n := len(s.Truth().Users); n != 200 {
		t.Fatalf("Truth() has %d users at the clock's start, want 200", n)
	}
	p := decodeList(t, get(t, s, s2sToken(t, s), "/v2/users?page_size=300", nil))
	if p.TotalRecords != 200 || len(p.items) != 200 {
		t.Fatalf("GET /users lists %d (total_records %d), want 200", len(p.items), p.TotalRecords)
	}

	// Creation dates, also for a large account with the longest history.
	for _, o := range []Options{{Seed: 3, Users: 200, Plan: "business"}, {Seed: 5, Users: 1000, Plan: "pro", Days: 180}} {
		if err := o.applyDefaults(); err != nil {
			t.Fatal(err)
		}
		a, again := generateAccount(&o), generateAccount(&o)
		histStart := o.Start.AddDate(0, 0, -o.Days)
		for i, u := range a.users {
			if !u.CreatedAt.Before(histStart) {
				t.Fatalf("%d users: user %d created %s, not before the history window (%s)", o.Users, i, u.CreatedAt, histStart)
			}
			if u.CreatedAt.Before(histStart.AddDate(-5, 0, 0)) {
				t.Fatalf("%d users: user %d created %s, more than five years before the history", o.Users, i, u.CreatedAt)
			}
			if i > 0 && !u.CreatedAt.After(a.users[i-1].CreatedAt) {
				t.Fatalf("%d users: user %d created %s, not after user %d (%s)", o.Users, i, u.CreatedAt, i-1, a.users[i-1].CreatedAt)
			}
			if !u.CreatedAt.Equal(again.users[i].CreatedAt) || u.ID != again.users[i].ID {
				t.Fatalf("the same seed gave user %d different creation dates or IDs", i)
			}
		}
		if span := a.users[len(a.users)-1].CreatedAt.Sub(a.users[0].CreatedAt); span < 365*24*time.Hour {
			t.Fatalf("%d users all joined within %s: not a realistic past", o.Users, span)
		}
		for _, m := range a.series {
			if host := a.userByID[m.hostID]; m.createdAt.Before(host.CreatedAt) {
				t.Fatalf("recurring meeting %d created %s, before its host joined (%s)", m.id, m.createdAt, host.CreatedAt)
			}
		}
	}
}

// Everything Truth() reports at the clock's now can be read through the REST
// API: its host exists, and the host's own lists show it with the same facts.
// 140 users over a week is past where seeded users used to join after the
// clock's start (and their recurring meetings still showed in the truth).
func TestTruthIsWhatTheAPIReturns(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 11, Users: 140, Plan: "business", Days: 7, NoRateLimits: true})
	s.Advance(10 * time.Hour) // to mid-morning: some of the day has happened
	tok := s2sToken(t, s)
	tr := s.Truth()
	if len(tr.Meetings) == 0 || len(tr.Webinars) == 0 || len(tr.Calls) == 0 {
		t.Fatalf("truth too quiet: %d meetings, %d webinars, %d calls", len(tr.Meetings), len(tr.Webinars), len(tr.Calls))
	}
	users, phone := map[string]bool{}, map[string]bool{}
	for _, u := range tr.Users {
		users[u.ID], phone[u.ID] = true, u.PhoneLicence
	}
	hosts := map[string]bool{}
	for _, m := range tr.Meetings {
		hosts[m.HostID] = true
	}
	for _, w := range tr.Webinars {
		hosts[w.HostID] = true
	}
	for _, c := range tr.Calls {
		hosts[c.UserID] = true
	}
	for h := range hosts {
		if !users[h] {
			t.Fatalf("truth has activity of %s, who is not one of its users", h)
		}
		if status, _, b := call(t, s, tok, "GET", "/v2/users/"+h, nil); status != 200 {
			t.Fatalf("truth has activity of %s, whom the API does not know: %d %s", h, status, b)
		}
	}

	from, to := tr.Now.AddDate(0, 0, -30).Format(zoomDate), tr.Now.Format(zoomDate)
	// Meetings: the host's report lists (past: 2+ people, pastOne: alone) hold every instance.
	reported := map[string]map[string]any{}
	for h := range hosts {
		for _, typ := range []string{"past", "pastOne"} {
			for _, it := range pageItems(t, s, tok, "/v2/report/users/"+h+"/meetings?type="+typ+"&from="+from+"&to="+to) {
				reported[fmt.Sprint(it["uuid"])] = it
			}
		}
	}
	for _, m := range tr.Meetings {
		it := reported[m.UUID]
		if it == nil {
			t.Fatalf("truth meeting %s (host %s, %s) is not in its host's reports", m.UUID, m.HostID, m.Start)
		}
		if it["start_time"] != ztime(m.Start) || it["end_time"] != ztime(m.End) || it["participants_count"] != float64(m.ParticipantsCount) ||
			it["user_email"] != m.HostEmail || it["id"] != float64(m.ID) {
			t.Fatalf("truth meeting %+v, report says %v", m, it)
		}
	}
	if len(reported) != len(tr.Meetings) {
		t.Fatalf("the hosts' reports list %d meetings, the truth %d", len(reported), len(tr.Meetings))
	}
	// Webinars: the host's webinar lists its past instances.
	for _, w := range tr.Webinars {
		var wb webinarResponse
		get(t, s, tok, fmt.Sprintf("/v2/webinars/%d", w.ID), &wb)
		var inst map[string][]instanceItem
		get(t, s, tok, fmt.Sprintf("/v2/past_webinars/%d/instances", w.ID), &inst)
		found := false
		for _, in := range inst["webinars"] {
			found = found || in.UUID == w.UUID && in.StartTime == ztime(w.Start)
		}
		if wb.HostID != w.HostID || !found {
			t.Fatalf("truth webinar %+v: API host %s, instances %v", w, wb.HostID, inst)
		}
	}
	// Calls: each leg is in its user's call history.
	logged := map[string]map[string]any{}
	for h := range hosts {
		if phone[h] {
			for _, it := range pageItems(t, s, tok, "/v2/phone/users/"+h+"/call_history?from="+from+"&to="+to) {
				logged[fmt.Sprint(it["id"])] = it
			}
		}
	}
	for _, c := range tr.Calls {
		it := logged[c.ID]
		if it == nil || it["call_id"] != c.CallID || it["direction"] != c.Direction || it["end_time"] != ztime(c.End) {
			t.Fatalf("truth call %+v, call history says %v", c, it)
		}
	}
	if len(logged) != len(tr.Calls) {
		t.Fatalf("the call histories list %d legs, the truth %d", len(logged), len(tr.Calls))
	}
}

// pageItems returns every item of a list, page by page.
func pageItems(t *testing.T, s *Server, tok, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	next := ""
	for range 1000 {
		u := path + sep(path) + "page_size=300"
		if next != "" {
			u += "&next_page_token=" + url.QueryEscape(next)
		}
		p := decodeList(t, get(t, s, tok, u, nil))
		out = append(out, p.items...)
		if next = p.NextPageToken; next == "" {
			return out
		}
	}
	t.Fatalf("%s: paging did not end", path)
	return nil
}
