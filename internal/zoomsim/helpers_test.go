package zoomsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var httpc = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// startSim runs an emulator on a loopback port for one test.
func startSim(t *testing.T, o Options) *Server {
	t.Helper()
	if o.Users == 0 {
		o.Users = 12
	}
	s, err := Start(o, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// s2sToken gets an account-level token from the Server-to-Server app.
func s2sToken(t *testing.T, s *Server) string {
	t.Helper()
	o := s.Options()
	status, body := postForm(t, s.URL()+"/oauth/token", o.S2SClientID, o.S2SClientSecret,
		url.Values{"grant_type": {"account_credentials"}, "account_id": {o.AccountID}})
	if status != 200 {
		t.Fatalf("account_credentials: %d %s", status, body)
	}
	var tr tokenResponse
	mustJSON(t, body, &tr)
	return tr.AccessToken
}

func postForm(t *testing.T, u, id, secret string, form url.Values) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	resp, err := httpc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// call makes a REST call and returns status, headers and body.
func call(t *testing.T, s *Server, token, method, path string, body io.Reader) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL()+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// get is call for a GET that must succeed, decoding into v.
func get(t *testing.T, s *Server, token, path string, v any) []byte {
	t.Helper()
	status, _, b := call(t, s, token, http.MethodGet, path, nil)
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, b)
	}
	if v != nil {
		mustJSON(t, b, v)
	}
	return b
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}

// wantZoomError checks an error answer's status and Zoom body.
func wantZoomError(t *testing.T, status int, b []byte, wantStatus, wantCode int) zoomError {
	t.Helper()
	var e zoomError
	mustJSON(t, b, &e)
	if status != wantStatus || e.Code != wantCode || e.Message == "" {
		t.Fatalf("got %d %s, want %d with code %d", status, b, wantStatus, wantCode)
	}
	return e
}

// userWith returns the first user satisfying ok.
func userWith(t *testing.T, s *Server, ok func(User) bool) User {
	t.Helper()
	for _, u := range s.Users() {
		if ok(u) {
			return u
		}
	}
	t.Fatal("no such user in the scenario")
	return User{}
}

// busiestHost is the user hosting the most ended meetings with 2+ people.
func busiestHost(s *Server) string {
	n := map[string]int{}
	best := ""
	for _, m := range s.Truth().Meetings {
		if m.ParticipantsCount >= 2 {
			n[m.HostID]++
			if n[m.HostID] > n[best] {
				best = m.HostID
			}
		}
	}
	return best
}
