package zoomsim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook endpoint that verifies like Zoom's samples do and
// records what arrived.
type receiver struct {
	t      *testing.T
	secret string
	sim    *Server
	status func(event string) int // answer for events (default 200)

	mu     sync.Mutex
	events []received
}

type received struct {
	Event   string
	TS      int64 // x-zm-request-timestamp
	SimNow  time.Time
	Body    []byte
	Headers http.Header
}

func newReceiver(t *testing.T, s *Server) (*receiver, *httptest.Server) {
	rc := &receiver{t: t, secret: s.Options().WebhookSecret, sim: s}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts := r.Header.Get("x-zm-request-timestamp")
	m := hmac.New(sha256.New, []byte(rc.secret))
	m.Write([]byte("v0:" + ts + ":" + string(body)))
	if want := "v0=" + hex.EncodeToString(m.Sum(nil)); r.Header.Get("x-zm-signature") != want {
		rc.t.Errorf("bad signature on %s", body)
		w.WriteHeader(401)
		return
	}
	var env struct {
		Event   string `json:"event"`
		Payload struct {
			PlainToken string `json:"plainToken"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		rc.t.Errorf("body is not JSON: %s", body)
	}
	n, _ := strconv.ParseInt(ts, 10, 64)
	rc.mu.Lock()
	rc.events = append(rc.events, received{Event: env.Event, TS: n, SimNow: rc.sim.Now(), Body: body, Headers: r.Header.Clone()})
	status := rc.status
	rc.mu.Unlock()
	if env.Event == "endpoint.url_validation" {
		m := hmac.New(sha256.New, []byte(rc.secret))
		m.Write([]byte(env.Payload.PlainToken))
		writeJSON(w, 200, map[string]string{"plainToken": env.Payload.PlainToken, "encryptedToken": hex.EncodeToString(m.Sum(nil))})
		return
	}
	if status != nil {
		w.WriteHeader(status(env.Event))
		return
	}
	w.WriteHeader(200)
}

func (rc *receiver) got() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.events...)
}

func TestWebhooksSignedAndDeliveredDuringAdvance(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 11, Plan: "business"})
	rc, srv := newReceiver(t, s)
	if err := s.SetWebhookURL(srv.URL); err != nil {
		t.Fatal(err)
	}
	if got := rc.got(); len(got) != 1 || got[0].Event != "endpoint.url_validation" {
		t.Fatalf("subscribing should validate the URL first, got %v", got)
	}
	s.Advance(3 * 24 * time.Hour)
	counts := map[string]int{}
	var last int64
	for _, ev := range rc.got() {
		counts[ev.Event]++
		h := ev.Headers
		if h.Get("User-Agent") != "Zoom Marketplace/1.0a" || h.Get("Content-Type") != "application/json; charset=utf-8" || h.Get("x-zm-request-id") == "" {
			t.Fatalf("headers: %v", h)
		}
		if ev.TS < last || ev.TS != ev.SimNow.Unix() {
			t.Fatalf("%s sent at %d with the clock at %s (previous %d): deliveries must follow sim time", ev.Event, ev.TS, ev.SimNow, last)
		}
		last = ev.TS
		var c bytes.Buffer
		json.Compact(&c, ev.Body)
		if !bytes.Equal(c.Bytes(), ev.Body) || bytes.Contains(ev.Body, []byte(`\u00`)) {
			t.Fatalf("body is not compact JSON as JSON.stringify writes it: %s", ev.Body)
		}
	}
	for _, name := range []string{"meeting.started", "meeting.ended", "recording.completed", "recording.transcript_completed",
		"meeting.summary_completed", "phone.caller_ended", "phone.callee_ended", "phone.caller_call_history_completed",
		"phone.callee_call_history_completed"} {
		if counts[name] == 0 {
			t.Errorf("no %s in three days: %v", name, counts)
		}
	}
	if counts["meeting.started"] < counts["meeting.ended"] {
		t.Errorf("more meetings ended than started: %v", counts)
	}
}

func TestWebhookRetriesOnlyAfter5xx(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status   int
		attempts int
	}{{500, 4}, {503, 4}, {404, 1}, {401, 1}, {302, 1}, {200, 1}} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Options{Seed: 1, Users: 3})
			rc, srv := newReceiver(t, s)
			if err := s.SetWebhookURL(srv.URL); err != nil {
				t.Fatal(err)
			}
			rc.mu.Lock()
			rc.status = func(string) int { return tc.status }
			rc.mu.Unlock()
			s.SetWebhookEvents([]string{"user.created"})
			start := s.Now()
			if _, err := s.CreateUser(NewUser{FirstName: "Rita", LastName: "Retry"}); err != nil {
				t.Fatal(err)
			}
			s.Advance(3 * time.Hour)
			var at []time.Duration
			for _, d := range s.WebhookLog() {
				if d.Event == "user.created" {
					at = append(at, d.At.Sub(start))
				}
			}
			want := []time.Duration{0, 5 * time.Minute, 25 * time.Minute, 85 * time.Minute}[:tc.attempts]
			if len(at) != len(want) {
				t.Fatalf("attempts at %v, want %v", at, want)
			}
			for i := range want {
				if at[i] != want[i] {
					t.Fatalf("attempts at %v, want %v", at, want)
				}
			}
		})
	}
}

func TestWebhookFaultsDropAndDuplicate(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 1, Users: 3})
	rc, srv := newReceiver(t, s)
	if err := s.SetWebhookURL(srv.URL); err != nil {
		t.Fatal(err)
	}
	s.AddFault(Fault{Kind: "drop", Event: "user.created", Count: 1})
	s.AddFault(Fault{Kind: "duplicate", Event: "user.updated", Count: 1})
	u, _ := s.CreateUser(NewUser{FirstName: "Dora", LastName: "Dropped"})
	name := "Dee"
	if err := s.UpdateUser(u.ID, UserChanges{FirstName: &name}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ev := range rc.got() {
		names = append(names, ev.Event)
	}
	if strings.Join(names, ",") != "endpoint.url_validation,user.updated,user.updated" {
		t.Fatalf("got %v", names)
	}
}

func TestURLValidationFailureRefusesSubscription(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 1, Users: 3})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"plainToken": "x", "encryptedToken": "y"})
	}))
	t.Cleanup(srv.Close)
	if err := s.SetWebhookURL(srv.URL); err == nil {
		t.Fatal("a URL that fails validation was accepted")
	}
	if s.Info().WebhookURL != "" {
		t.Fatal("subscription changed")
	}
}

func TestRevokeSendsAppDeauthorized(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 1, AutoApprove: true})
	rc, srv := newReceiver(t, s)
	if err := s.SetWebhookURL(srv.URL); err != nil {
		t.Fatal(err)
	}
	tok := userToken(t, s)
	if err := s.RevokeUser(s.Users()[0].ID); err != nil {
		t.Fatal(err)
	}
	got := rc.got()
	last := got[len(got)-1]
	var ev appDeauthorized
	mustJSON(t, last.Body, &ev)
	if ev.Event != "app_deauthorized" || ev.Payload.UserID != s.Users()[0].ID || ev.Payload.ClientID != s.Options().ClientID || ev.Payload.EventTS == 0 {
		t.Fatalf("got %s", last.Body)
	}
	status, _, b := call(t, s, tok.AccessToken, "GET", "/v2/users/me", nil)
	wantZoomError(t, status, b, 401, 124)
	status, b = exchange(t, s, map[string][]string{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	if status != 400 || string(b) != `{"reason":"Invalid Token!","error":"invalid_grant"}` {
		t.Fatalf("refresh after revoke: %d %s", status, b)
	}
}

// Zoom's user-management calls send the user.* events before answering.
func TestUserManagementAPISendsEvents(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 3, Users: 4})
	rc, srv := newReceiver(t, s)
	if err := s.SetWebhookURL(srv.URL); err != nil {
		t.Fatal(err)
	}
	tok := s2sToken(t, s)
	status, _, b := call(t, s, tok, "POST", "/v2/users", strings.NewReader(`{"action":"create","user_info":{"email":"new.person@example.com","type":1,"first_name":"New","last_name":"Person"}}`))
	if status != 201 {
		t.Fatalf("create: %d %s", status, b)
	}
	var u createUsersResponse
	mustJSON(t, b, &u)
	status, _, b = call(t, s, tok, "POST", "/v2/users", strings.NewReader(`{"action":"create","user_info":{"email":"new.person@example.com","type":1}}`))
	wantZoomError(t, status, b, 409, 1005)
	steps := []struct{ method, path, body string }{
		{"PATCH", "/v2/users/" + u.ID, `{"first_name":"Renamed","dept":"QA"}`},
		{"PUT", "/v2/users/" + u.ID + "/status", `{"action":"deactivate"}`},
		{"DELETE", "/v2/users/" + u.ID + "?action=delete", ""},
	}
	for _, st := range steps {
		if status, _, b := call(t, s, tok, st.method, st.path, strings.NewReader(st.body)); status != 204 {
			t.Fatalf("%s %s: %d %s", st.method, st.path, status, b)
		}
	}
	var names []string
	for _, ev := range rc.got() {
		names = append(names, ev.Event)
	}
	if strings.Join(names, ",") != "endpoint.url_validation,user.created,user.updated,user.deactivated,user.deleted" {
		t.Fatalf("got %v", names)
	}
	status, _, b = call(t, s, tok, "GET", "/v2/users/"+u.ID, nil)
	wantZoomError(t, status, b, 404, 1001)
}

// With a speed the clock runs by itself and activity still arrives in order.
func TestAcceleratedClockDeliversActivity(t *testing.T) {
	t.Parallel()
	// Monday 07:50 UTC: the working day's meetings start within minutes.
	s := startSim(t, Options{Seed: 2, Users: 12, Start: time.Date(2026, 11, 2, 7, 50, 0, 0, time.UTC)})
	started := make(chan struct{}, 1)
	rc, srv := newReceiver(t, s)
	if err := s.SetWebhookURL(srv.URL); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	rc.status = func(ev string) int {
		if ev == "meeting.started" {
			select {
			case started <- struct{}{}:
			default:
			}
		}
		return 200
	}
	rc.mu.Unlock()
	s.SetSpeed(1200) // 20 sim-minutes per second
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("no meeting started while the clock ran")
	}
	s.SetSpeed(0)
	if !s.Now().After(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("clock at %s", s.Now())
	}
}
