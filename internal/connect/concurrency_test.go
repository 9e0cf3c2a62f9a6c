package connect_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// burst makes n API calls at once, spread over the services (replicas), and
// returns the errors.
func burst(e *env, svcs []*connect.Service, c store.Connection, n int) []error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = e.call(svcs[i%len(svcs)], c)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// expireBoth puts the connection's token past expiry in both ways it can
// happen: by the clock (the service sees it is due), and by Zoom refusing it
// early (401, code 124) while the service still believes it valid.
var expiries = map[string]func(e *env){
	"clock": func(e *env) { e.sim.Advance(61 * time.Minute) },
	"zoom":  func(e *env) { e.sim.ExpireTokens() },
}

func checkOneRefresh(t *testing.T, e *env, svcs []*connect.Service, c store.Connection, expire func(*env)) {
	t.Helper()
	// 50 calls in one instant exceed Zoom's per-second limits; pacing them is
	// the limiter's job, not under test here.
	e.sim.SetRateLimits(false)
	// Warm every replica's cache first, so each believes it holds a token.
	for _, svc := range svcs {
		must(t, e.call(svc, c))
	}
	before := e.spy.count("refresh_token")
	expire(e)
	for i, err := range burst(e, svcs, c, 50) {
		if err != nil {
			t.Fatalf("call %d of 50: %v", i, err)
		}
	}
	if got := e.spy.count("refresh_token") - before; got != 1 {
		t.Fatalf("50 concurrent calls at expiry made %d refreshes, want exactly 1", got)
	}
	// The rotated refresh token was saved: the next refresh works too.
	e.sim.Advance(61 * time.Minute)
	for _, svc := range svcs {
		must(t, e.call(svc, c))
	}
	if got := e.reload(c); got.Status != store.StatusActive {
		t.Fatalf("status %q (%s) after the burst", got.Status, got.StatusReason)
	}
}

// TestFiftyCallsAtExpiryRefreshOnceSQLite: one process on SQLite.
func TestFiftyCallsAtExpiryRefreshOnceSQLite(t *testing.T) {
	t.Parallel()
	for name, expire := range expiries {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sim := startSim(t, startOpts(store.SQLite))
			e := newEnv(t, testdb.Open(t, store.SQLite), sim, "burst")
			member := e.member()
			c := e.connectUser(e.person(member), member)
			checkOneRefresh(t, e, []*connect.Service{e.svc}, c, expire)
		})
	}
}

// TestFiftyCallsAtExpiryRefreshOncePostgresTwoReplicas: two connect
// services, each with its own store handle (its own connection pool, as two
// server processes have), on one PostgreSQL database, 25 calls each.
func TestFiftyCallsAtExpiryRefreshOncePostgresTwoReplicas(t *testing.T) {
	t.Parallel()
	for name, expire := range expiries {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := testdb.NewPostgresURL(t)
			open := func() *store.Store {
				st, err := store.Open(context.Background(), url, "")
				must(t, err)
				t.Cleanup(func() { st.Close() })
				_, err = st.Migrate(context.Background())
				must(t, err)
				return st
			}
			sim := startSim(t, startOpts(store.Postgres))
			e := newEnv(t, open(), sim, "replicas")
			replica := e.service(open())
			member := e.member()
			c := e.connectUser(e.person(member), member)
			checkOneRefresh(t, e, []*connect.Service{e.svc, replica}, c, expire)
		})
	}
}
