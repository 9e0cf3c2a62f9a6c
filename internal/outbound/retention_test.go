package outbound_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

const day = 24 * time.Hour

// TestPruneKeepsWhatIsStillNeeded: past the retention period, deliveries
// that finished (delivered or failed) go with their attempts, and so do
// events with no delivery left; a pending delivery and its event stay
// however old, newer rows stay, and so do events the chat bot has not read
// (past its cursor, or all of them before it has one).
func TestPruneKeepsWhatIsStillNeeded(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		f := newFixtureWith(t, d, func(c *outbound.Config) { c.Retention = 30 * day })
		ctx := context.Background()
		ok := f.endpoint(t, newReceiver(t, f.clock), "person.created")
		later := f.endpoint(t, newReceiver(t, f.clock, func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "86400")
			w.WriteHeader(http.StatusServiceUnavailable)
		}), "person.updated")
		gone := f.endpoint(t, newReceiver(t, f.clock, status(http.StatusGone)), "person.deactivated")
		chatty, err := f.st.CreateOrganization(ctx, "Chatty", "chatty", t0)
		must(t, err)
		unread, err := f.st.CreateOrganization(ctx, "Unread", "unread", t0)
		must(t, err)
		for _, o := range []store.Organization{chatty, unread} {
			must(t, f.st.LinkChatTenant(ctx, o.ID, "teams", "tenant-"+o.Slug, t0))
		}

		delivered := f.publishIn(t, f.org.ID, "person.created")
		pending := f.publishIn(t, f.org.ID, "person.updated")
		failed := f.publishIn(t, f.org.ID, "person.deactivated")
		unsent := f.publishIn(t, f.org.ID, "sync.completed")
		read := []int64{f.publishIn(t, chatty.ID, "sync.completed"), f.publishIn(t, chatty.ID, "artifact.created")}
		notRead := f.publishIn(t, chatty.ID, "artifact.created")
		must(t, f.st.SetChatEventCursor(ctx, chatty.ID, read[1], t0))
		neverRead := f.publishIn(t, unread.ID, "artifact.created")
		f.settle(t, ok, later, gone)
		if ds := f.deliveries(t, later); ds[0].Status != store.DeliveryPending {
			t.Fatalf("delivery %+v, want pending for a day", ds[0])
		}

		f.clock.Set(t0.Add(20 * day))
		recent := f.publishIn(t, f.org.ID, "person.created")
		recentUnsent := f.publishIn(t, f.org.ID, "sync.completed")
		f.settle(t, ok)
		attempted := map[int64]int64{} // delivery → event, every delivery with an attempt
		for _, ep := range []int64{ok, later, gone} {
			for _, dl := range f.deliveries(t, ep) {
				attempted[dl.ID] = dl.EventID
			}
		}

		f.clock.Set(t0.Add(31 * day))
		p, err := f.svc.Prune(ctx)
		must(t, err)
		if want := (store.OutboundPruned{Attempts: 2, Deliveries: 2, Events: 5}); p != want {
			t.Errorf("pruned %+v, want %+v", p, want)
		}
		for org, want := range map[int64][]int64{f.org.ID: {pending, recent, recentUnsent}, chatty.ID: {notRead}, unread.ID: {neverRead}} {
			if got := f.eventIDs(t, org); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("organization %d keeps events %v, want %v (pruned: delivered %d, failed %d, unsent %d, read %v)",
					org, got, want, delivered, failed, unsent, read)
			}
		}
		left := map[int64]int64{}
		for _, ep := range []int64{ok, later, gone} {
			for _, dl := range f.deliveries(t, ep) {
				left[dl.ID] = dl.EventID
			}
		}
		for id, ev := range attempted {
			as, err := f.st.OutboundAttempts(ctx, id)
			must(t, err)
			_, kept := left[id]
			if want := ev == pending || ev == recent; kept != want || (len(as) == 1) != want {
				t.Errorf("delivery %d of event %d: kept %v with %d attempts, want kept %v", id, ev, kept, len(as), want)
			}
		}
		if len(left) != 2 {
			t.Errorf("deliveries left %v, want the pending and the recent one", left)
		}
	})
}

// TestPruneDeletesInBoundedBatches: one batch deletes at most the batch size
// from each table (so it holds SQLite's writer only briefly); the job's loop
// goes on batch after batch until nothing past the retention is left.
func TestPruneDeletesInBoundedBatches(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		f := newFixtureWith(t, d, func(c *outbound.Config) { c.Retention = 30 * day; c.PruneBatch = 2 })
		ctx := context.Background()
		ep := f.endpoint(t, newReceiver(t, f.clock), "person.created")
		for range 5 {
			f.publishIn(t, f.org.ID, "person.created")
			f.publishIn(t, f.org.ID, "sync.completed")
		}
		f.settle(t, ep)
		f.clock.Set(t0.Add(31 * day))

		before := f.rows(t)
		p, err := f.st.PruneOutbound(ctx, f.clock.Now().Add(-30*day), 2)
		must(t, err)
		after := f.rows(t)
		if want := (store.OutboundPruned{Attempts: 2, Deliveries: 2, Events: 2}); p != want {
			t.Fatalf("one batch pruned %+v, want %+v", p, want)
		}
		if got := before.Add(store.OutboundPruned{Attempts: -2, Deliveries: -2, Events: -2}); got != after {
			t.Fatalf("rows %+v after one batch from %+v: more than two went from a table", after, before)
		}

		total, err := f.svc.Prune(ctx)
		must(t, err)
		if want := (store.OutboundPruned{Attempts: 3, Deliveries: 3, Events: 8}); total != want {
			t.Fatalf("the loop pruned %+v, want the remaining %+v", total, want)
		}
		if left := f.rows(t); left != (store.OutboundPruned{}) {
			t.Fatalf("rows left %+v, want none", left)
		}
	})
}

// endpoint adds an endpoint to r for one event type, and returns its id.
func (f *fixture) endpoint(t *testing.T, r *receiver, eventType string) int64 {
	t.Helper()
	ep, _, err := f.svc.CreateEndpoint(context.Background(), f.org.ID, "test", outbound.Endpoint{URL: r.URL, EventTypes: []string{eventType}})
	must(t, err)
	return ep.ID
}

// publishIn commits an event in an organization, and returns its id.
func (f *fixture) publishIn(t *testing.T, orgID int64, eventType string) int64 {
	t.Helper()
	must(t, f.st.InTx(context.Background(), func(tx *store.Store, _ *sql.Tx) error {
		return outbound.Publish(context.Background(), tx, orgID, eventType, map[string]any{"id": 1}, f.clock.Now())
	}))
	ids := f.eventIDs(t, orgID)
	return ids[len(ids)-1]
}

func (f *fixture) eventIDs(t *testing.T, orgID int64) []int64 {
	t.Helper()
	evs, err := f.st.OutboundEvents(context.Background(), orgID, 0, 1000)
	must(t, err)
	var ids []int64
	for _, e := range evs {
		ids = append(ids, e.ID)
	}
	return ids
}

func (f *fixture) deliveries(t *testing.T, endpointID int64) []store.OutboundDelivery {
	t.Helper()
	ds, err := f.st.OutboundDeliveries(context.Background(), f.org.ID, endpointID, "", 0, 1000)
	must(t, err)
	return ds
}

// settle waits until every delivery to the endpoints has had its attempts
// recorded, so the clock can move on.
func (f *fixture) settle(t *testing.T, endpointIDs ...int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for _, ep := range endpointIDs {
		for {
			ds := f.deliveries(t, ep)
			done := len(ds) > 0
			for _, dl := range ds {
				as, err := f.st.OutboundAttempts(context.Background(), dl.ID)
				must(t, err)
				done = done && dl.Attempts > 0 && len(as) == dl.Attempts
			}
			if done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("deliveries to endpoint %d never settled: %+v", ep, ds)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// rows counts the outbox's rows, table by table.
func (f *fixture) rows(t *testing.T) store.OutboundPruned {
	t.Helper()
	var n []int64
	for _, table := range []string{"outbound_attempts", "outbound_deliveries", "outbound_events"} {
		var c int64
		must(t, f.st.DB().QueryRow("SELECT COUNT(*) FROM "+table).Scan(&c))
		n = append(n, c)
	}
	return store.OutboundPruned{Attempts: n[0], Deliveries: n[1], Events: n[2]}
}
