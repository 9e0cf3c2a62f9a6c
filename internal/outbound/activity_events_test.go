package outbound_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestActivityEventsOnlyForWhatAHostCanSee drives the ingest path's
// publishing (WantsActivities, the upserts and PublishActivities in one transaction; the
// events then written by the delivery queue's job): a new activity is
// activity.created, a repeat of it nothing, a changed end activity.updated,
// the same fact seen through another connection (which changes no field)
// nothing, and a rolled-back change nothing at all.
func TestActivityEventsOnlyForWhatAHostCanSee(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		f := newFixture(t, d)
		rcv := newReceiver(t, f.clock)
		_, _, err := f.svc.CreateEndpoint(ctx, f.org.ID, "test", outbound.Endpoint{URL: rcv.URL, EventTypes: []string{"activity.created", "activity.updated"}})
		must(t, err)
		person, err := f.st.CreatePerson(ctx, store.Person{OrgID: f.org.ID, Email: "host@acme.example"}, t0)
		must(t, err)
		var conns [2]store.Connection
		for i := range conns {
			conns[i], err = f.st.CreateConnection(ctx, store.Connection{OrgID: f.org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: "acct-" + string(rune('a'+i))}, t0)
			must(t, err)
		}
		meeting := store.Activity{OrgID: f.org.ID, ConnectionID: conns[0].ID, PersonID: person.ID, ZoomUserID: "host", Kind: store.ActivityMeeting,
			ZoomID: "8123", Title: "Pipeline review", StartAt: t0, Source: "webhook"}
		ingest := func(a store.Activity, fail error) error {
			return f.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
				as := []store.Activity{a}
				tell, err := outbound.WantsActivities(ctx, tx, as)
				if err != nil {
					return err
				}
				writes, err := tx.UpsertActivities(ctx, as, f.clock.Now(), tell)
				if err != nil {
					return err
				}
				if err := outbound.PublishActivities(ctx, tx, as, writes, f.clock.Now()); err != nil {
					return err
				}
				return fail
			})
		}
		// events lists the activity events written once the queue has run
		// every activity-events job.
		events := func() []string {
			t.Helper()
			waitJobs(t, f.st, "outbound_activity_events")
			got, err := f.st.OutboundEvents(ctx, f.org.ID, 0, 100)
			must(t, err)
			var types []string
			for _, e := range got {
				types = append(types, e.Type)
			}
			return types
		}
		steps := []struct {
			name string
			a    store.Activity
			fail error
			want []string
		}{
			{"rolled back", meeting, errors.New("the change fails"), nil},
			{"new", meeting, nil, []string{"activity.created"}},
			{"repeated", meeting, nil, []string{"activity.created"}},
			{"ended", with(meeting, func(a *store.Activity) { a.EndAt, a.DurationSeconds = t0.Add(31*time.Minute), 31*60 }),
				nil, []string{"activity.created", "activity.updated"}},
			{"seen through another connection", with(meeting, func(a *store.Activity) { a.ConnectionID, a.Source = conns[1].ID, "sync" }),
				nil, []string{"activity.created", "activity.updated"}},
		}
		for _, s := range steps {
			f.clock.Set(f.clock.Now().Add(time.Minute))
			if err := ingest(s.a, s.fail); !errors.Is(err, s.fail) {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := events(); !equal(got, s.want) {
				t.Fatalf("after %s: events %v, want %v", s.name, got, s.want)
			}
		}
		rcv.wait(t, 2)
	})
}

func with(a store.Activity, change func(*store.Activity)) store.Activity {
	change(&a)
	return a
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// waitJobs waits until the queue holds no unfinished job of the kind.
func waitJobs(t *testing.T, st *store.Store, kind string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		err := st.DB().QueryRow("SELECT COUNT(*) FROM river_job WHERE kind = '" + kind + "' AND state NOT IN ('completed', 'discarded', 'cancelled')").Scan(&n)
		must(t, err)
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d %s jobs still unfinished", n, kind)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
