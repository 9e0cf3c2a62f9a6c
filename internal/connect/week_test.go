package connect_test

import (
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestConnectionsSurviveASimulatedWeek: one-hour tokens, a working week of
// calls every 25 minutes with nights of silence, the emulator's clock and
// the service's (the same injected clock) moving together. Every call of
// every flow's connection succeeds, refreshes happen, and no connection ever
// turns to needs_reconnect.
func TestConnectionsSurviveASimulatedWeek(t *testing.T) {
	eachDB(t, func(t *testing.T, d store.Dialect) {
		sim := startSim(t, startOpts(d))
		e := newEnv(t, testdb.Open(t, d), sim, "week")
		member := e.member()
		conns := []store.Connection{e.connectAccount(), e.connectUser(e.person(member), member), e.connectS2S()}
		start := sim.Now()
		calls := 0
		for day := range 7 {
			for range 24 {
				sim.Advance(25 * time.Minute)
				for _, c := range conns {
					if err := e.call(e.svc, c); err != nil {
						t.Fatalf("day %d, %v: %s call failed: %v", day, sim.Now().Sub(start), c.Kind, err)
					}
					calls++
				}
			}
			sim.Advance(14 * time.Hour) // the night: every access token expires unused
		}
		if got := sim.Now().Sub(start); got < 7*24*time.Hour {
			t.Fatalf("simulated %v, want a week", got)
		}
		refreshes, s2s := e.spy.count("refresh_token"), e.spy.count("account_credentials")
		// Tokens live an hour and are renewed 5 minutes early: with a call
		// every 25 minutes that is a renewal every 75 minutes, 8 a day.
		if refreshes < 2*7*8 || s2s < 7*8 {
			t.Errorf("%d refreshes and %d S2S tokens over a week of %d calls: tokens were not renewed", refreshes, s2s, calls)
		}
		for _, c := range conns {
			must(t, e.call(e.svc, c)) // after the last night, too
			c = e.reload(c)
			if c.Status != store.StatusActive || !c.TokenExpiresAt.After(sim.Now()) {
				t.Errorf("%s after a week: status %q, token expires %v (now %v)", c.Kind, c.Status, c.TokenExpiresAt, sim.Now())
			}
		}
	})
}
