package outbound

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
)

// DefaultRetention is how long the outbox keeps a finished delivery (its
// log and attempts) and an event without deliveries.
const DefaultRetention = 30 * 24 * time.Hour

// DefaultPruneBatch bounds each pruning statement: a few milliseconds of
// SQLite's one writer, so webhook commits wait no longer than that.
const DefaultPruneBatch = 500

// Prune deletes what the outbox no longer needs, batch after batch until
// none is due: attempts and deliveries that finished (delivered or failed)
// more than the retention period ago, then events older than that with no
// delivery left and read by every reader of the outbox (store.PruneOutbound).
// Pending deliveries and their events stay, however old.
func (s *Service) Prune(ctx context.Context) (store.OutboundPruned, error) {
	before := s.now().Add(-s.retention)
	var total store.OutboundPruned
	for {
		p, err := s.st.PruneOutbound(ctx, before, s.pruneBatch)
		total = total.Add(p)
		if err != nil || p.Below(s.pruneBatch) {
			return total, err
		}
	}
}

// PruneArgs is the periodic outbox retention.
type PruneArgs struct{}

// Kind names the job in the queue.
func (PruneArgs) Kind() string { return "outbound_prune" }

// PruneWorker runs Prune.
type PruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	Service *Service
}

// Work prunes the outbox. A run cut short (shutdown, the job's timeout)
// has deleted whole batches; the next period goes on from there.
func (w *PruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	p, err := w.Service.Prune(ctx)
	if p != (store.OutboundPruned{}) {
		w.Service.log.Info("outbox pruned", "attempts", p.Attempts, "deliveries", p.Deliveries, "events", p.Events)
	}
	if err != nil && ctx.Err() != nil {
		return nil
	}
	return err
}

// PrunePeriodic schedules retention every interval (once across replicas)
// and once at start.
func PrunePeriodic(every time.Duration) *river.PeriodicJob { return periodic(PruneArgs{}, every) }
