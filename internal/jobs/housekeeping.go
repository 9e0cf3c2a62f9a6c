package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
)

// HousekeepingArgs prunes processed webhook events past their retention, and
// the REST API's kept Idempotency-Key answers past theirs.
type HousekeepingArgs struct{}

// Kind names the job in the queue.
func (HousekeepingArgs) Kind() string { return "housekeeping" }

// InboxRetention is how long processed webhook events are kept, for replay and audit.
const InboxRetention = 30 * 24 * time.Hour

// HousekeepingWorker runs HousekeepingArgs.
type HousekeepingWorker struct {
	river.WorkerDefaults[HousekeepingArgs]
	Store  *store.Store
	Runner string
	Now    func() time.Time
	// Wall is the real-time clock the REST API stamps kept Idempotency-Key
	// answers with (time.Now when nil).
	Wall func() time.Time
}

// Work prunes the inbox and records the run.
func (w *HousekeepingWorker) Work(ctx context.Context, job *river.Job[HousekeepingArgs]) error {
	now := w.Now()
	pruned, err := w.Store.PruneInbox(ctx, now.Add(-InboxRetention))
	if err != nil {
		return err
	}
	wall := time.Now
	if w.Wall != nil {
		wall = w.Wall
	}
	if _, err := w.Store.PruneIdempotentResponses(ctx, wall().Add(-store.IdempotencyKept)); err != nil {
		return err
	}
	return w.Store.RecordHousekeeping(ctx, w.Runner, pruned, now)
}

// HousekeepingPeriodic schedules housekeeping every period. Only River's elected
// leader enqueues periodic jobs, and the unique-by-period option makes a second
// insert in the same period a no-op, so it runs once per period across replicas.
func HousekeepingPeriodic(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return HousekeepingArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}
