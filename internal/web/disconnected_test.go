package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// After the account-level connection is disconnected, the Overview and the
// Team page say when and by whom, instead of "not connected yet", and the
// audit log says how many rows went.
func TestDisconnectedIsSaidWhenAndByWhom(t *testing.T) {
	srv := startServer(t)
	g := newOrg(t, srv, "Gone Corp")
	owner := g.clients["owner"]
	if code, body := owner.get("/team"); code != http.StatusOK || strings.Contains(body, "disconnected") {
		t.Fatalf("before: %d, says disconnected: %v", code, strings.Contains(body, "disconnected"))
	}
	ctx := context.Background()
	acts, err := srv.Store.ConnectionActivities(ctx, g.conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	users, err := srv.Store.ZoomUsersOfConnection(ctx, g.conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := owner.post(fmt.Sprintf("/services/zoom/connections/%d/disconnect", g.conn.ID), nil); code >= 400 {
		t.Fatalf("disconnect: %d", code)
	}
	acct, err := srv.Store.AccountByEmail(ctx, "owner@gonecorp.example")
	if err != nil {
		t.Fatal(err)
	}
	who := acct.Name
	if who == "" {
		who = acct.Email
	}
	for _, path := range []string{"/services/zoom", "/team"} {
		code, body := owner.get(path)
		if code != http.StatusOK || !strings.Contains(body, "Zoom was disconnected on") || !strings.Contains(body, "by "+who) ||
			strings.Contains(body, "not connected yet") {
			t.Fatalf("%s after the disconnect (%d) does not say when and by %s:\n%s", path, code, who, body)
		}
	}
	log, err := srv.Store.AuditLog(ctx, g.o.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.Action == "connection.disconnected" {
			if e.Actor != fmt.Sprintf("account:%d", acct.ID) || !strings.Contains(e.Detail, fmt.Sprintf("removed %d activities and %d Zoom users", len(acts), len(users))) {
				t.Fatalf("audit entry %+v", e)
			}
			return
		}
	}
	t.Fatalf("no connection.disconnected in the audit log: %+v", log)
}
