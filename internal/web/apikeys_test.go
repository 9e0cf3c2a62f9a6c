package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/store"
)

// TestAPIKeyFromTheUI: an Admin makes a key, sees its secret once, the key
// reads the organization's people, and once revoked it is refused.
func TestAPIKeyFromTheUI(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Keys Co")
	admin := g.clients[store.RoleAdmin]
	key := makeKey(t, admin, url.Values{"name": {"CRM sync"}})
	call := func() int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/v1/people", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := contracttest.Client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := call(); s != http.StatusOK {
		t.Fatalf("the new key gets %d from the API", s)
	}
	_, list := admin.get("/services/api")
	if strings.Contains(list, key) {
		t.Fatal("the key's secret is shown again on the list")
	}
	id := regexp.MustCompile(`/services/api/keys/(\d+)/revoke`).FindStringSubmatch(list)
	if id == nil {
		t.Fatal("no revoke form")
	}
	if s, _ := admin.post("/services/api/keys/"+id[1]+"/revoke", nil); s != http.StatusSeeOther {
		t.Fatalf("revoke: %d", s)
	}
	if s := call(); s != http.StatusUnauthorized {
		t.Fatalf("a revoked key gets %d, want 401", s)
	}
}

var shownKey = regexp.MustCompile(`data-copy>(zb_[a-z2-7_]+)<`)

// makeKey makes a key through the form as a browser does (post, redirect,
// get) and returns the secret the list page shows.
func makeKey(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	if s, _ := c.post("/services/api/keys", form); s != http.StatusSeeOther || c.location != "/services/api" {
		t.Fatalf("make a key %v: %d to %q, want 303 to the list", form, s, c.location)
	}
	_, body := c.get(c.location)
	m := shownKey.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the list does not show the new key's secret after the redirect")
	}
	return m[1]
}

// TestAPIKeyShownOnceThenGone: creating a key answers with a redirect, not
// the secret; the list shows the secret once with a Copy button, a reload
// shows it no more and makes no second key, and another session (even of
// the same person) never sees it.
func TestAPIKeyShownOnceThenGone(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Once Co")
	admin := g.clients[store.RoleAdmin]
	_, body := admin.post("/services/api/keys", url.Values{"name": {"Billing"}})
	if shownKey.MatchString(body) {
		t.Fatal("the POST response carries the secret")
	}
	_, list := admin.get(admin.location)
	m := shownKey.FindStringSubmatch(list)
	if m == nil || !strings.Contains(list, `data-copy-target="new-key"`) || !strings.Contains(list, `Key "Billing" made`) {
		t.Fatal("the first view of the list does not show the secret with a Copy button")
	}
	_, again := admin.get("/services/api")
	if strings.Contains(again, m[1]) || shownKey.MatchString(again) {
		t.Fatal("a reload shows the secret again")
	}
	if n := strings.Count(again, "<strong>Billing</strong>"); n != 1 {
		t.Fatalf("after a reload the list has %d keys named Billing, want 1", n)
	}
	// The reveal is sealed to the session that made the key: a copy of the
	// cookie in another signed-in browser shows nothing.
	admin.post("/services/api/keys", url.Values{"name": {"Payroll"}})
	listURL, _ := url.Parse(srv.URL() + "/services/api")
	stolen := ""
	for _, c := range admin.hc.Jar.Cookies(listURL) {
		if c.Name == "zb_reveal" {
			stolen = c.Value
		}
	}
	if stolen == "" {
		t.Fatal("no reveal cookie after making a key")
	}
	thief := newClient(t, srv.URL())
	thief.signIn(g.people[store.RoleAdmin].Email, testPassword)
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/services/api", nil)
	req.AddCookie(&http.Cookie{Name: "zb_reveal", Value: stolen})
	if _, page := thief.do(req); shownKey.MatchString(page) {
		t.Fatal("another session shows the secret from a copied cookie")
	}
}

// TestAPIKeyNamesUnique: a second live key with the same name (case aside)
// is refused with a clear form error and nothing made; once the first is
// revoked the name is free again.
func TestAPIKeyNamesUnique(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Unique Co")
	admin := g.clients[store.RoleAdmin]
	makeKey(t, admin, url.Values{"name": {"CRM sync"}})
	s, body := admin.post("/services/api/keys", url.Values{"name": {"crm SYNC"}})
	if s != http.StatusBadRequest || !strings.Contains(body, "exists already") || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("a duplicate name: %d, want 400 with a form error", s)
	}
	if strings.Count(body, "<strong>") != 1 || !strings.Contains(body, `value="crm SYNC"`) {
		t.Fatal("a duplicate name made a key or lost what was typed")
	}
	// Another organization may use the name.
	other := newOrg(t, srv, "Other Co")
	makeKey(t, other.clients[store.RoleAdmin], url.Values{"name": {"CRM sync"}})
	_, list := admin.get("/services/api")
	id := regexp.MustCompile(`/services/api/keys/(\d+)/revoke`).FindStringSubmatch(list)
	if id == nil {
		t.Fatal("no revoke form")
	}
	admin.post("/services/api/keys/"+id[1]+"/revoke", nil)
	makeKey(t, admin, url.Values{"name": {"CRM sync"}})
}
