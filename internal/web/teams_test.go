package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// "Sales" and "sales" are one team, shown as first spelled; a Manager's
// selector names their team; a team out of scope or unknown is said so.
func TestTeamsAreOneWhateverTheirCase(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Case Co")
	if _, err := web.AddMember(context.Background(), srv.Store, g.o.ID, people.Input{Email: "late@caseco.example", Name: "Late Joiner", Team: "sales"}, ""); err != nil {
		t.Fatal(err)
	}
	owner, manager := g.clients[store.RoleOwner], g.clients[store.RoleManager]

	_, body := owner.get("/people")
	if strings.Count(body, "<option>Sales</option>")+strings.Count(body, "<option selected>Sales</option>") != 1 || strings.Contains(body, ">sales</option>") {
		t.Errorf("the selector should list Sales once, in its first spelling:\n%s", between(body, "<select", "</select>"))
	}
	_, body = owner.get("/people?team=SALES")
	if !strings.Contains(body, "Late Joiner") || !strings.Contains(body, "<option selected>Sales</option>") {
		t.Errorf("?team=SALES should show the Sales team with both spellings' people:\n%s", between(body, "<select", "</select>"))
	}

	_, body = manager.get("/team")
	if !strings.Contains(body, "My team (Sales)") || strings.Contains(body, ">Everyone<") {
		t.Errorf("a Manager's selector should say My team (Sales):\n%s", between(body, "<select", "</select>"))
	}
	_, body = manager.get("/team?team=Support")
	if !strings.Contains(body, "You see your own team only, Sales. Support is outside it") || strings.Contains(body, "Case Co other") {
		t.Errorf("a Manager asking for Support should be told, and not see it:\n%.2000s", body)
	}
	_, body = owner.get("/reports/weekly?team=Nowhere")
	if !strings.Contains(body, "There is no team named \u201cNowhere\u201d, so everyone is shown.") {
		t.Errorf("an unknown team should be named:\n%.2000s", body)
	}
	if status, _ := owner.get("/activities.csv?team=Nowhere"); status != 400 {
		t.Errorf("exporting an unknown team: %d, want 400", status)
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return s
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}

// People can be searched by name, email or team, and are counted.
func TestPeopleSearchAndCount(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Search Co")
	owner := g.clients[store.RoleOwner]
	_, body := owner.get("/people")
	if !strings.Contains(body, "7 people") {
		t.Errorf("the directory does not count its 7 people:\n%s", between(body, `role="status"`, "</p>"))
	}
	_, body = owner.get("/people?q=SUPPORT")
	if !strings.Contains(body, "Search Co other") || strings.Contains(body, "Search Co target") || !strings.Contains(body, "1 person matches") {
		t.Errorf("searching a team:\n%s", between(body, "<tbody>", "</tbody>"))
	}
	_, body = owner.get("/people?q=target%40searchco")
	if !strings.Contains(body, "Search Co target") || strings.Contains(body, "Search Co other") {
		t.Errorf("searching an email:\n%s", between(body, "<tbody>", "</tbody>"))
	}
}

// An Owner renames the organization and picks its zone from the full IANA list.
func TestOwnerRenamesTheOrganization(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Old Name")
	owner := g.clients[store.RoleOwner]
	_, body := owner.get("/accounts")
	if !strings.Contains(body, `<option value="Asia/Kolkata">Asia/Kolkata (UTC&#43;05:30)</option>`) || strings.Count(body, "<option value=") < 300 {
		t.Error("the time-zone picker does not offer the IANA zones with their offsets")
	}
	owner.post("/accounts/name", url.Values{"name": {"  New   Name  "}})
	_, body = owner.get("/team")
	if !strings.Contains(body, `<span class="org-name">New Name</span>`) {
		t.Error("the menu still shows the old name")
	}
	_, body = owner.get("/audit")
	if !strings.Contains(body, "renamed the organization") || !strings.Contains(body, "Old Name → New Name") {
		t.Error("the rename is not in the audit log")
	}
	if status, _ := g.clients[store.RoleAdmin].postRaw("/accounts/name", url.Values{"csrf": {g.clients[store.RoleAdmin].csrf}, "name": {"Hijack"}}); status != 403 {
		t.Errorf("an Admin renamed the organization: %d", status)
	}
}
