package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// TestOrganizationsAreIsolated: the Owner of Alpha, with every access there,
// tries Bravo's people, activities and connections by URL and by the API.
// Everything of Bravo is "not found", nothing of Bravo shows in Alpha's
// pages, and nothing of Bravo changes. Bravo's activities are titled
// "Bravo ...", its people are named "Bravo ...", so a leak shows.
func TestOrganizationsAreIsolated(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	a := newOrg(t, srv, "Alpha")
	b := newOrg(t, srv, "Bravo")
	owner := a.clients[store.RoleOwner]
	bt, bconn := itoa(b.people["target"].ID), itoa(b.conn.ID)

	notFound := []struct{ method, path string }{
		{"GET", "/people/" + bt},
		{"GET", "/people/" + bt + "/services"},
		{"GET", "/people/" + bt + "/troubleshooting"},
		{"GET", "/people/" + bt + "/edit"},
		{"GET", "/activities.csv?person=" + bt},
		{"POST", "/people/" + bt + "/services/zoom"},
		{"POST", "/people/" + bt},
		{"POST", "/people/" + bt + "/active"},
		{"POST", "/services/zoom/connections/" + bconn + "/sync"},
		{"POST", "/services/zoom/connections/" + bconn + "/reconnect"},
		{"POST", "/services/zoom/connections/" + bconn + "/disconnect"},
		{"POST", "/accounts/switch"},
	}
	for _, r := range notFound {
		var status int
		var body string
		if r.method == "GET" {
			status, body = owner.get(r.path)
		} else {
			status, body = owner.post(r.path, url.Values{"on": {"0"}, "active": {"0"}, "org": {itoa(b.o.ID)},
				"email": {"taken@alpha.example"}, "name": {"Hijacked"}})
		}
		if status != http.StatusNotFound {
			t.Errorf("%s %s from Alpha: status %d, want 404", r.method, r.path, status)
		}
		if strings.Contains(body, "Bravo") {
			t.Errorf("%s %s from Alpha shows Bravo's data", r.method, r.path)
		}
	}
	for _, path := range []string{"/team", "/people", "/reports/weekly", "/activities.csv", "/services", "/services/zoom",
		"/services/zoom/users", "/services/zoom/connections", "/audit", "/accounts", "/people/" + itoa(a.people["target"].ID)} {
		status, body := owner.get(path)
		if status != http.StatusOK {
			t.Errorf("GET %s: %d", path, status)
		}
		if strings.Contains(body, "Bravo") || strings.Contains(body, "bravo.example") {
			t.Errorf("GET %s in Alpha shows Bravo's data", path)
		}
	}
	if _, body := owner.get("/activities.csv"); !strings.Contains(body, "Alpha pipeline review") {
		t.Error("Alpha's own export lacks Alpha's meeting: the check above would pass vacuously")
	}

	ctx := context.Background()
	p, err := srv.Store.PersonByID(ctx, b.o.ID, b.people["target"].ID)
	if err != nil || !p.ZoomEnabled || !p.Active || p.Name != "Bravo target" {
		t.Fatalf("Bravo's person changed: %+v %v", p, err)
	}
	if _, err := srv.Store.OrgConnection(ctx, b.o.ID, b.conn.ID); err != nil {
		t.Fatalf("Bravo's connection is gone: %v", err)
	}

	t.Run("API", func(t *testing.T) {
		key, err := api.NewKeys(srv.Store, nil).Create(ctx, people.ActorOf(a.people[store.RoleOwner]), "isolation test")
		if err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]int{
			"/api/v1/people":                  http.StatusOK,
			"/api/v1/activities":              http.StatusOK,
			"/api/v1/activities?person=" + bt: http.StatusNotFound,
		} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
			req.Header.Set("Authorization", "Bearer "+key.Plaintext)
			resp, err := contracttest.Client(t).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want && !(want == http.StatusNotFound && resp.StatusCode == http.StatusBadRequest) {
				t.Errorf("GET %s with Alpha's key: %d, want %d", path, resp.StatusCode, want)
			}
			if strings.Contains(string(body), "Bravo") || strings.Contains(string(body), "bravo.example") {
				t.Errorf("GET %s with Alpha's key shows Bravo's data", path)
			}
		}
	})
}

// TestAccessLevelIsPerOrganization: someone who is an Admin in Alpha and a
// Member in Bravo switches between them and gets each organization's level.
func TestAccessLevelIsPerOrganization(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	a := newOrg(t, srv, "Alpha")
	b := newOrg(t, srv, "Bravo")
	ctx := context.Background()
	carol, err := web.AddMember(ctx, srv.Store, a.o.ID, people.Input{Email: "carol@consultants.example", Name: "Carol", Role: store.RoleAdmin}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := web.AddMember(ctx, srv.Store, b.o.ID, people.Input{Email: "carol@consultants.example", Name: "Carol", Role: store.RoleMember}, "ignored: the account exists"); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv.URL())
	c.signIn(carol.Email, testPassword)
	if s, _ := c.get("/services/zoom"); s != http.StatusOK {
		t.Fatalf("Carol as Alpha's Admin: /services/zoom %d", s)
	}
	_, accounts := c.get("/accounts")
	if !strings.Contains(accounts, "Alpha") || !strings.Contains(accounts, "Bravo") {
		t.Fatal("the Accounts page does not list both organizations")
	}
	if s, _ := c.post("/accounts/switch", url.Values{"org": {itoa(b.o.ID)}, "next": {"/services/zoom"}}); s != http.StatusSeeOther || c.location != "/services/zoom" {
		t.Fatalf("switch to Bravo: %d %s", s, c.location)
	}
	if s, _ := c.get("/services/zoom"); s != http.StatusForbidden {
		t.Fatalf("Carol as Bravo's Member: /services/zoom %d, want 403", s)
	}
	if s, _ := c.get("/team"); s != http.StatusForbidden {
		t.Fatalf("Carol as Bravo's Member: /team %d, want 403", s)
	}
	if s, body := c.get("/people/" + itoa(b.people["target"].ID)); s != http.StatusNotFound || strings.Contains(body, "Bravo target") {
		t.Fatalf("Carol as Bravo's Member sees another Bravo person: %d", s)
	}
	if s, body := c.get("/people/" + itoa(a.people["target"].ID)); s != http.StatusNotFound || strings.Contains(body, "Alpha target") {
		t.Fatalf("Carol, viewing Bravo, reaches an Alpha person by URL: %d", s)
	}
}
