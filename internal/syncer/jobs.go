package syncer

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/store"
)

// PassArgs is the job of one connection's pass. Unique per connection while
// queued, running, snoozed or waiting to retry: one pass per connection at a
// time, whoever asks.
type PassArgs struct {
	ConnectionID int64  `json:"connection_id" river:"unique"`
	Pass         string `json:"pass,omitempty"` // a hint: store.PassSweep asks for a sweep
}

// Kind names the job in the queue.
func (PassArgs) Kind() string { return "sync_pass" }

// InsertOpts make the job unique per connection.
func (PassArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// PassWorker runs passes. A rate limit, or the end of a time slice, snoozes
// the job (River does not count a snooze as an attempt); a failure is retried
// with backoff and resumes from the checkpoint.
type PassWorker struct {
	river.WorkerDefaults[PassArgs]
	Syncer *Syncer
}

// Work runs the pass until it is done, snoozes or fails.
func (w *PassWorker) Work(ctx context.Context, job *river.Job[PassArgs]) error {
	out, err := w.Syncer.Run(ctx, job.Args.ConnectionID, job.Args.Pass)
	if err != nil {
		return err
	}
	if !out.Done {
		return river.JobSnooze(max(time.Until(out.RetryAt), 0))
	}
	// A "Sync now" that arrived while this pass ran: go again right away.
	if st, err := w.Syncer.st.SyncStateOf(ctx, job.Args.ConnectionID); err == nil && !st.SweepRequestedAt.IsZero() {
		return river.JobSnooze(0)
	}
	return nil
}

// Timeout leaves room for a whole time slice and the calls in flight at its end.
func (w *PassWorker) Timeout(*river.Job[PassArgs]) time.Duration {
	return w.Syncer.cfg.Slice + 2*time.Minute
}

// TickArgs is the periodic job that enqueues the passes that are due.
type TickArgs struct{}

// Kind names the job in the queue.
func (TickArgs) Kind() string { return "sync_tick" }

// TickWorker enqueues a pass for every connection that is due: never synced
// (its backfill), due for its incremental pass, asked to sweep, or with a pass
// left unfinished. Passes already queued are left as they are.
type TickWorker struct {
	river.WorkerDefaults[TickArgs]
	Syncer *Syncer
}

// Work enqueues the due passes.
func (w *TickWorker) Work(ctx context.Context, job *river.Job[TickArgs]) error {
	due, err := w.Syncer.st.DueSyncConnections(ctx, w.Syncer.now())
	if err != nil {
		return err
	}
	jc := river.ClientFromContext[*sql.Tx](ctx)
	for _, id := range due {
		if _, err := jc.Insert(ctx, PassArgs{ConnectionID: id}, nil); err != nil {
			return err
		}
	}
	return nil
}

// TickPeriodic schedules the tick every interval (a minute in production,
// so a connection's pass starts within a minute of being due).
func TickPeriodic(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return TickArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// Enqueue asks for a pass of a connection: store.PassSweep for "Sync now"
// (the 30-day sweep), store.PassBackfill or "" for whatever is due. It
// reports false when a pass is already queued or running; a sweep asked for
// then still follows it.
func (s *Syncer) Enqueue(ctx context.Context, jc *river.Client[*sql.Tx], connID int64, kind string) (queued bool, err error) {
	err = s.st.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		queued, err = s.EnqueueTx(ctx, tx, sqlTx, jc, connID, kind)
		return err
	})
	return queued, err
}

// EnqueueTx is Enqueue inside the caller's transaction (connect's hook uses
// it so a new connection and its backfill commit together).
func (s *Syncer) EnqueueTx(ctx context.Context, tx *store.Store, sqlTx *sql.Tx, jc *river.Client[*sql.Tx], connID int64, kind string) (bool, error) {
	if kind == store.PassSweep {
		if err := tx.RequestSweep(ctx, connID, s.now()); err != nil {
			return false, err
		}
	}
	res, err := jc.InsertTx(ctx, sqlTx, PassArgs{ConnectionID: connID, Pass: kind}, nil)
	if err != nil {
		return false, err
	}
	return !res.UniqueSkippedAsDuplicate, nil
}
