package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// The audit log reads in words, in the organization's time zone, in pages
// of 50 that do not shift, and can be filtered and searched.
func TestAuditLogInWordsWithPagesAndSearch(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Audit Co")
	ctx := context.Background()
	if err := srv.Store.SetOrgTimezone(ctx, g.o.ID, "Europe/Berlin", t0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 120; i++ {
		e := store.AuditEntry{OrgID: g.o.ID, Actor: "person:" + itoa(g.people[store.RoleAdmin].ID), Action: "apikey.created",
			Target: fmt.Sprintf("apikey:%d", i), Detail: fmt.Sprintf("key number %03d", i), At: t0.Add(time.Duration(i) * time.Minute)}
		if i == 7 {
			e.Action, e.Target, e.Detail = "switch.changed", "feature:phone", "Phone calls off"
		}
		if err := srv.Store.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	owner := g.clients[store.RoleOwner]
	_, body := owner.get("/audit")
	if !strings.Contains(body, "created an API key") || strings.Contains(body, ">apikey.created<") {
		t.Error("the log shows codes, not words")
	}
	if !strings.Contains(body, "Times in Europe/Berlin") || !strings.Contains(body, "CET") {
		t.Error("the log does not say its time zone")
	}
	if !strings.Contains(body, "Audit Co admin") {
		t.Error("the actor is not named")
	}
	if n := strings.Count(body, "key number "); n != 50 {
		t.Errorf("first page has %d API key entries, want 50", n)
	}
	older := between(body, `<a class="btn" href="`, `">Older entries`)
	if !strings.Contains(older, "before=") {
		t.Fatal("no link to older entries")
	}
	link := strings.TrimSuffix(strings.TrimPrefix(older, `<a class="btn" href="`), `">Older entries`)
	_, page2 := owner.get(strings.ReplaceAll(link, "&amp;", "&"))
	if !strings.Contains(page2, "key number 069") || strings.Contains(page2, "key number 070") || !strings.Contains(page2, "key number 020") {
		t.Errorf("the second page should hold keys 069 down to 020")
	}
	_, found := owner.get("/audit?q=phone+calls+off")
	if !strings.Contains(found, "switched a Zoom feature") || strings.Count(between(found, "<tbody>", "</tbody>"), "<tr>") != 1 {
		t.Errorf("search did not find exactly the one switch entry:\n%s", between(found, "<tbody>", "</tbody>"))
	}
	_, grouped := owner.get("/audit?group=switch")
	if !strings.Contains(grouped, "Phone calls off") || strings.Contains(grouped, "key number") {
		t.Error("the switch filter shows other entries")
	}
	if status, body := owner.get("/audit?group=nonsense"); status != 400 || !strings.Contains(body, "is not a filter") {
		t.Errorf("a bad filter: %d", status)
	}
}
