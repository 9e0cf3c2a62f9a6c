package webhook

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
)

// Queue is the job queue sweeps run in, one at a time per process: SQLite
// has one writer, and on PostgreSQL sweeps of several replicas pass each
// other's rows by.
const Queue = "webhooks"

// SweepArgs is the job that processes stored events: every event not yet
// processed with an id above AfterID. The transaction that stores events
// either inserts one or, when one is queued and not started, locks it
// instead (see committer.enqueue), so one job serves many group commits and
// the queue's pace never limits processing.
type SweepArgs struct {
	AfterID int64 `json:"after_id"`
}

// Kind names the job in the queue.
func (SweepArgs) Kind() string { return "webhook_sweep" }

// InsertOpts puts sweeps in their own queue.
func (SweepArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: Queue} }

// SweepWorker runs SweepArgs jobs.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	p *Processor
}

// Work sweeps; an error retries the job with backoff, and the retry skips
// the events already processed.
func (w *SweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	return w.p.Sweep(ctx, job.Args.AfterID)
}

// sweepFor is how long a sweep goes on taking events stored after it
// started; a queued sweep takes over from there. When fewer than sweepBatch
// events are pending, a sweep waits sweepWait once for more: a few
// milliseconds more lag for far fewer, fuller chunks.
const (
	sweepFor   = 30 * time.Second
	sweepBatch = 64
	sweepWait  = 10 * time.Millisecond
)

// Sweep processes every pending event with an id above after, chunk by
// chunk, until none is left, and at least every one stored before it began:
// those may have counted on this sweep (committer.enqueue), later ones have
// a sweep of their own. Events that fail alone are left for the job's retry,
// after the others are done.
func (p *Processor) Sweep(ctx context.Context, after int64) error {
	last, err := p.st.MaxInboxID(ctx)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(sweepFor)
	var errs []error
	waited := false
	for cursor := after; cursor < last || time.Now().Before(deadline); {
		if p.delay > 0 { // test-only: a slow processor, caught between chunks
			time.Sleep(p.delay)
		}
		ids, err := p.st.PendingInboxIDsAfter(ctx, cursor, chunkMax)
		if err != nil || len(ids) == 0 {
			return errors.Join(append(errs, err)...)
		}
		if len(ids) < sweepBatch && !waited {
			// A trickle: let more arrive, so that a chunk's fixed cost (its
			// lookups, transaction and fsync) is shared by more events.
			waited = true
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(sweepWait):
			}
			continue
		}
		waited = false
		began := time.Now()
		c, err := p.chunk(ctx, ids, true)
		p.pace.rest(ctx, time.Since(began))
		switch {
		case err != nil && ctx.Err() != nil:
			return err
		case err != nil:
			// One bad event must not hold back the others: each alone.
			for _, id := range ids {
				if err := p.Process(ctx, id); err != nil {
					errs = append(errs, err)
				}
			}
			cursor = ids[len(ids)-1]
		case c.n == 0:
			cursor = ids[len(ids)-1] // processed or held by another sweep meanwhile
		default:
			cursor = c.last
			if len(c.left) > 0 {
				cursor = min(cursor, c.left[0]-1)
			}
		}
	}
	return errors.Join(errs...)
}
