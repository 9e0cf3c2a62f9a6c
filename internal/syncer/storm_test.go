package syncer_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/metrics"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/syncer"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// Under Pro limits, with a storm of injected 429s, the pass run as a River
// job completes: each 429 stops its stream, the job snoozes until Zoom's
// Retry-After (no attempt spent), resumes from the checkpoint, and the result
// is the truth. Sized at 30 users so Pro's per-second limits keep it short.
func TestRateLimitStormAtProLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 30, plan: "pro", seed: 5, unmapEvery: 8})
		svc := startJobs(t, e)
		events, cancel := svc.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobSnoozed, river.EventKindJobFailed)
		defer cancel()
		_, err := e.sim.AddFault(zoomsim.Fault{Kind: "429", Path: "/v2/", Fraction: 0.3, Count: 10})
		must(t, err)
		queued, err := e.sy.Enqueue(e.ctx, svc.Client(), e.conn.ID, "")
		must(t, err)
		if !queued {
			t.Fatal("the backfill was not queued")
		}
		if again, err := e.sy.Enqueue(e.ctx, svc.Client(), e.conn.ID, ""); err != nil || again {
			t.Fatalf("a second pass of the same connection was queued beside the first: %v %v", again, err)
		}
		snoozes := 0
		timeout := time.After(2 * time.Minute)
	wait:
		for {
			select {
			case ev := <-events:
				switch {
				case ev.Job.Kind != (syncer.PassArgs{}).Kind():
				case ev.Kind == river.EventKindJobSnoozed:
					snoozes++
				case ev.Kind == river.EventKindJobFailed:
					t.Fatalf("the pass job failed: %v", ev.Job.Errors)
				case ev.Kind == river.EventKindJobCompleted:
					if ev.Job.Attempt > 1 {
						t.Fatalf("a snooze spent attempts: completed on attempt %d", ev.Job.Attempt)
					}
					break wait
				}
			case <-timeout:
				t.Fatal("the pass did not complete within two minutes")
			}
		}
		st, err := e.st.SyncStateOf(e.ctx, e.conn.ID)
		must(t, err)
		p, err := e.st.SyncPassByID(e.ctx, st.LastPassID)
		must(t, err)
		if p.Status != store.PassSucceeded || p.RateLimited == 0 || snoozes == 0 || p.Runs < 2 {
			t.Fatalf("pass %+v after %d snoozes: the storm was not met", p, snoozes)
		}
		e.compare(e.expected(p.WindowFrom), e.stored())
		t.Logf("%s: %d API calls, %d 429s, %d snoozes, %d runs", d, p.APICalls, p.RateLimited, snoozes, p.Runs)
	})
}

// startJobs runs a River client with the sync workers on the env's database.
func startJobs(t *testing.T, e *env) *jobs.Service {
	t.Helper()
	must(t, jobs.Migrate(e.ctx, e.st))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := jobs.New(e.st, jobs.Config{Workers: 2, ID: t.Name(), Register: func(w *river.Workers) {
		river.AddWorker(w, &syncer.PassWorker{Syncer: e.sy})
		river.AddWorker(w, &syncer.TickWorker{Syncer: e.sy})
	}}, log, metrics.New())
	must(t, err)
	must(t, svc.Start(e.ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		svc.Stop(ctx)
	})
	return svc
}
