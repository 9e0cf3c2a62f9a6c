package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/syncer"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// A second pass over the same 30 days writes nothing: every upsert finds its
// row as it is.
func TestSecondPassWritesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 40, plan: "business", seed: 11, unmapEvery: 7, offEvery: 9})
		first := e.runPass(e.ctx, "")
		before := e.stored()
		if first.Written() == 0 || len(before) != first.Written() {
			t.Fatalf("first pass wrote %d, stored %d", first.Written(), len(before))
		}
		e.skew.Store(int64(time.Second)) // a rewrite would now carry a later updated_at
		must(t, e.st.RequestSweep(e.ctx, e.conn.ID, e.sim.Now()))
		second := e.runPass(e.ctx, store.PassSweep)
		if second.Kind != store.PassSweep || second.ID == first.ID || second.APICalls == 0 {
			t.Fatalf("second pass %+v", second)
		}
		if second.Written() != 0 {
			t.Fatalf("second pass wrote %d rows", second.Written())
		}
		after := e.stored()
		if len(after) != len(before) {
			t.Fatalf("%d activities after the second pass, %d before", len(after), len(before))
		}
		for k, a := range after {
			if !a.UpdatedAt.Equal(before[k].UpdatedAt) || diff(before[k], a) != "" {
				t.Fatalf("%v rewritten: %s", k, diff(before[k], a))
			}
		}
	})
}

// A pass killed halfway (its connection to Zoom cut, its context gone) leaves
// a checkpoint; the next run resumes the same pass, skips what was done, and
// ends with exactly the truth: no duplicate, nothing missing.
func TestKilledPassResumes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 40, plan: "business", seed: 13, unmapEvery: 7, offEvery: 9})
		ctx, kill := context.WithCancel(e.ctx)
		e.hc.onKill = kill
		e.hc.killAt.Store(50)
		if _, err := e.sy.Run(ctx, e.conn.ID, ""); err == nil {
			t.Fatal("a killed run reported success")
		}
		state, err := e.st.SyncStateOf(e.ctx, e.conn.ID)
		must(t, err)
		done, err := e.st.SyncUnitsDone(e.ctx, state.PassID)
		must(t, err)
		if state.PassID == 0 || len(done) < 2 {
			t.Fatalf("no checkpoint after the kill: pass %d, %d units done", state.PassID, len(done))
		}
		killedCalls := e.hc.n.Load()
		e.hc.killAt.Store(0)
		resumed := e.runPass(e.ctx, "")
		resumedCalls := e.hc.n.Load() - killedCalls
		if resumed.ID != state.PassID || resumed.Runs < 2 || resumed.Status != store.PassSucceeded {
			t.Fatalf("the pass was not resumed: killed pass %d, finished %+v", state.PassID, resumed)
		}
		e.compare(e.expected(resumed.WindowFrom), e.stored())
		if resumed.Written() != len(e.stored()) {
			t.Fatalf("the pass counts %d rows written across the kill, %d are stored", resumed.Written(), len(e.stored()))
		}
		// A full pass over the same window, for comparison: the resumed run
		// did less, because the checkpoint spared the units already done.
		must(t, e.st.RequestSweep(e.ctx, e.conn.ID, e.sim.Now()))
		before := e.hc.n.Load()
		full := e.runPass(e.ctx, store.PassSweep)
		fullCalls := e.hc.n.Load() - before
		if full.Written() != 0 {
			t.Fatalf("a sweep after the resumed pass wrote %d rows: the resume missed something", full.Written())
		}
		if resumedCalls >= fullCalls {
			t.Fatalf("resumed run made %d calls, a full pass %d: the checkpoint saved nothing", resumedCalls, fullCalls)
		}
		t.Logf("%s: killed after %d calls with %d units done; resume made %d calls, a full pass %d", d, killedCalls, len(done), resumedCalls, fullCalls)
	})
}

// A pass longer than a job's time slice yields and goes on in the next run
// (River snoozes it briefly), each run making progress, until it is done.
func TestLongPassYieldsAndGoesOn(t *testing.T) {
	e := newEnv(t, store.SQLite, envOpts{users: 8, plan: "business", seed: 23, cfg: syncer.Config{Slice: time.Nanosecond, Workers: 1}})
	runs := 0
	for {
		out, err := e.sy.Run(e.ctx, e.conn.ID, "")
		must(t, err)
		runs++
		if out.Done {
			if out.Pass.Runs != runs || runs < 3 {
				t.Fatalf("pass finished after %d runs (it counts %d): the slice did not cut it", runs, out.Pass.Runs)
			}
			e.compare(e.expected(out.Pass.WindowFrom), e.stored())
			return
		}
		if out.RetryAt.After(time.Now().Add(time.Second)) {
			t.Fatalf("a yield asked to wait until %v", out.RetryAt)
		}
		if runs > 100 {
			t.Fatal("the pass makes no progress across runs")
		}
	}
}
