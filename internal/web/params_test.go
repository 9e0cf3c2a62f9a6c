package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/store"
)

// A parameter that makes no sense is answered with a page that names it,
// never silently replaced by a default (today, this week).
func TestBadParametersAreNamed(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Params Co")
	owner := g.clients[store.RoleOwner]
	target := "/people/" + strconv.FormatInt(g.people["target"].ID, 10)
	for _, tc := range []struct {
		path, want string
	}{
		{"/team?date=abc", `date=&#34;abc&#34; is not a date`},
		{"/team?date=2026-02-30", `date=&#34;2026-02-30&#34; is not a date`},
		{"/reports/weekly?date=yesterday", `date=&#34;yesterday&#34; is not a date`},
		{target + "?date=2026-13-01", `date=&#34;2026-13-01&#34; is not a date`},
		{"/activities.csv?from=abc&to=2026-11-08", `from=&#34;abc&#34; is not a date`},
		{"/activities.csv?from=2026-11-02&to=11/08/2026", `to=&#34;11/08/2026&#34; is not a date`},
	} {
		status, body := owner.get(tc.path)
		if status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %d, want 400 with %q in:\n%.400s", tc.path, status, tc.want, body)
		}
	}
	// The good forms still work.
	for _, path := range []string{"/team?date=2026-11-02", "/team", "/activities.csv?from=2026-11-02&to=2026-11-08", target + "?date=2026-11-02&view=week"} {
		if status, _ := owner.get(path); status != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", path, status)
		}
	}
}

// An unknown address gets the app's own 404 page (HTML, with the menu for a
// signed-in person), not Go's plain-text one; the API keeps its JSON 404.
func TestUnknownPathsGetTheAppsNotFoundPage(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Lost Co")
	for _, c := range []*client{g.clients[store.RoleMember], newClient(t, srv.URL())} {
		status, body := c.get("/no/such/page")
		if status != http.StatusNotFound || !strings.Contains(body, "<html") || !strings.Contains(body, "There is no page at this address") {
			t.Errorf("GET /no/such/page: %d\n%.300s", status, body)
		}
	}
	if _, body := g.clients[store.RoleMember].get("/no/such/page"); !strings.Contains(body, `action="/signout"`) {
		t.Errorf("a signed-in person's 404 page has no menu:\n%.600s", body)
	}
	resp, err := contracttest.Client(t).Get(srv.URL() + "/api/v1/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusNotFound || !strings.Contains(ct, "json") {
		t.Errorf("API 404: %d %s", resp.StatusCode, ct)
	}
}

// A refusal names who may do it; a Member's person page does not link to a
// directory they may not open.
func TestRefusalsSayWhomToAsk(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Ask Co")
	admin, member := g.clients[store.RoleAdmin], g.clients[store.RoleMember]
	status, body := admin.postRaw("/accounts/timezone", url.Values{"csrf": {admin.csrf}, "timezone": {"Europe/Berlin"}})
	if status != http.StatusForbidden || !strings.Contains(body, "Your access level (Admin) does not allow this: only an Owner can.") {
		t.Errorf("an Admin refused an Owner's action: %d\n%s", status, between(body, "<main", "</main>"))
	}
	status, body = member.get("/audit")
	if status != http.StatusForbidden || !strings.Contains(body, "only an Owner or Admin can") {
		t.Errorf("a Member refused the audit log: %d\n%s", status, between(body, "<main", "</main>"))
	}
	_, body = member.get("/people/" + strconv.FormatInt(g.people[store.RoleMember].ID, 10))
	if strings.Contains(between(body, `class="crumbs"`, "</nav>"), `href="/people"`) {
		t.Error("a Member's own page links to the People directory they cannot open")
	}
	_, body = g.clients[store.RoleManager].get("/people/" + strconv.FormatInt(g.people[store.RoleMember].ID, 10))
	if !strings.Contains(between(body, `class="crumbs"`, "</nav>"), `href="/people"`) {
		t.Error("a Manager's view of a person lost the People breadcrumb")
	}
}
