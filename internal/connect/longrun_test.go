package connect_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/metrics"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// R10: 120 simulated days of rotating refresh tokens, against an emulator
// whose refresh tokens die after 90 days unused, with processes restarted
// every 30 days and, on PostgreSQL, two replicas taking turns: 0 dead
// connections. One connection is used every few days, one only in its first
// week, one never: the idle refresh (its real River jobs, worked by the
// replicas) is what keeps the last two alive, which the end shows by
// stopping it: 91 days later the unused connection is dead.
func TestNinetyDaysOfRotatingTokensLeaveNoDeadConnection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		o := startOpts(d)
		o.RefreshIdle = 90 * 24 * time.Hour
		sim := startSim(t, o)
		url, path := "", t.TempDir()+"/longrun.db"
		if d == store.Postgres {
			url = testdb.NewPostgresURL(t)
		}
		open := func() *store.Store {
			st, err := store.Open(context.Background(), url, path)
			must(t, err)
			_, err = st.Migrate(context.Background())
			must(t, err)
			must(t, jobs.Migrate(context.Background(), st))
			return st
		}
		st := open()
		e := newEnv(t, st, sim, "longrun")
		busy := e.connectUser(e.person(e.member()), e.member())
		early := e.connectUser(e.person(e.memberWhere(func(u zoomsim.User) bool { return u.ID != e.member().ID })),
			e.memberWhere(func(u zoomsim.User) bool { return u.ID != e.member().ID }))
		unused := e.connectAccount()
		t.Cleanup(func() { st.Close() })

		n := 1
		if d == store.Postgres {
			n = 2
		}
		reps := make([]*replica, n)
		for i := range reps {
			reps[i] = startReplica(t, e, open)
		}
		start := sim.Now()
		for day := 0; day < 120; day += 3 {
			sim.Advance(3 * 24 * time.Hour)
			if day%30 == 0 && day > 0 { // a restart of every process, one after another
				for i := range reps {
					reps[i].stop(t)
					reps[i] = startReplica(t, e, open)
				}
			}
			r := reps[(day/3)%n]
			if err := e.call(r.svc, busy); err != nil {
				t.Fatalf("day %d: the busy connection failed: %v", day, err)
			}
			if day < 7 {
				must(t, e.call(reps[len(reps)-1].svc, early))
			}
			r.idleScan(t)
		}
		if got := sim.Now().Sub(start); got < 90*24*time.Hour {
			t.Fatalf("simulated %v, want at least 90 days", got)
		}
		for _, c := range []store.Connection{busy, early, unused} {
			if err := e.call(reps[0].svc, c); err != nil {
				t.Errorf("%s connection dead after %v: %v", c.Kind, sim.Now().Sub(start), err)
			}
			if got := e.reload(c); got.Status != store.StatusActive {
				t.Errorf("%s connection %q (%s)", c.Kind, got.Status, got.StatusReason)
			}
		}

		// Without the idle refresh, an unused connection's refresh token dies.
		sim.Advance(91 * 24 * time.Hour)
		if err := e.call(reps[0].svc, unused); err == nil {
			t.Fatal("a refresh token unused for 91 days still worked: the emulator does not expire them, so this test proves nothing")
		}
		for _, r := range reps {
			r.stop(t)
		}
	})
}

// replica is one process: its own store handle, connect service and River
// client working the connect jobs.
type replica struct {
	st   *store.Store
	svc  *connect.Service
	jobs *jobs.Service
}

func startReplica(t *testing.T, e *env, open func() *store.Store) *replica {
	t.Helper()
	r := &replica{st: open()}
	r.svc = e.service(r.st)
	var err error
	r.jobs, err = jobs.New(r.st, jobs.Config{Workers: 2, Register: func(w *river.Workers) {
		river.AddWorker(w, &connect.IdleWorker{Service: r.svc})
		river.AddWorker(w, &connect.RefreshWorker{Service: r.svc})
	}}, slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New())
	must(t, err)
	must(t, r.jobs.Start(context.Background()))
	return r
}

func (r *replica) stop(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	must(t, r.jobs.Stop(ctx))
	r.st.Close()
}

// idleScan queues the idle scan as the periodic job does, and waits until it
// and the refreshes it queued are done (whichever replica works them).
func (r *replica) idleScan(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	_, err := r.jobs.Insert(ctx, connect.RefreshIdleArgs{}, nil)
	must(t, err)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var pending int
		err := r.st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE kind IN ('connect_refresh_idle', 'connect_refresh') AND state NOT IN ('completed', 'discarded', 'cancelled')").Scan(&pending)
		if err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connect jobs still pending after 30 s", pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
