package zoomsim

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

// GET /report/webinars/{webinarId} gives an ended webinar instance's start,
// end, duration and attendance, by instance UUID or (latest instance) by
// webinar ID; it is Heavy, admin-scoped and not on Basic.
func TestWebinarReport(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 9, Users: 15, Plan: "business", NoRateLimits: true, AutoApprove: true})
	tok := s2sToken(t, s)
	tr := s.Truth()
	if len(tr.Webinars) == 0 {
		t.Fatal("no ended webinar in the scenario")
	}
	latest := map[int64]TruthWebinar{}
	for _, w := range tr.Webinars {
		var r webinarReportResponse
		get(t, s, tok, "/v2/report/webinars/"+url.PathEscape(url.PathEscape(w.UUID)), &r)
		host := userWith(t, s, func(u User) bool { return u.ID == w.HostID })
		if r.UUID != w.UUID || r.ID != w.ID || r.Topic != w.Topic || r.Type != 5 || r.StartTime != ztime(w.Start) ||
			r.EndTime != ztime(w.End) || r.Duration != w.Duration || r.ParticipantsCount != w.ParticipantsCount ||
			r.UserEmail != host.Email || r.UserName != host.FirstName+" "+host.LastName || r.Dept != host.Dept ||
			r.TotalMinutes <= 0 || r.TotalMinutes > r.Duration*r.ParticipantsCount {
			t.Fatalf("report %+v, truth %+v", r, w)
		}
		if w.Duration != int(w.End.Sub(w.Start).Round(time.Minute)/time.Minute) {
			t.Fatalf("truth duration %d min for %s..%s", w.Duration, w.Start, w.End)
		}
		if l, ok := latest[w.ID]; !ok || w.Start.After(l.Start) {
			latest[w.ID] = w
		}
	}
	for id, w := range latest {
		var r webinarReportResponse
		get(t, s, tok, fmt.Sprintf("/v2/report/webinars/%d", id), &r)
		if r.UUID != w.UUID {
			t.Fatalf("report by ID %d is of %s, want the latest instance %s", id, r.UUID, w.UUID)
		}
	}

	// A webinar that is still running has no report yet; once it ends, it has.
	s.mu.Lock()
	var next *webinarInstance
	for _, w := range s.acct.webinars {
		if wi := w.instances[0]; wi.start.After(s.clk.now) && (next == nil || wi.start.Before(next.start)) {
			next = wi
		}
	}
	s.mu.Unlock()
	if next == nil {
		t.Fatal("no webinar ahead in the scenario")
	}
	s.Advance(next.start.Add(time.Minute).Sub(s.Now()))
	tok = s2sToken(t, s)
	for _, p := range []string{fmt.Sprint(next.w.id), url.PathEscape(next.uuid)} {
		status, _, b := call(t, s, tok, "GET", "/v2/report/webinars/"+p, nil)
		wantZoomError(t, status, b, 404, 3001)
	}
	s.Advance(next.end.Sub(s.Now()))
	tok = s2sToken(t, s)
	var r webinarReportResponse
	get(t, s, tok, "/v2/report/webinars/"+url.PathEscape(next.uuid), &r)
	if r.EndTime != ztime(next.end) || r.ParticipantsCount != next.attendees {
		t.Fatalf("report of a webinar just ended: %+v", r)
	}
	status, _, b := call(t, s, tok, "GET", "/v2/report/webinars/nosuchwebinar==", nil)
	wantZoomError(t, status, b, 404, 3001)

	// An admin's OAuth install is account-level and may read it; reports exist
	// only in the :admin form, so a member's user-level token lacks the scope.
	get(t, s, userToken(t, s).AccessToken, fmt.Sprintf("/v2/report/webinars/%d", tr.Webinars[0].ID), nil)
	member := userWith(t, s, func(u User) bool { return u.Role == "member" })
	if err := s.SetAuthorizeAs(member.Email); err != nil {
		t.Fatal(err)
	}
	user := userToken(t, s).AccessToken
	status, _, b = call(t, s, user, "GET", fmt.Sprintf("/v2/report/webinars/%d", tr.Webinars[0].ID), nil)
	if e := wantZoomError(t, status, b, 400, 4711); e.Message != "Invalid access token, does not contain scopes:[report:read:webinar:admin]" {
		t.Fatalf("user-level token: %s", e.Message)
	}

	s.SetRateLimits(true)
	if _, h, _ := call(t, s, tok, "GET", fmt.Sprintf("/v2/report/webinars/%d", tr.Webinars[0].ID), nil); h.Get("X-RateLimit-Category") != "Heavy" {
		t.Fatalf("webinar report rate-limit category %q, want Heavy", h.Get("X-RateLimit-Category"))
	}

	free := startSim(t, Options{Seed: 9, Users: 4, Plan: "basic"})
	status, _, b = call(t, free, s2sToken(t, free), "GET", "/v2/report/webinars/1", nil)
	wantZoomError(t, status, b, 400, 200)
}
