package web_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// TestBrowserPersonalDisconnectKeepsTheAccount is issue 10's click path: the
// Owner connects Zoom for the account; a Member, then the Owner, clicks
// "Connect my Zoom" (the emulator signs in as their own Zoom user), then
// "Disconnect". Zoom answers each revoke with app_deauthorized. The
// account-level connection, its Zoom users and its activities are all still
// there, counted by id, and nothing was stored twice meanwhile.
func TestBrowserPersonalDisconnectKeepsTheAccount(t *testing.T) {
	requireBrowser(t)
	sim, srv := startZoomServer(t, zoomsim.Options{Seed: 12, Users: 4, Plan: "business", AccountID: "own-account",
		ClientID: "zb-own", ClientSecret: "zb-own-secret", WebhookSecret: "zb-own-hook", AutoApprove: true, Start: liveStart, Days: 5})
	ctx, st := context.Background(), srv.Store
	users := sim.Users()
	org, _, err := web.Bootstrap(ctx, st, "Fabrikam", users[0].Email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users[1:] {
		if _, err := web.AddMember(ctx, st, org.ID, people.Input{Email: u.Email, Name: u.FirstName + " " + u.LastName}, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	owner := newTab(t, srv.URL())
	owner.signIn(users[0].Email, testPassword)
	owner.open("/services/zoom")
	owner.follow(`form[action="/services/zoom/connect"] button`)
	conns, err := st.Connections(ctx, org.ID)
	if err != nil || len(conns) != 1 {
		t.Fatalf("connections after the account-level flow: %d %v", len(conns), err)
	}
	acct := conns[0]
	waitSynced(t, st, acct.ID)
	// The Connections page does not offer the account-level connect again.
	owner.open("/services/zoom/connections")
	if owner.count(`form[action="/services/zoom/connect"]`) != 0 || owner.count("[data-account-connected]") != 1 {
		t.Fatal("the Connections page offers to connect the account again while it is connected")
	}
	acts, zus := activityIDs(t, st, acct.ID), zoomUserIDsOf(t, st, acct.ID)
	if len(acts) == 0 || len(zus) != len(users) {
		t.Fatalf("the account-level backfill brought %d activities and %d Zoom users", len(acts), len(zus))
	}

	member := newTab(t, srv.URL())
	member.signIn(users[1].Email, testPassword)
	for _, who := range []struct {
		name, page string // where they find "Connect my Zoom"
		b          *tab
		zoom       zoomsim.User
	}{{"member", "/services", member, users[1]}, {"owner", "/services/zoom/connections", owner, users[0]}} {
		b := who.b
		b.open(who.page)
		if b.count("[data-second-connection]") != 1 {
			t.Fatalf("%s: %s does not say what a second connection adds", who.name, who.page)
		}
		b.follow(`form[action="/services/zoom/connect/me"] button`)
		mine := personalOf(t, st, org.ID, who.zoom.ID)
		waitSynced(t, st, mine.ID)
		if n := len(factIDs(t, st, org.ID)); n != len(uniqueFacts(t, st, org.ID)) {
			t.Fatalf("%s connected: %d activity rows for %d Zoom facts", who.name, n, len(uniqueFacts(t, st, org.ID)))
		}
		// The Users tab lists each Zoom user once, the covered one with both connections.
		owner.open("/services/zoom/users")
		if n, both := owner.count("main table:first-of-type tbody tr"), owner.count(`[data-covered-by="2"]`); n != len(users) || both != 1 {
			t.Fatalf("%s connected: the Users tab lists %d Zoom users (want %d), %d seen through two connections (want 1)", who.name, n, len(users), both)
		}
		p, err := st.PersonByEmail(ctx, org.ID, who.zoom.Email)
		if err != nil {
			t.Fatal(err)
		}
		b.open(fmt.Sprintf("/people/%d/services", p.ID))
		eval[bool](b, "window.confirm = function () { return true }; true")
		b.follow(fmt.Sprintf(`form[action="/services/zoom/connections/%d/disconnect"] button`, mine.ID))
		if flash := b.text(".flash"); !strings.Contains(strings.ToLower(flash), "disconnected") || b.count(".notice-error") != 0 {
			t.Fatalf("%s after Disconnect: flash %q at %s", who.name, flash, b.path())
		}
		waitFor(t, who.name+"'s app_deauthorized processed", func() bool {
			evs, err := st.InboxEvents(ctx, store.InboxFilter{Event: "app_deauthorized"})
			if err != nil {
				t.Fatal(err)
			}
			mine := false
			for _, ev := range evs {
				if ev.ProcessedAt.IsZero() {
					return false
				}
				mine = mine || strings.Contains(string(ev.Body), who.zoom.ID)
			}
			return mine
		})
		if _, err := st.ConnectionByID(ctx, acct.ID); err != nil {
			t.Fatalf("after the %s's disconnect the account-level connection is gone: %v", who.name, err)
		}
		if got := activityIDs(t, st, acct.ID); !slices.Equal(got, acts) {
			t.Fatalf("after the %s's disconnect the account-level connection has %d activities, want the same %d", who.name, len(got), len(acts))
		}
		if got := zoomUserIDsOf(t, st, acct.ID); !slices.Equal(got, zus) {
			t.Fatalf("after the %s's disconnect its Zoom users are %v, want %v", who.name, got, zus)
		}
	}
	owner.open("/services/zoom")
	if owner.count("[data-disconnected]") != 0 {
		t.Fatal("the Overview says Zoom was disconnected while the account is connected")
	}
}

// startZoomServer starts the emulator with opts and a server on its clock
// connected to it (OAuth, REST and signed webhooks), as the demo runs.
func startZoomServer(t *testing.T, opts zoomsim.Options) (*zoomsim.Server, *server.Server) {
	t.Helper()
	sim, err := zoomsim.Start(opts, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	// The OAuth redirect URL must be known before the server listens: pick its port first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := startServerAt(t, sim.Now, "ZOOMBRIDGE_ADDR="+addr, "ZOOMBRIDGE_PUBLIC_URL=http://"+addr, "ZOOMBRIDGE_ZOOM_OAUTH_URL="+sim.URL(),
		"ZOOMBRIDGE_ZOOM_API_URL="+sim.URL()+"/v2", "ZOOMBRIDGE_ZOOM_CLIENT_ID="+opts.ClientID, "ZOOMBRIDGE_ZOOM_CLIENT_SECRET="+opts.ClientSecret,
		"ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET="+opts.WebhookSecret)
	if err := sim.SetWebhookURL(srv.URL() + "/webhooks/zoom"); err != nil {
		t.Fatal(err)
	}
	return sim, srv
}

func waitSynced(t *testing.T, st *store.Store, connID int64) {
	t.Helper()
	waitFor(t, fmt.Sprintf("connection %d's first sync", connID), func() bool {
		ss, err := st.SyncStateOf(context.Background(), connID)
		return err == nil && !ss.LastSuccessAt.IsZero()
	})
}

// personalOf is the personal connection of a Zoom user, once the callback has stored it.
func personalOf(t *testing.T, st *store.Store, orgID int64, zoomUserID string) store.Connection {
	t.Helper()
	var found store.Connection
	waitFor(t, "the personal connection of "+zoomUserID, func() bool {
		conns, err := st.Connections(context.Background(), orgID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conns {
			if c.Kind == store.KindUserOAuth && c.ZoomUserID == zoomUserID {
				found = c
				return true
			}
		}
		return false
	})
	return found
}

func activityIDs(t *testing.T, st *store.Store, connID int64) []int64 {
	t.Helper()
	as, err := st.ConnectionActivities(context.Background(), connID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	return ids
}

func zoomUserIDsOf(t *testing.T, st *store.Store, connID int64) []int64 {
	t.Helper()
	us, err := st.ZoomUsersOfConnection(context.Background(), connID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

// factIDs and uniqueFacts are every activity row of the organization seen
// by any connection, and the distinct Zoom facts among them.
func factIDs(t *testing.T, st *store.Store, orgID int64) []store.Activity {
	t.Helper()
	conns, err := st.Connections(context.Background(), orgID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	var out []store.Activity
	for _, c := range conns {
		as, err := st.ConnectionActivities(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, a)
			}
		}
	}
	return out
}

func uniqueFacts(t *testing.T, st *store.Store, orgID int64) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, a := range factIDs(t, st, orgID) {
		out[a.Kind+" "+a.ZoomID+" "+a.ZoomUserID] = true
	}
	return out
}
