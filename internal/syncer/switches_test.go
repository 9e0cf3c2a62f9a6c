package syncer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// Switching the Phone feature off stops call ingestion (not one Phone API
// call) and hides the calls already stored; switching one person's Zoom
// service off does the same for that person only. Switched back on, the next
// pass catches up on what happened meanwhile.
func TestSwitchesStopIngestionAndHide(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 20, plan: "business", seed: 3})
		first := e.runPass(e.ctx, "")
		visible := func(f store.ActivityFilter) []store.Activity {
			f.OrgID = e.org.ID
			acts, err := e.st.Activities(e.ctx, f)
			must(t, err)
			return acts
		}
		if len(visible(store.ActivityFilter{Kinds: []string{store.ActivityCall}})) == 0 {
			t.Fatal("no calls after the backfill")
		}

		// Phone off: calls hidden at once, and the next pass leaves Phone alone.
		must(t, e.st.SetFeature(e.ctx, e.org.ID, store.FeaturePhone, false))
		if n := len(visible(store.ActivityFilter{Kinds: []string{store.ActivityCall}})); n != 0 {
			t.Fatalf("%d calls visible with Phone off", n)
		}
		callsBefore := e.count(store.ActivityCall)
		e.sim.Advance(34 * time.Hour) // from Sunday midnight into Monday's working hours
		mark := e.hc.seen()
		p := e.runPass(e.ctx, "")
		for _, path := range e.hc.since(mark) {
			if strings.Contains(path, "/phone/") {
				t.Fatalf("Phone API called with the feature off: %s", path)
			}
		}
		if p.CallsWritten != 0 || e.count(store.ActivityCall) != callsBefore {
			t.Fatalf("calls ingested with Phone off: %d written", p.CallsWritten)
		}
		if p.MeetingsWritten == 0 {
			t.Fatal("no new meetings since the backfill: the pass proves nothing")
		}

		// One person's service off: only their activity stops and hides.
		must(t, e.st.SetFeature(e.ctx, e.org.ID, store.FeaturePhone, true))
		host, pid := e.busiest()
		pr, err := e.st.PersonByID(e.ctx, e.org.ID, pid)
		must(t, err)
		pr.ZoomEnabled = false
		must(t, e.st.UpdatePerson(e.ctx, pr, e.sim.Now()))
		e.off[host] = true
		if n := len(visible(store.ActivityFilter{PersonID: pid})); n != 0 {
			t.Fatalf("%d activities visible of a person with the service off", n)
		}
		if len(visible(store.ActivityFilter{})) == 0 {
			t.Fatal("everyone's activities hidden by one person's switch")
		}
		mine := e.countOf(host)
		e.sim.Advance(3 * time.Hour)
		mark = e.hc.seen()
		p = e.runPass(e.ctx, "")
		for _, path := range e.hc.since(mark) {
			if strings.Contains(path, host) {
				t.Fatalf("Zoom asked about a person with the service off: %s", path)
			}
		}
		if e.countOf(host) != mine {
			t.Fatal("activities ingested for a person with the service off")
		}
		if p.CallsWritten == 0 {
			t.Fatal("calls of the hours Phone was off were not caught up once it was on again")
		}
		// Everyone else is exactly the truth, the Phone gap included; the
		// switched-off person keeps only what was stored before.
		want := e.expected(first.WindowFrom)
		got := e.stored()
		for k := range got {
			if k.user == host {
				delete(got, k)
			}
		}
		e.compare(want, got)
	})
}

func (e *env) count(kind string) int {
	n := 0
	for k := range e.stored() {
		if k.kind == kind {
			n++
		}
	}
	return n
}

func (e *env) countOf(zoomUserID string) int {
	n := 0
	for k := range e.stored() {
		if k.user == zoomUserID {
			n++
		}
	}
	return n
}

// busiest is the synced Zoom user with the most stored activities, and their person.
func (e *env) busiest() (string, int64) {
	counts := map[string]int{}
	for k := range e.stored() {
		counts[k.user]++
	}
	best := ""
	for u, n := range counts {
		if best == "" || n > counts[best] || n == counts[best] && u < best {
			best = u
		}
	}
	return best, e.person[best]
}
