package zoomsim

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// listings fetches a fixed set of list responses, page by page, as bytes.
func listings(t *testing.T, s *Server) []byte {
	t.Helper()
	tok := s2sToken(t, s)
	var out bytes.Buffer
	from, to := s.Now().AddDate(0, 0, -30).Format("2006-01-02"), s.Now().Format("2006-01-02")
	for _, u := range s.Users() {
		paths := []string{
			"/v2/users/" + u.ID,
			"/v2/users/" + u.ID + "/meetings?type=previous_meetings",
			"/v2/report/users/" + u.ID + "/meetings?from=" + from + "&to=" + to,
		}
		if u.Type == 2 {
			paths = append(paths, "/v2/users/"+u.ID+"/recordings?from="+from+"&to="+to)
		}
		if u.PhoneLicence {
			paths = append(paths, "/v2/phone/users/"+u.ID+"/call_history?from="+from+"&to="+to)
		}
		for _, p := range append(paths, "/v2/users") {
			next := ""
			for {
				q := p + sep(p) + "page_size=5"
				if next != "" {
					q += "&next_page_token=" + url.QueryEscape(next)
				}
				b := get(t, s, tok, q, nil)
				out.Write(b)
				if strings.HasPrefix(p, "/v2/users/"+u.ID) && !strings.Contains(p, "meetings") && !strings.Contains(p, "recordings") {
					break
				}
				if next = decodeList(t, b).NextPageToken; next == "" {
					break
				}
			}
		}
	}
	// URLs carry the listener's port; everything else must match byte for byte.
	return bytes.ReplaceAll(out.Bytes(), []byte(s.URL()), []byte("http://zoomsim"))
}

func TestSameSeedGivesIdenticalListings(t *testing.T) {
	t.Parallel()
	o := Options{Seed: 42, Users: 9, Plan: "business", NoRateLimits: true}
	a, b := startSim(t, o), startSim(t, o)
	la, lb := listings(t, a), listings(t, b)
	if !bytes.Equal(la, lb) {
		t.Fatal("two instances with the same seed listed different data")
	}
	if len(la) < 10_000 {
		t.Fatalf("listings are suspiciously small: %d bytes", len(la))
	}
	o.Seed = 43
	if c := startSim(t, o); bytes.Equal(la, listings(t, c)) {
		t.Fatal("a different seed gave the same account")
	}
	// Stepping the clock differently must not change what happened.
	a.Advance(36 * time.Hour)
	for range 36 {
		b.Advance(time.Hour)
	}
	if !bytes.Equal(listings(t, a), listings(t, b)) {
		t.Fatal("one 36h step and 36 one-hour steps gave different accounts")
	}
}

func TestGeneratorGuarantees(t *testing.T) {
	t.Parallel()
	for seed := int64(0); seed < 200; seed++ {
		for _, plan := range []string{"pro", "business"} {
			o := Options{Seed: seed, Users: 3, Plan: plan}
			if err := o.applyDefaults(); err != nil {
				t.Fatal(err)
			}
			a := generateAccount(&o)
			basic, noPhone, phone := false, false, false
			for _, u := range a.users {
				basic = basic || u.Type == 1
				noPhone = noPhone || !u.PhoneLicence
				phone = phone || u.PhoneLicence
			}
			if !basic || !noPhone || !phone {
				t.Fatalf("seed %d %s: basic=%v noPhone=%v phone=%v", seed, plan, basic, noPhone, phone)
			}
		}
	}
}

func TestScenarioHasTheActivityTheIssueAsksFor(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 9, Users: 15, Plan: "business"})
	tr := s.Truth()
	solo, oneOnOne, group, joined, rec, transcript, summary := 0, 0, 0, 0, 0, 0, 0
	for _, m := range tr.Meetings {
		switch n := m.ParticipantsCount; {
		case n == 1:
			solo++
		case n == 2:
			oneOnOne++
		default:
			group++
		}
		if len(m.ParticipantIDs) > 1 {
			joined++
		}
		rec += b2i(m.HasRecording)
		transcript += b2i(m.HasTranscript)
		summary += b2i(m.HasSummary)
	}
	in, out, devices, names := 0, 0, map[string]bool{}, map[string]bool{}
	for _, c := range tr.Calls {
		if c.Direction == "inbound" {
			in++
			names[c.CallerName] = true
		} else {
			out++
		}
		devices[c.Device] = true
	}
	counts := fmt.Sprintf("solo %d, 1:1 %d, group %d, joined %d, rec %d, transcript %d, summary %d, webinars %d, in %d, out %d, devices %d, caller names %d",
		solo, oneOnOne, group, joined, rec, transcript, summary, len(tr.Webinars), in, out, len(devices), len(names))
	for _, n := range []int{solo, oneOnOne, group, joined, rec, transcript, summary, len(tr.Webinars), in, out} {
		if n == 0 {
			t.Fatal(counts)
		}
	}
	if len(devices) < 2 || len(names) < 3 {
		t.Fatal(counts)
	}
	t.Log(counts)
}

func TestAdvanceCreatesActivity(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 4, Users: 10, NoRateLimits: true})
	before := len(s.Truth().Meetings)
	s.Advance(48 * time.Hour) // Sunday and Monday
	after := s.Truth()
	tok := s2sToken(t, s) // taken after the advance: one from before expires during those two days
	if len(after.Meetings) <= before {
		t.Fatalf("no new meetings: %d then %d", before, len(after.Meetings))
	}
	newest := after.Meetings[len(after.Meetings)-1]
	var past pastMeetingResponse
	get(t, s, tok, "/v2/past_meetings/"+url.PathEscape(url.PathEscape(newest.UUID)), &past)
	if past.ParticipantsCount != newest.ParticipantsCount || past.ID != newest.ID {
		t.Fatalf("past meeting %+v, truth %+v", past, newest)
	}
	// A meeting created through the API happens when its time comes.
	host := s.Users()[0]
	body := `{"topic":"Planning","type":2,"start_time":"` + s.Now().Add(time.Hour).Format(time.RFC3339) + `","duration":30}`
	status, _, b := call(t, s, tok, http.MethodPost, "/v2/users/"+host.ID+"/meetings", strings.NewReader(body))
	if status != 201 {
		t.Fatalf("create: %d %s", status, b)
	}
	var created meetingBase
	mustJSON(t, b, &created)
	if created.JoinURL == "" || created.StartURL == "" || created.Password == "" {
		t.Fatalf("create response %s", b)
	}
	s.Advance(2 * time.Hour)
	tok = s2sToken(t, s)
	var inst map[string][]instanceItem
	get(t, s, tok, fmt.Sprintf("/v2/past_meetings/%d/instances", created.ID), &inst)
	if len(inst["meetings"]) != 1 {
		t.Fatalf("created meeting did not run: %v", inst)
	}
}

func TestPlanAndLicenceGating(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 6, Users: 6, Plan: "pro"})
	tok := s2sToken(t, s)
	basic := userWith(t, s, func(u User) bool { return u.Type == 1 })
	status, _, b := call(t, s, tok, "GET", "/v2/users/"+basic.ID+"/recordings", nil)
	wantZoomError(t, status, b, 400, 200)
	noPhone := userWith(t, s, func(u User) bool { return !u.PhoneLicence })
	status, _, b = call(t, s, tok, "GET", "/v2/phone/users/"+noPhone.ID+"/call_history", nil)
	wantZoomError(t, status, b, 404, 300)

	free := startSim(t, Options{Seed: 6, Users: 4, Plan: "basic"})
	ftok := s2sToken(t, free)
	for _, u := range free.Users() {
		if u.Type != 1 || u.PhoneLicence {
			t.Fatalf("a Basic account has only Basic users without Phone: %+v", u)
		}
	}
	status, _, b = call(t, free, ftok, "GET", "/v2/phone/users/"+free.Users()[0].ID+"/call_history", nil)
	wantZoomError(t, status, b, 403, 2031)
}

func TestDeletedUserMidSync(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 8, Users: 8, NoRateLimits: true})
	tok := s2sToken(t, s)
	victim := s.Users()[3]
	get(t, s, tok, "/v2/users/"+victim.ID, nil)
	if err := s.DeleteUser(victim.ID); err != nil {
		t.Fatal(err)
	}
	status, _, b := call(t, s, tok, "GET", "/v2/users/"+victim.ID+"/meetings", nil)
	wantZoomError(t, status, b, 404, 1001)
	for _, m := range s.Truth().Meetings {
		if m.HostID == victim.ID {
			t.Fatal("deleted user's meetings still in truth")
		}
	}
}

func TestDoubleEncodedUUIDs(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 12, Users: 12, NoRateLimits: true})
	tok := s2sToken(t, s)
	for _, m := range s.Truth().Meetings {
		if strings.HasPrefix(m.UUID, "/") || strings.Contains(m.UUID, "//") || strings.Contains(m.UUID, "+") {
			once, twice := url.PathEscape(m.UUID), url.PathEscape(url.PathEscape(m.UUID))
			var a, b pastMeetingResponse
			get(t, s, tok, "/v2/past_meetings/"+twice, &a)
			get(t, s, tok, "/v2/past_meetings/"+once, &b)
			if a.UUID != m.UUID || b.UUID != m.UUID {
				t.Fatalf("uuid %s: got %s and %s", m.UUID, a.UUID, b.UUID)
			}
			return
		}
	}
	t.Fatal("no UUID needing encoding in the scenario")
}
