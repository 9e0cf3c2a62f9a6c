package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// TestCSVExport: the export has one row per visible activity with the
// product's fields, a Manager's export holds only their team, and a
// meeting topic typed as a formula stays text.
func TestCSVExport(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Export Co")
	addDay(t, srv.Store, g.conn, g.people["target"], "zu-exportco-target-2", "=cmd|' /C calc'!A0")

	read := func(role, query string) [][]string {
		t.Helper()
		status, body := g.clients[role].get("/activities.csv" + query)
		if status != http.StatusOK {
			t.Fatalf("%s export: %d", role, status)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := read(store.RoleOwner, "?from=2026-11-02&to=2026-11-02")
	if strings.Join(rows[0], ",") != "person,email,team,kind,title,start,end,duration_seconds,duration,size,participants_count,direction,caller_id,device,zoom_meeting_id" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) != 1+9 {
		t.Fatalf("%d rows, want 9 (target's day twice, other's once)", len(rows)-1)
	}
	var sawFormula, sawCall bool
	for _, r := range rows[1:] {
		if strings.Contains(r[4], "cmd|") {
			sawFormula = true
			if !strings.HasPrefix(r[4], "'=") {
				t.Fatalf("formula title exported as %q", r[4])
			}
		}
		if r[3] == "call" && r[11] == "inbound" && r[13] == "Zoom Phone mobile app" && r[7] == "420" {
			sawCall = true
		}
	}
	if !sawFormula || !sawCall {
		t.Fatalf("export lacks the formula meeting (%v) or the call's fields (%v)", sawFormula, sawCall)
	}
	// The Manager (team Sales) sees the Sales target, not Support's "other".
	for _, r := range read(store.RoleManager, "?from=2026-11-02&to=2026-11-02")[1:] {
		if r[2] != "Sales" {
			t.Fatalf("the Manager's export holds %s of team %q", r[0], r[2])
		}
	}
	if none := read(store.RoleOwner, "?from=2026-11-03&to=2026-11-03"); len(none) != 1 {
		t.Fatalf("a day without activity exports %d rows", len(none)-1)
	}
}
