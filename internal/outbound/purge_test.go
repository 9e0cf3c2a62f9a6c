package outbound_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestPurgePublishesActivityDeletedForWhatWent: an organization's
// account-level connection sees five meetings of Alice's, her own connection
// two of them. Purging the account-level connection (the path of
// app_deauthorized and of Disconnect) deletes the three only it saw; the
// purge's transaction leaves exactly one activity.deleted in the outbox for
// each of them, none for the two Alice's connection still covers (they
// stay), and the subscribed endpoint receives those three. An organization
// whose endpoints want other types gets no activity.deleted at all.
func TestPurgePublishesActivityDeletedForWhatWent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		c := &clock{now: t0}
		srv := startServer(t, d, c)
		rcv := newReceiver(t, c)
		var deleted []int64 // what the subscribed organization's purge deleted
		for _, s := range []struct {
			slug string
			want string // the type its endpoint subscribes to
		}{{"subscribed", "activity.deleted"}, {"quiet", "person.created"}} {
			g := seedCoverage(t, srv, s.slug)
			_, _, err := srv.Outbound.CreateEndpoint(ctx, g.org.ID, "test", outbound.Endpoint{URL: rcv.URL, EventTypes: []string{s.want}})
			must(t, err)
			must(t, srv.Connect.Purge(ctx, g.acct.ID, "test"))

			var published []int64
			evs, err := srv.Store.OutboundEvents(ctx, g.org.ID, 0, 100)
			must(t, err)
			for _, e := range evs {
				if e.Type == "activity.deleted" {
					published = append(published, deletedID(t, []byte(e.Payload)))
				}
			}
			slices.Sort(published)
			var want []int64
			if s.want == "activity.deleted" {
				want, deleted = g.only, g.only
			}
			if fmt.Sprint(published) != fmt.Sprint(want) {
				t.Fatalf("%s: activity.deleted in the outbox for %v, want %v (only the account-level connection saw those; %v stay covered)", s.slug, published, want, g.shared)
			}
			kept, err := srv.Store.ConnectionActivities(ctx, g.personal.ID)
			must(t, err)
			if len(kept) != len(g.shared) || kept[0].ID != g.shared[0] || kept[1].ID != g.shared[1] || kept[0].ConnectionID != g.personal.ID {
				t.Fatalf("%s: %+v left, want %v held by Alice's connection", s.slug, kept, g.shared)
			}
		}
		rcv.wait(t, len(deleted))
		var received []int64
		for _, r := range rcv.requests() {
			received = append(received, deletedID(t, r.body))
		}
		slices.Sort(received)
		if fmt.Sprint(received) != fmt.Sprint(deleted) {
			t.Fatalf("the endpoint received activity.deleted for %v, want %v", received, deleted)
		}
	})
}

// coverage is an organization whose account-level connection sees five
// meetings, three of them only (only) and two with Alice's own (shared).
type coverage struct {
	org            store.Organization
	acct, personal store.Connection
	only, shared   []int64
}

func seedCoverage(t *testing.T, srv *server.Server, slug string) coverage {
	t.Helper()
	ctx := context.Background()
	var g coverage
	var err error
	g.org, err = srv.Store.CreateOrganization(ctx, slug, slug, t0)
	must(t, err)
	alice, err := srv.Store.CreatePerson(ctx, store.Person{OrgID: g.org.ID, Email: "alice@" + slug + ".example"}, t0)
	must(t, err)
	g.acct, err = srv.Store.CreateConnection(ctx, store.Connection{OrgID: g.org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: "acct-" + slug}, t0)
	must(t, err)
	g.personal, err = srv.Store.CreateConnection(ctx, store.Connection{OrgID: g.org.ID, Kind: store.KindUserOAuth, PersonID: alice.ID,
		ZoomAccountID: "acct-" + slug, ZoomUserID: "zu-alice"}, t0)
	must(t, err)
	var acct, personal []store.Activity
	for i := range 5 {
		start := t0.Add(time.Duration(i) * time.Hour)
		a := store.Activity{OrgID: g.org.ID, ConnectionID: g.acct.ID, PersonID: alice.ID, ZoomUserID: "zu-alice", Kind: store.ActivityMeeting,
			ZoomID: "m-" + strconv.Itoa(i), Title: "Standup", StartAt: start, EndAt: start.Add(30 * time.Minute), DurationSeconds: 1800}
		acct = append(acct, a)
		if i%2 == 1 {
			a.ConnectionID = g.personal.ID
			personal = append(personal, a)
		}
	}
	for _, as := range [][]store.Activity{acct, personal} {
		_, err := srv.Store.UpsertActivities(ctx, as, t0, false)
		must(t, err)
	}
	seen, err := srv.Store.ConnectionActivities(ctx, g.acct.ID)
	must(t, err)
	for _, a := range seen {
		if a.ZoomID == "m-1" || a.ZoomID == "m-3" {
			g.shared = append(g.shared, a.ID)
		} else {
			g.only = append(g.only, a.ID)
		}
	}
	if len(g.only) != 3 || len(g.shared) != 2 {
		t.Fatalf("seeded %v only and %v shared, want 3 and 2", g.only, g.shared)
	}
	return g
}

// deletedID is the activity an activity.deleted body names.
func deletedID(t *testing.T, body []byte) int64 {
	t.Helper()
	var e struct {
		Type string
		Data outbound.ActivityDeletedData
	}
	must(t, json.Unmarshal(body, &e))
	if e.Type != "activity.deleted" || e.Data.Kind != store.ActivityMeeting || e.Data.ZoomID == "" || e.Data.PersonID == 0 {
		t.Fatalf("event %s, want an activity.deleted naming a meeting", body)
	}
	return e.Data.ID
}
