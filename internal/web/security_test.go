package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// TestFormWithoutCSRFTokenIsRefused posts a real form of a signed-in Admin
// without its token, with a wrong one and from another site: each is
// refused with 403 and changes nothing.
func TestFormWithoutCSRFTokenIsRefused(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Csrf Co")
	admin := g.clients[store.RoleAdmin]
	phoneOff := url.Values{"feature": {"phone"}, "on": {"0"}}

	cases := map[string]func() int{
		"no token": func() int { s, _ := admin.postRaw("/services/zoom/features", phoneOff); return s },
		"wrong token": func() int {
			f := url.Values{"feature": {"phone"}, "on": {"0"}, "csrf": {strings.Repeat("A", 43)}}
			s, _ := admin.postRaw("/services/zoom/features", f)
			return s
		},
		"another session's token": func() int {
			f := url.Values{"feature": {"phone"}, "on": {"0"}, "csrf": {g.clients[store.RoleOwner].csrf}}
			s, _ := admin.postRaw("/services/zoom/features", f)
			return s
		},
		"cross-site with the right token": func() int {
			f := url.Values{"feature": {"phone"}, "on": {"0"}, "csrf": {admin.csrf}}
			req, _ := http.NewRequest(http.MethodPost, admin.base+"/services/zoom/features", strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			s, _ := admin.do(req)
			return s
		},
		"switch a person without a token": func() int {
			s, _ := admin.postRaw("/people/"+itoa(g.people["target"].ID)+"/services/zoom", url.Values{"on": {"0"}})
			return s
		},
		"sign out without a token": func() int { s, _ := admin.postRaw("/signout", nil); return s },
	}
	for name, try := range cases {
		if status := try(); status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, status)
		}
	}
	o, err := srv.Store.OrganizationByID(context.Background(), g.o.ID)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := srv.Store.PersonByID(context.Background(), g.o.ID, g.people["target"].ID)
	if !o.PhoneEnabled || !p.ZoomEnabled {
		t.Fatalf("a refused form changed state: phone %v, person's Zoom %v", o.PhoneEnabled, p.ZoomEnabled)
	}
	if s, _ := admin.get("/team"); s != http.StatusOK {
		t.Fatalf("a refused sign-out signed the Admin out: %d", s)
	}
	// The same form with its token goes through: the refusals were the token's doing.
	if s, _ := admin.post("/services/zoom/features", phoneOff); s != http.StatusSeeOther {
		t.Fatalf("with its token the form got %d", s)
	}
	if o, _ := srv.Store.OrganizationByID(context.Background(), g.o.ID); o.PhoneEnabled {
		t.Fatal("the form with its token did not switch Phone off")
	}
}

// TestSignInFormNeedsItsToken refuses a sign-in posted without the form's
// token (login CSRF: signing a victim into an attacker's account).
func TestSignInFormNeedsItsToken(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	newOrg(t, srv, "Login Co")
	c := newClient(t, srv.URL())
	s, _ := c.postRaw("/signin", url.Values{"email": {"owner@loginco.example"}, "password": {testPassword}})
	if s != http.StatusForbidden {
		t.Fatalf("sign-in without the form's token: %d, want 403", s)
	}
}
