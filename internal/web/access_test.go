package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// allowed lists the access levels that may do something, as the product
// pages say: Owner, Admin and Executive switch a person's Zoom service;
// Owner and Admin manage people, features and connections; Managers see
// their team; Members see themselves.
var (
	everyone   = []string{store.RoleOwner, store.RoleAdmin, store.RoleExecutive, store.RoleManager, store.RoleMember}
	managers   = []string{store.RoleOwner, store.RoleAdmin, store.RoleExecutive, store.RoleManager}
	executives = []string{store.RoleOwner, store.RoleAdmin, store.RoleExecutive}
	admins     = []string{store.RoleOwner, store.RoleAdmin}
	owners     = []string{store.RoleOwner}
)

// action is one protected request. path may hold {target}, {other},
// {conn:<role>} (a connection of its own per role, for destructive actions)
// and {role} (the acting role, for unique values).
type action struct {
	name    string
	method  string
	path    string
	form    url.Values
	allowed []string
	// refusedStatus is what a refused role gets: 403, or 404 where the
	// thing is invisible to them (another team's person).
	refusedStatus int
}

var actions = []action{
	{name: "team day", method: "GET", path: "/team", allowed: managers},
	{name: "people list", method: "GET", path: "/people", allowed: managers},
	{name: "weekly chart", method: "GET", path: "/reports/weekly", allowed: managers},
	{name: "CSV export", method: "GET", path: "/activities.csv", allowed: managers},
	{name: "own timeline", method: "GET", path: "/people/{self}", allowed: everyone},
	{name: "own troubleshooting", method: "GET", path: "/people/{self}/troubleshooting", allowed: everyone},
	{name: "team member's timeline", method: "GET", path: "/people/{target}", allowed: managers, refusedStatus: 404},
	{name: "other team's timeline", method: "GET", path: "/people/{other}", allowed: executives, refusedStatus: 404},
	{name: "person's services tab", method: "GET", path: "/people/{target}/services", allowed: managers, refusedStatus: 404},
	{name: "switch person's Zoom", method: "POST", path: "/people/{target}/services/zoom", form: url.Values{"on": {"1"}}, allowed: executives},
	{name: "add person form", method: "GET", path: "/people/new", allowed: admins},
	{name: "add person", method: "POST", path: "/people", form: url.Values{"email": {"new-{role}@example.com"}, "name": {"New {role}"}}, allowed: admins},
	{name: "edit person form", method: "GET", path: "/people/{target}/edit", allowed: admins},
	{name: "edit person", method: "POST", path: "/people/{target}", form: url.Values{"email": {"{targetemail}"}, "name": {"Renamed by {role}"}, "team": {"Sales"}}, allowed: admins},
	{name: "import form", method: "GET", path: "/people/import", allowed: admins},
	{name: "services", method: "GET", path: "/services", allowed: everyone},
	{name: "zoom overview", method: "GET", path: "/services/zoom", allowed: executives},
	{name: "zoom users", method: "GET", path: "/services/zoom/users", allowed: executives},
	{name: "zoom features", method: "GET", path: "/services/zoom/features", allowed: executives},
	{name: "zoom connections", method: "GET", path: "/services/zoom/connections", allowed: executives},
	{name: "switch a feature", method: "POST", path: "/services/zoom/features", form: url.Values{"feature": {"webinars"}, "on": {"1"}}, allowed: admins},
	{name: "connect zoom", method: "POST", path: "/services/zoom/connect", allowed: admins},
	{name: "connect own zoom", method: "POST", path: "/services/zoom/connect/me", allowed: everyone},
	{name: "reconnect", method: "POST", path: "/services/zoom/connections/{conn}/reconnect", allowed: admins},
	{name: "sync now", method: "POST", path: "/services/zoom/connections/{conn}/sync", allowed: admins},
	{name: "disconnect", method: "POST", path: "/services/zoom/connections/{conn:role}/disconnect", allowed: admins},
	{name: "audit log", method: "GET", path: "/audit", allowed: admins},
	{name: "API keys", method: "GET", path: "/services/api", allowed: admins},
	{name: "make an API key", method: "POST", path: "/services/api/keys", form: url.Values{"name": {"key of {role}"}}, allowed: admins},
	{name: "time zone", method: "POST", path: "/accounts/timezone", form: url.Values{"timezone": {"UTC"}}, allowed: owners},
	{name: "accounts", method: "GET", path: "/accounts", allowed: everyone},
}

// TestAccessLevels makes every protected request as every access level
// through real HTTP and checks who gets through and who is refused.
func TestAccessLevels(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Acme")
	perRole := map[string]int64{}
	for _, role := range everyone {
		perRole[role] = addConnection(t, srv.Store, g.o.ID, "acct-"+role).ID
	}
	for _, act := range actions {
		for _, role := range everyone {
			t.Run(act.name+"/"+role, func(t *testing.T) {
				c := g.clients[role]
				c.t = t
				path := strings.NewReplacer("{self}", itoa(g.people[role].ID), "{target}", itoa(g.people["target"].ID),
					"{other}", itoa(g.people["other"].ID), "{conn}", itoa(g.conn.ID), "{conn:role}", itoa(perRole[role])).Replace(act.path)
				var status int
				var body string
				if act.method == "GET" {
					status, body = c.get(path)
				} else {
					form := url.Values{}
					for k, vs := range act.form {
						form.Set(k, strings.NewReplacer("{role}", role, "{targetemail}", g.people["target"].Email).Replace(vs[0]))
					}
					status, body = c.post(path, form)
				}
				t.Logf("%s %s as %s: %d", act.method, path, role, status)
				want := contains(act.allowed, role)
				switch {
				case want && status == http.StatusSeeOther && strings.HasPrefix(c.location, "/signin"):
					t.Fatalf("%s %s as %s: sent to sign in", act.method, path, role)
				case want && status != http.StatusOK && status != http.StatusSeeOther:
					t.Fatalf("%s %s as %s: status %d, want it allowed\n%s", act.method, path, role, status, excerpt(body))
				case !want && status != refused(act):
					t.Fatalf("%s %s as %s: status %d, want %d (refused)", act.method, path, role, status, refused(act))
				}
			})
		}
	}
}

func refused(a action) int {
	if a.refusedStatus != 0 {
		return a.refusedStatus
	}
	return http.StatusForbidden
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return fmt.Sprint(n) }

func excerpt(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 600 {
		s = s[:600]
	}
	return s
}
