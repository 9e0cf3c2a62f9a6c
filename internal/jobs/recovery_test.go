package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/metrics"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// A replica takes back only the jobs of workers whose lease ran out (or
// which never had one): a live replica's running job is never started twice,
// and a job that has used every attempt is discarded, not run again.
func TestOrphanedJobsAreRequeuedOnlyForDeadWorkers(t *testing.T) {
	ctx := context.Background()
	st := testdb.Open(t, store.Postgres)
	if err := jobs.Migrate(ctx, st); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(st, jobs.Config{InsertOnly: true}, slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	running := func(worker string, attempt int) int64 {
		t.Helper()
		res, err := q.Insert(ctx, jobs.HousekeepingArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.DB().ExecContext(ctx, "UPDATE river_job SET state = 'running', attempt = $2, attempted_by = ARRAY[$3], attempted_at = now() - interval '1 minute' WHERE id = $1",
			res.Job.ID, attempt, worker)
		if err != nil {
			t.Fatal(err)
		}
		return res.Job.ID
	}
	live, dead, gone, spent := running("live", 1), running("dead", 1), running("never-leased", 1), running("dead", 25)
	for _, w := range []string{"live", "dead"} {
		if err := st.RenewLease(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	// "dead" stopped beating a while ago.
	if _, err := st.DB().ExecContext(ctx, "UPDATE worker_leases SET heartbeat_at = heartbeat_at - 60000 WHERE worker = 'dead'"); err != nil {
		t.Fatal(err)
	}
	got, err := st.RequeueOrphanedJobs(ctx, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got.Requeued != 2 || got.Discarded != 1 {
		t.Fatalf("requeued %d, discarded %d; want 2 and 1", got.Requeued, got.Discarded)
	}
	for id, want := range map[int64]string{live: "running", dead: "available", gone: "available", spent: "discarded"} {
		var state string
		if err := st.DB().QueryRowContext(ctx, "SELECT state FROM river_job WHERE id = $1", id).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if state != want {
			t.Errorf("job %d: %s, want %s", id, state, want)
		}
	}
	var leases int
	st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM worker_leases").Scan(&leases)
	if leases != 1 {
		t.Errorf("%d leases left, want the live one", leases)
	}
}
