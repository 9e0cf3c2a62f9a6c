package zoomsim

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const redirect = "http://127.0.0.1:1/callback"

// authorize runs /oauth/authorize with AutoApprove and returns the redirect.
func authorize(t *testing.T, s *Server, extra url.Values) *url.URL {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {s.Options().ClientID}, "redirect_uri": {redirect}, "state": {"st8"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, err := httpc.Get(s.URL() + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != "st8" {
		t.Fatalf("state not echoed: %s", loc)
	}
	return loc
}

func exchange(t *testing.T, s *Server, form url.Values) (int, []byte) {
	o := s.Options()
	return postForm(t, s.URL()+"/oauth/token", o.ClientID, o.ClientSecret, form)
}

// userToken runs the authorization-code flow with PKCE and returns the tokens.
func userToken(t *testing.T, s *Server) tokenResponse {
	t.Helper()
	verifier := "a-verifier-that-is-long-enough-for-rfc-7636-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	loc := authorize(t, s, url.Values{"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}})
	code := loc.Query().Get("code")
	status, b := exchange(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}})
	if status != 200 {
		t.Fatalf("code exchange: %d %s", status, b)
	}
	var tr tokenResponse
	mustJSON(t, b, &tr)
	if tr.RefreshToken == "" || tr.ExpiresIn != 3599 || tr.TokenType != "bearer" || strings.Count(tr.AccessToken, ".") != 2 {
		t.Fatalf("token response not shaped like Zoom's: %+v", tr)
	}
	status, b = exchange(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}})
	if status != 400 || string(b) != `{"reason":"Invalid authorization code `+code+`","error":"invalid_request"}` {
		t.Fatalf("reused code: %d %s", status, b)
	}
	return tr
}

func TestRefreshTokenRotatesAndReuseFails(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 1, AutoApprove: true})
	first := userToken(t, s)
	status, b := exchange(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}})
	if status != 200 {
		t.Fatalf("refresh: %d %s", status, b)
	}
	var second tokenResponse
	mustJSON(t, b, &second)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatal("refresh did not rotate tokens")
	}
	status, b = exchange(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}})
	if status != 400 || string(b) != `{"reason":"Invalid Token!","error":"invalid_grant"}` {
		t.Fatalf("spent refresh token: %d %s", status, b)
	}
	// Parameters in the query string work as well as a form body.
	o := s.Options()
	status, b = postForm(t, s.URL()+"/oauth/token?grant_type=refresh_token&refresh_token="+url.QueryEscape(second.RefreshToken), o.ClientID, o.ClientSecret, nil)
	if status != 200 {
		t.Fatalf("refresh in query: %d %s", status, b)
	}
	status, b = postForm(t, s.URL()+"/oauth/token", o.ClientID, "wrong", url.Values{"grant_type": {"refresh_token"}})
	if status != 400 || string(b) != `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}` {
		t.Fatalf("bad client: %d %s", status, b)
	}
}

func TestPKCEMismatchFails(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 1, AutoApprove: true})
	loc := authorize(t, s, url.Values{"code_challenge": {"plain-challenge"}, "code_challenge_method": {"plain"}})
	status, b := exchange(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirect}, "code_verifier": {"other"}})
	if status != 400 || !strings.Contains(string(b), "invalid_grant") {
		t.Fatalf("wrong verifier: %d %s", status, b)
	}
}

func TestExpiredAccessTokenGetsCode124(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 1, AutoApprove: true})
	tok := userToken(t, s).AccessToken
	get(t, s, tok, "/v2/users/me", nil)
	status, _, b := call(t, s, "", "GET", "/v2/users/me?access_token="+tok, nil)
	wantZoomError(t, status, b, 401, 124)
	s.Advance(time.Hour)
	status, _, b = call(t, s, tok, "GET", "/v2/users/me", nil)
	if e := wantZoomError(t, status, b, 401, 124); e.Message != "Access token is expired." {
		t.Fatalf("message %q", e.Message)
	}
	status, _, b = call(t, s, "garbage", "GET", "/v2/users/me", nil)
	wantZoomError(t, status, b, 401, 124)
}

func TestUserLevelTokenMustSayMe(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 2, AutoApprove: true})
	member := userWith(t, s, func(u User) bool { return u.Role == "member" })
	if err := s.SetAuthorizeAs(member.Email); err != nil {
		t.Fatal(err)
	}
	tok := userToken(t, s).AccessToken
	var me userResponse
	get(t, s, tok, "/v2/users/me", &me)
	if me.ID != member.ID {
		t.Fatalf("me is %s, want %s", me.ID, member.ID)
	}
	status, _, b := call(t, s, tok, "GET", "/v2/users/"+member.ID, nil)
	wantZoomError(t, status, b, 400, 124)
	status, _, b = call(t, s, tok, "GET", "/v2/users", nil) // list users is admin-only
	wantZoomError(t, status, b, 400, 4711)
}

func TestMissingScopeGets4711(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 2})
	if err := s.SetScopes("s2s", []string{"user:read:user:admin"}); err != nil {
		t.Fatal(err)
	}
	tok := s2sToken(t, s)
	status, _, b := call(t, s, tok, "GET", "/v2/users/"+s.Users()[0].ID+"/recordings", nil)
	e := wantZoomError(t, status, b, 400, 4711)
	if e.Message != "Invalid access token, does not contain scopes:[cloud_recording:read:list_user_recordings:admin]" {
		t.Fatalf("message %q", e.Message)
	}
}

func TestNotPreApprovedAppFails(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 1, AutoApprove: true})
	tok := userToken(t, s)
	s.SetPreApproved(false)
	q := url.Values{"response_type": {"code"}, "client_id": {s.Options().ClientID}, "redirect_uri": {redirect}}
	resp, err := httpc.Get(s.URL() + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("code") != "" {
		t.Fatalf("authorize while not pre-approved redirected to %s", loc)
	}
	status, b := exchange(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	if status != 400 || !strings.Contains(string(b), "invalid_grant") {
		t.Fatalf("refresh while not pre-approved: %d %s", status, b)
	}
	status, _, b = call(t, s, tok.AccessToken, "GET", "/v2/users/me", nil)
	wantZoomError(t, status, b, 401, 124)
	get(t, s, s2sToken(t, s), "/v2/users", nil) // internal S2S apps need no approval
}
