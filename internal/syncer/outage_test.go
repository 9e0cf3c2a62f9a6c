package syncer_test

import (
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// R8: webhooks blocked for two hours of emulated time, longer than Zoom's
// 85 minutes of retries, so no event of those hours ever arrives (this
// account has no reachable receiver at all). The next pass alone recovers
// every activity Zoom's API exposes: the stored activities are the
// emulator's truth again, count and field by field.
func TestTwoHourWebhookOutageIsRecoveredByTheNextPass(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 40, plan: "business", seed: 17, unmapEvery: 7, offEvery: 9})
		backfill := e.runPass(e.ctx, "")
		if backfill.Status != store.PassSucceeded {
			t.Fatalf("backfill %+v", backfill)
		}
		before := len(e.stored())
		// Find two working hours: the outage must cover meetings and calls.
		for e.sim.Now().Weekday() == time.Saturday || e.sim.Now().Weekday() == time.Sunday || e.sim.Now().Hour() < 9 || e.sim.Now().Hour() > 15 {
			e.sim.Advance(time.Hour)
		}
		if p := e.runPass(e.ctx, ""); p.Status != store.PassSucceeded {
			t.Fatalf("pass before the outage %+v", p)
		}
		caughtUp := len(e.stored())
		e.sim.Advance(2 * time.Hour) // the outage: nothing reaches zoombridge

		next := e.runPass(e.ctx, "")
		if next.Kind != store.PassIncremental || next.Status != store.PassSucceeded {
			t.Fatalf("pass after the outage %+v", next)
		}
		got := e.stored()
		e.compare(e.expected(backfill.WindowFrom), got)
		if len(got) <= caughtUp {
			t.Fatalf("the two hours produced no activity to recover (%d before, %d after): the test proves nothing", caughtUp, len(got))
		}
		t.Logf("%s: %d activities after the backfill, %d before the outage, %d after the next pass", d, before, caughtUp, len(got))
	})
}
