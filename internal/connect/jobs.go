package connect

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// RefreshIdleArgs looks for connections nobody has used for a while and
// queues a refresh of each, so their refresh tokens never age out at Zoom.
type RefreshIdleArgs struct{}

// Kind names the job in the queue.
func (RefreshIdleArgs) Kind() string { return "connect_refresh_idle" }

// RefreshConnectionArgs refreshes one connection if it is still idle when
// the job runs; a replica that refreshed it meanwhile makes the job a no-op.
type RefreshConnectionArgs struct {
	ConnectionID int64 `json:"connection_id"`
}

// Kind names the job in the queue.
func (RefreshConnectionArgs) Kind() string { return "connect_refresh" }

// InsertOpts keeps one pending refresh per connection, retried with River's
// backoff while Zoom is unreachable.
func (RefreshConnectionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

var pendingStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled}

// IdleWorker runs RefreshIdleArgs.
type IdleWorker struct {
	river.WorkerDefaults[RefreshIdleArgs]
	Service *Service
}

// Work forgets abandoned connect flows and queues a refresh of every active
// connection last refreshed more than IdleAfter ago. Jobs are inserted in one transaction with nothing else, so
// a failure here simply runs again next period.
func (w *IdleWorker) Work(ctx context.Context, job *river.Job[RefreshIdleArgs]) error {
	s := w.Service
	if _, err := s.st.PruneOAuthStates(ctx, s.now()); err != nil {
		return err
	}
	before := s.now().Add(-s.cfg.IdleAfter)
	conns, err := s.st.IdleConnections(ctx, before)
	if err != nil {
		return err
	}
	if len(conns) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, 0, len(conns))
	for _, c := range conns {
		params = append(params, river.InsertManyParams{Args: RefreshConnectionArgs{ConnectionID: c.ID}})
	}
	_, err = river.ClientFromContext[*sql.Tx](ctx).InsertMany(ctx, params)
	return err
}

// RefreshWorker runs RefreshConnectionArgs.
type RefreshWorker struct {
	river.WorkerDefaults[RefreshConnectionArgs]
	Service *Service
}

// Work refreshes the connection unless someone did since. A grant Zoom
// refuses turns the connection to needs_reconnect and ends the job: retrying
// cannot help. Transient failures return an error, and River retries with
// backoff.
func (w *RefreshWorker) Work(ctx context.Context, job *river.Job[RefreshConnectionArgs]) error {
	s := w.Service
	err := s.RefreshIdle(ctx, job.Args.ConnectionID, s.now().Add(-s.cfg.IdleAfter))
	if err != nil && !transient(err) {
		s.log.Info("idle refresh ended without a refresh", "connection_id", job.Args.ConnectionID, "err", err)
		return nil
	}
	return err
}

// IdlePeriodic schedules the idle scan every period (once per period across
// replicas: only River's leader enqueues periodic jobs).
func IdlePeriodic(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return RefreshIdleArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}
