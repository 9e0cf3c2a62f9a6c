package syncer_test

import (
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// A 200-user account over 30 days: after the backfill, the activities are the
// emulator's ground truth, count and field by field, for the hosted meetings,
// webinars and calls of mapped people with the Zoom service on, and nothing
// of anyone else. Business limits keep it quick; Pro limits are exercised by
// TestRateLimitStormAtProLimits and the benchmark.
func TestBackfillMatchesTruth(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 200, plan: "business", seed: 7, unmapEvery: 9, offEvery: 11})
		p := e.runPass(e.ctx, "")
		if p.Kind != store.PassBackfill || p.Status != store.PassSucceeded {
			t.Fatalf("first pass %+v", p)
		}
		want := e.expected(p.WindowFrom)
		got := e.stored()
		e.compare(want, got)
		counts := map[string]int{}
		for k := range want {
			counts[k.kind]++
		}
		if counts[store.ActivityMeeting] < 1000 || counts[store.ActivityCall] < 1000 || counts[store.ActivityWebinar] < 5 {
			t.Fatalf("the account is too quiet to prove much: %v", counts)
		}
		for k := range got {
			if !e.synced(k.user) {
				t.Fatalf("activity of an unmapped or switched-off user stored: %v", k)
			}
		}
		if p.Written() != len(want) {
			t.Fatalf("pass says it wrote %d, stored %d", p.Written(), len(want))
		}
		checkMapping(t, e)
		status, err := e.st.SyncStatusOf(e.ctx, e.org.ID, e.conn.ID, e.sim.Now())
		must(t, err)
		if status.Running || status.State.LastSuccessAt.IsZero() || status.State.APICalls == 0 || status.State.RateLimited != 0 ||
			!status.State.NextRunAt.Equal(e.sim.Now().Add(15*time.Minute)) || status.Records[store.ActivityMeeting] != counts[store.ActivityMeeting] {
			t.Fatalf("status after backfill: %+v", status)
		}
		t.Logf("%s: %v activities from %d API calls, %d errors recorded", d, counts, p.APICalls, p.Errors)
	})
}

// checkMapping: the unmapped Zoom users are listed with a reason, and so is the
// person without a Zoom user.
func checkMapping(t *testing.T, e *env) {
	t.Helper()
	unmapped, err := e.st.UnmappedZoomUsers(e.ctx, e.org.ID)
	must(t, err)
	if len(unmapped) != len(e.unmapped) {
		t.Fatalf("%d unmapped Zoom users listed, want %d", len(unmapped), len(e.unmapped))
	}
	for _, u := range unmapped {
		if !e.unmapped[u.ZoomUserID] || u.Reason != store.ReasonNoPerson {
			t.Fatalf("unmapped %+v", u)
		}
	}
	without, err := e.st.PeopleWithoutZoomUser(e.ctx, e.org.ID)
	must(t, err)
	if len(without) != 1 || without[0].Email != "contractor@elsewhere.example" || without[0].Reason != store.ReasonNoZoomUser {
		t.Fatalf("people without a Zoom user: %+v", without)
	}
}
