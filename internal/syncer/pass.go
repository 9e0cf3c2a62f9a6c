package syncer

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Streams: what a unit of a pass lists. The users stream is the import.
const (
	streamUsers    = "users"
	streamMeetings = "meetings"
	streamWebinars = "webinars"
	streamCalls    = "calls"
)

// pass is one job run's work on a pass.
type pass struct {
	s        *Syncer
	conn     store.Connection
	org      store.Organization
	sp       store.SyncPass
	zc       *zoom.Conn
	deadline time.Time // no new unit starts after it

	mu      sync.Mutex
	retryAt time.Time       // the earliest a stopped stream may go on
	sliced  bool            // a stream stopped for the deadline
	refused map[string]bool // streams Zoom refused for the whole connection

	noWebinarReport atomic.Bool // Zoom does not serve /report/webinars here
	halt            atomic.Bool // a stream met a rate limit: start no more units in this run
}

// unit is one stream's date window for one Zoom user: the checkpoint's grain.
// A unit is listed and written whole, or done again on resume (upserts make
// that harmless), because Zoom's page tokens do not outlive a snooze.
type unit struct {
	stream   string
	user     store.ZoomUser
	from, to time.Time
}

func (u unit) key() string { return u.stream + ":" + u.user.ZoomUserID }

// run imports the users, then lists every due unit, streams side by side
// (their rate-limit buckets differ), and finishes the pass when nothing is left.
func (p *pass) run(ctx context.Context) (Outcome, error) {
	done, err := p.s.st.SyncUnitsDone(ctx, p.sp.ID)
	if err != nil {
		return Outcome{}, err
	}
	if !done[streamUsers] {
		if out, stop, err := p.importStep(ctx); stop || err != nil {
			return out, err
		}
	}
	plan, err := p.plan(ctx, done)
	if err != nil {
		return Outcome{}, err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(plan))
	i := 0
	for stream, units := range plan {
		wg.Add(1)
		go func(i int, stream string, units []unit) {
			defer wg.Done()
			errs[i] = p.runStream(ctx, stream, units)
		}(i, stream, units)
		i++
	}
	wg.Wait()
	if err := errors.Join(errs...); isGrantGone(err) {
		return p.fail(ctx, err)
	} else if err != nil {
		return Outcome{}, err
	}
	if !p.retryAt.IsZero() || p.sliced {
		return Outcome{RetryAt: p.retryAt}, nil
	}
	return p.finish(ctx, store.PassSucceeded)
}

// importStep runs the users unit, turning its rate limit into a snooze.
func (p *pass) importStep(ctx context.Context) (Outcome, bool, error) {
	n, err := p.importUsers(ctx)
	if at, ok := zoom.RateLimitedUntil(err, time.Now()); ok {
		return Outcome{RetryAt: at}, true, nil
	}
	if isGrantGone(err) {
		out, ferr := p.fail(ctx, err)
		return out, true, ferr
	}
	if err != nil {
		return Outcome{}, true, err
	}
	return Outcome{}, false, p.s.st.FinishSyncUnit(ctx, p.sp.ID, streamUsers, store.SyncCounts{Users: n}, p.s.now())
}

// runStream works through one stream's units with a few workers; it stops
// taking units at the deadline, at a rate limit, or at an error that ends
// the pass, and returns only errors worth a retry of the job.
func (p *pass) runStream(ctx context.Context, stream string, units []unit) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan unit)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range min(p.s.cfg.Workers, len(units)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				if err := p.runUnit(ctx, u); err != nil {
					var stop *stopStream
					if errors.As(err, &stop) {
						p.halt.Store(true) // every stream winds down, so the job snoozes soon
					}
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel(err)
				}
			}
		}()
	}
	for i, u := range units {
		if ctx.Err() != nil || p.halt.Load() {
			break
		}
		if i > 0 && time.Now().After(p.deadline) { // each run moves each stream on by a unit at least
			p.mu.Lock()
			p.sliced = true
			p.mu.Unlock()
			break
		}
		select {
		case work <- u:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	return p.settle(firstErr)
}

// settle sorts a stream's stopping error: a rate limit becomes the time to
// come back; anything else (a lost grant, a failure worth a retry) goes up.
func (p *pass) settle(err error) error {
	var stop *stopStream
	if !errors.As(err, &stop) {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.retryAt.IsZero() || stop.at.Before(p.retryAt) {
		p.retryAt = stop.at
	}
	return nil
}

// runUnit lists and writes one unit, then checkpoints it with its cursor.
func (p *pass) runUnit(ctx context.Context, u unit) error {
	var err error
	for attempt := 0; !p.streamIsRefused(u.stream); attempt++ {
		err = p.list(ctx, u)
		if !zoom.IsPageTokenExpired(err) || attempt == 2 {
			break // an expired page token means the window's listing starts over
		}
	}
	listed := err == nil && !p.streamIsRefused(u.stream)
	if err != nil {
		if err = p.classify(ctx, u, err); err != nil {
			return err
		}
	}
	// Only a full listing moves the cursor: a user skipped today gets the
	// whole window once the stream applies to them. (Rows written were
	// counted page by page, in write.)
	return p.s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.FinishSyncUnit(ctx, p.sp.ID, u.key(), store.SyncCounts{}, p.s.now()); err != nil || !listed {
			return err
		}
		if err := p.notePhoneLicence(ctx, tx, u, true); err != nil {
			return err
		}
		return tx.AdvanceSyncCursor(ctx, p.conn.ID, u.stream, u.user.ZoomUserID, p.sp.WindowTo)
	})
}

// list lists one unit's window and writes what it finds.
func (p *pass) list(ctx context.Context, u unit) error {
	var err error
	switch u.stream {
	case streamMeetings:
		_, err = p.meetings(ctx, u)
	case streamWebinars:
		_, err = p.webinars(ctx, u)
	case streamCalls:
		_, err = p.calls(ctx, u)
	}
	return err
}

// finish closes the pass and schedules the next one.
func (p *pass) finish(ctx context.Context, status string) (Outcome, error) {
	now := p.s.now()
	if err := p.s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.FinishSyncPass(ctx, p.sp.ID, status, now.Add(p.s.cfg.Every), now); err != nil {
			return err
		}
		return p.publishCompleted(ctx, tx, status, now)
	}); err != nil {
		return Outcome{}, err
	}
	if err := p.s.st.PruneSyncErrors(ctx, p.conn.ID, now.Add(-p.s.cfg.Window)); err != nil {
		return Outcome{}, err
	}
	return Outcome{Done: true}, nil
}

// fail ends the pass for good: the connection's grant is gone, and nothing
// but a reconnect helps. The connection's status already says so.
func (p *pass) fail(ctx context.Context, cause error) (Outcome, error) {
	now := p.s.now()
	if _, err := p.s.st.ConnectionByID(ctx, p.conn.ID); errors.Is(err, store.ErrNotFound) {
		return Outcome{Done: true}, nil // disconnected: the purge took the pass with it
	}
	if err := p.s.st.RecordSyncError(ctx, store.SyncError{ConnectionID: p.conn.ID, PassID: p.sp.ID, Stream: streamUsers,
		Message: cause.Error(), At: now}); err != nil {
		return Outcome{}, err
	}
	if err := p.s.st.NoteSyncError(ctx, p.conn.ID, connect.CodeOf(cause), cause.Error(), now); err != nil {
		return Outcome{}, err
	}
	return p.finish(ctx, store.PassFailed)
}
