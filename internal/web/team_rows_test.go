package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// TestTeamPagesReadTheirTeam: the team day and the weekly chart of one team
// show that team's activities and no other's, and an empty today falls back
// to the last day the team itself was active, not the organization's.
func TestTeamPagesReadTheirTeam(t *testing.T) {
	today := t0.Add(48 * time.Hour) // a Wednesday; Sales last worked Monday (t0), Support Tuesday
	srv := startServerAt(t, func() time.Time { return today })
	g := newOrg(t, srv, "Rows Co")
	ctx := context.Background()
	tuesday := time.Date(t0.Year(), t0.Month(), t0.Day()+1, 13, 0, 0, 0, time.UTC)
	support := store.Activity{OrgID: g.o.ID, ConnectionID: g.conn.ID, PersonID: g.people["other"].ID, ZoomUserID: "zu-rowsco-other",
		Kind: store.ActivityMeeting, ZoomID: "m-tuesday", Title: "Support standup", StartAt: tuesday, EndAt: tuesday.Add(30 * time.Minute),
		DurationSeconds: 1800, ParticipantsCount: 4, Source: "sync"}
	if _, err := srv.Store.UpsertActivity(ctx, support, today); err != nil {
		t.Fatal(err)
	}
	ids := func(p store.Person) []string {
		acts, err := srv.Store.Activities(ctx, store.ActivityFilter{OrgID: g.o.ID, PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range acts {
			out = append(out, `popovertarget="act-`+itoa(a.ID)+`"`)
		}
		return out
	}
	sales, supportIDs := ids(g.people["target"]), ids(g.people["other"])
	if len(sales) != 3 || len(supportIDs) != 4 {
		t.Fatalf("set-up: %d Sales and %d Support activities", len(sales), len(supportIDs))
	}
	owner := g.clients[store.RoleOwner]
	page := func(path string) string {
		t.Helper()
		status, body := owner.get(path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, status)
		}
		return body
	}
	shows := func(body string, want, not []string) {
		t.Helper()
		for _, id := range want {
			if !strings.Contains(body, id) {
				t.Errorf("%s is not shown", id)
			}
		}
		for _, id := range not {
			if strings.Contains(body, id) {
				t.Errorf("%s of the other team is shown", id)
			}
		}
	}

	// Today is empty: Sales falls back to Monday, its own last day, where
	// the organization's last day (Tuesday) would show it nothing.
	body := page("/team?team=Sales")
	if !strings.Contains(body, "Nothing yet today") || !strings.Contains(body, "Monday 2 November 2026") {
		t.Fatal("an empty today did not fall back to the team's last day, Monday")
	}
	shows(body, sales, supportIDs)
	body = page("/team?team=Support")
	if !strings.Contains(body, "Tuesday 3 November 2026") {
		t.Fatal("Support's empty today did not fall back to Tuesday")
	}
	shows(body, supportIDs[3:], append(sales, supportIDs[:3]...))
	shows(page("/team?team=Support&date=2026-11-02"), supportIDs[:3], sales)
	// The week of both: each team's chart counts its own people only.
	for team, want := range map[string]string{"Sales": "in 1 meeting</li>", "Support": "in 2 meetings</li>"} {
		if body := page("/reports/weekly?team=" + team + "&date=2026-11-02"); !strings.Contains(body, want) {
			t.Errorf("the weekly chart of %s does not say %q", team, want)
		}
	}
}
