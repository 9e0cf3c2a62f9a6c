package zoom_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/zoom"
)

func TestAuthCodeURLCarriesStateAndS256(t *testing.T) {
	app := &zoom.OAuthApp{BaseURL: "https://zoom.us/", ClientID: "cid", RedirectURL: "https://zb.example/oauth/zoom/callback"}
	v := zoom.NewPKCEVerifier()
	u, err := url.Parse(app.AuthCodeURL("st4te", zoom.PKCEChallenge(v)))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "zoom.us" || u.Path != "/oauth/authorize" || q.Get("response_type") != "code" || q.Get("client_id") != "cid" ||
		q.Get("state") != "st4te" || q.Get("code_challenge_method") != "S256" || q.Get("redirect_uri") != app.RedirectURL || q.Has("scope") {
		t.Fatalf("authorize URL %s", u)
	}
	if len(v) < 43 || q.Get("code_challenge") == v || q.Get("code_challenge") != zoom.PKCEChallenge(v) {
		t.Fatalf("verifier %q challenge %q", v, q.Get("code_challenge"))
	}
	// RFC 7636 appendix B.
	if got := zoom.PKCEChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("S256 challenge %q", got)
	}
}

func TestTokenRequestsAndErrors(t *testing.T) {
	cases := []struct {
		status             int
		body               string
		kind, reason       string
		invalid, transient bool
	}{
		{400, `{"reason":"Invalid Token!","error":"invalid_grant"}`, "invalid_grant", "Invalid Token!", true, false},
		{400, `{"error":"invalid_grant"}`, "invalid_grant", "", true, false},
		{400, `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`, "invalid_client", "Invalid client_id or client_secret", false, false},
		{400, `{"error":"invalid_request","error_description":"Code is expired"}`, "invalid_request", "Code is expired", false, false},
		{503, `<html>upstream down</html>`, "", "<html>upstream down</html>", false, true},
		{429, `{"reason":"slow down","error":"too_many"}`, "too_many", "slow down", false, true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status, tc.kind), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				id, secret, ok := r.BasicAuth()
				r.ParseForm()
				if !ok || id != "cid" || secret != "sec" || r.URL.Path != "/oauth/token" || r.PostForm.Get("grant_type") != "refresh_token" ||
					r.PostForm.Get("refresh_token") != "rt" || r.URL.RawQuery != "" {
					t.Errorf("request: basic=%v %s %s form=%v query=%q", ok, id, r.URL.Path, r.PostForm, r.URL.RawQuery)
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			app := &zoom.OAuthApp{BaseURL: srv.URL, ClientID: "cid", ClientSecret: "sec"}
			_, err := app.Refresh(context.Background(), "rt")
			var oe *zoom.OAuthError
			if !errors.As(err, &oe) || oe.Status != tc.status || oe.Kind != tc.kind || oe.Reason != tc.reason {
				t.Fatalf("err = %#v", err)
			}
			if zoom.IsInvalidGrant(err) != tc.invalid || zoom.IsTransient(err) != tc.transient {
				t.Fatalf("invalid_grant %v transient %v", zoom.IsInvalidGrant(err), zoom.IsTransient(err))
			}
		})
	}
}

func TestTokenNeverPrintsItsSecrets(t *testing.T) {
	tok := zoom.Token{AccessToken: "at-secret", RefreshToken: "rt-secret", ExpiresIn: 3599, Scope: "a b"}
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok)} {
		if strings.Contains(s, "secret") {
			t.Fatalf("printed token shows a secret: %s", s)
		}
	}
}
