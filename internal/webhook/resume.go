package webhook

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Inserter enqueues a job in its own transaction (River's client).
type Inserter interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Resume queues, at start on SQLite, a sweep from the oldest event not
// processed yet. The sweeps that stored events counted on run from ids of
// their own (see committer.enqueue); one a crash left behind, or one waiting
// out a retry's backoff, must not keep the events below it waiting, so
// processing after a start never depends on the ranges earlier jobs held.
// On PostgreSQL the other replicas are alive: a dead one's sweeps are handed
// back by the lease rescue (internal/jobs/recovery.go), and a replica that
// starts needs to take nothing over.
func (s *Service) Resume(ctx context.Context, q Inserter) error {
	if s.Processor.st.Dialect() != store.SQLite {
		return nil
	}
	first, err := s.Processor.st.LowestPendingInboxID(ctx)
	if err != nil || first == 0 {
		return err
	}
	_, err = q.Insert(ctx, SweepArgs{AfterID: first - 1}, nil)
	return err
}
