package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// TestSessionCookie checks the cookie's flags, over http and behind https.
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		publicURL, name string
		secure          bool
	}{
		{"", "zb_session", false},
		{"https://zoombridge.example.com", "__Host-zb_session", true},
	} {
		env := []string{}
		if tc.publicURL != "" {
			env = append(env, "ZOOMBRIDGE_PUBLIC_URL="+tc.publicURL)
		}
		srv := startServer(t, env...)
		newOrgOwnerOnly(t, srv.Store, "Cookie Co")
		c := newClient(t, srv.URL())
		c.get("/signin")
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/signin", strings.NewReader(url.Values{
			"email": {"owner@cookie.example"}, "password": {testPassword}, "csrf": {c.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range c.hc.Jar.Cookies(req.URL) {
			req.AddCookie(ck) // the plain-http test client must still send the __Host- form token
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: sign-in status %d", tc.name, resp.StatusCode)
		}
		var got *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == tc.name {
				got = ck
			}
		}
		if got == nil {
			t.Fatalf("no %s cookie set: %v", tc.name, resp.Header.Values("Set-Cookie"))
		}
		if !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.Secure != tc.secure || got.Path != "/" || got.Domain != "" {
			t.Fatalf("%s cookie flags: HttpOnly=%v SameSite=%v Secure=%v Path=%q Domain=%q", tc.name, got.HttpOnly, got.SameSite, got.Secure, got.Path, got.Domain)
		}
	}
}

// TestSessionIsRotatedAtSignInAndEndedAtSignOut plants a session id before
// sign-in (fixation) and checks it is not the one that signs in, and that
// sign-out ends the session on the server, not only in the browser.
func TestSessionIsRotatedAtSignInAndEndedAtSignOut(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	newOrgOwnerOnly(t, srv.Store, "Fixation Co")
	c := newClient(t, srv.URL())
	base, _ := url.Parse(srv.URL())
	planted := strings.Repeat("x", 43)
	c.hc.Jar.SetCookies(base, []*http.Cookie{{Name: "zb_session", Value: planted, Path: "/"}})
	c.signIn("owner@fixation.example", testPassword)
	var session string
	for _, ck := range c.hc.Jar.Cookies(base) {
		if ck.Name == "zb_session" {
			session = ck.Value
		}
	}
	if session == "" || session == planted {
		t.Fatalf("session id after sign-in %q: want a new one", session)
	}
	// Signed out, the old cookie is worthless even if someone kept a copy.
	if s, _ := c.post("/signout", nil); s != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", s)
	}
	thief := newClient(t, srv.URL())
	thief.hc.Jar.SetCookies(base, []*http.Cookie{{Name: "zb_session", Value: session, Path: "/"}})
	if s, _ := thief.get("/team"); s != http.StatusSeeOther || !strings.HasPrefix(thief.location, "/signin") {
		t.Fatalf("the signed-out session still opens /team: %d %s", s, thief.location)
	}
}

// TestFailedSignInsAreLimited: after five wrong passwords even the right one
// is refused for a while, and the answer does not tell whether the account exists.
func TestFailedSignInsAreLimited(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	newOrgOwnerOnly(t, srv.Store, "Limit Co")
	c := newClient(t, srv.URL())
	for i := range 5 {
		if s := c.trySignIn("owner@limit.example", "wrong password "+itoa(int64(i))); s != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d, want 401", i, s)
		}
	}
	if s := c.trySignIn("owner@limit.example", testPassword); s != http.StatusTooManyRequests {
		t.Fatalf("right password after 5 failures: %d, want 429", s)
	}
	if s := c.trySignIn("nobody@limit.example", "whatever password"); s != http.StatusUnauthorized {
		t.Fatalf("unknown account: %d, want the same 401 as a wrong password", s)
	}
	entries, err := srv.Store.AuditLog(t.Context(), orgBySlug(t, srv.Store, "limit-co").ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, e := range entries {
		if e.Action == "signin.failed" {
			failed++
		}
	}
	if failed != 5 {
		t.Fatalf("%d failed sign-ins in the audit log, want 5", failed)
	}
}

func newOrgOwnerOnly(t *testing.T, st *store.Store, name string) {
	t.Helper()
	slug := strings.ToLower(strings.Fields(name)[0])
	if _, _, err := bootstrap(st, name, "owner@"+slug+".example"); err != nil {
		t.Fatal(err)
	}
}

func orgBySlug(t *testing.T, st *store.Store, slug string) store.Organization {
	t.Helper()
	o, err := st.OrganizationBySlug(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
