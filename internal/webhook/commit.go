package webhook

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Errors that make the receiver answer 503, so that Zoom retries.
var (
	ErrShuttingDown = errors.New("shutting down")
	ErrOverloaded   = errors.New("overloaded")
)

// Enqueuer inserts jobs in the caller's transaction (River's client).
type Enqueuer interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// committer stores events with group commit: a request appends its event to
// a pending list and waits; a committing goroutine, started on demand, takes
// everything pending and writes it in one transaction, inbox rows and their
// jobs together, so concurrent events share one fsync. SQLite has a single
// writer, so it gets one commit slot; PostgreSQL a few, to overlap fsyncs.
type committer struct {
	st       *store.Store
	jobs     Enqueuer
	slots    chan struct{}
	maxBatch int
	maxQueue int
	timeout  time.Duration
	observe  func(batch int, err error)
	turns    *writerTurns  // SQLite: commits go before processing chunks
	pace     *acceptPace   // PostgreSQL: tells processing commits are under way
	delay    time.Duration // test-only: a slow disk (Config.CommitDelay)

	mu      sync.Mutex
	pending []*pendingEvent
	closed  bool
}

type pendingEvent struct {
	ev        store.InboxEvent
	done      chan struct{}
	abandoned atomic.Bool
	id        int64
	isNew     bool
	err       error
}

func newCommitter(st *store.Store, jobs Enqueuer, turns *writerTurns, pace *acceptPace, observe func(int, error)) *committer {
	slots := 1
	if st.Dialect() == store.Postgres {
		// Two overlap one commit's fsync with the next one's statements; four
		// only added backends competing for the CPUs (bench webhooks, 2 cores).
		slots = 2
	}
	return &committer{st: st, jobs: jobs, slots: make(chan struct{}, slots), maxBatch: 500, maxQueue: 20000,
		timeout: 10 * time.Second, observe: observe, turns: turns, pace: pace}
}

// submit stores ev durably (or finds it already stored) before it returns.
func (c *committer) submit(ctx context.Context, ev store.InboxEvent) (id int64, isNew bool, err error) {
	p := &pendingEvent{ev: ev, done: make(chan struct{})}
	c.mu.Lock()
	switch {
	case c.closed:
		err = ErrShuttingDown
	case len(c.pending) >= c.maxQueue:
		err = ErrOverloaded
	default:
		c.pending = append(c.pending, p)
	}
	c.mu.Unlock()
	if err != nil {
		return 0, false, err
	}
	c.kick()
	select {
	case <-p.done:
		return p.id, p.isNew, p.err
	case <-ctx.Done():
		// Zoom gets a 503 and retries; if the commit still lands, the retry is a duplicate.
		p.abandoned.Store(true)
		return 0, false, ctx.Err()
	}
}

// kick starts a committing goroutine if a slot is free; a busy one picks the
// new event up on its next round.
func (c *committer) kick() {
	select {
	case c.slots <- struct{}{}:
		go c.run()
	default:
	}
}

func (c *committer) run() {
	last := 0
	for {
		c.gather(last)
		batch := c.take()
		last = len(batch)
		if len(batch) == 0 {
			<-c.slots
			// An event appended after take found every slot busy: serve it.
			c.mu.Lock()
			more := len(c.pending) > 0
			c.mu.Unlock()
			if more {
				c.kick()
			}
			return
		}
		c.commit(batch)
	}
}

// Under load a commit's fixed cost (its transaction, WAL frames, fsync) is
// most of its cost, so when the last commit carried more than one event,
// the next one waits up to gatherWait for gatherTarget events: a fraction
// of a millisecond on the answer for far fewer commits. A lone event (light
// load) is committed at once.
const (
	gatherWait   = 200 * time.Microsecond
	gatherTarget = 32
)

func (c *committer) gather(last int) {
	if last <= 1 {
		return
	}
	c.mu.Lock()
	n := len(c.pending)
	c.mu.Unlock()
	if n < gatherTarget {
		time.Sleep(gatherWait)
	}
}

func (c *committer) take() []*pendingEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	var batch []*pendingEvent
	n := 0
	for n < len(c.pending) && len(batch) < c.maxBatch {
		p := c.pending[n]
		n++
		if p.abandoned.Load() {
			continue
		}
		batch = append(batch, p)
	}
	c.pending = append(c.pending[:0], c.pending[n:]...)
	return batch
}

func (c *committer) commit(batch []*pendingEvent) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	// A fixed order keeps two PostgreSQL batches from deadlocking on each other's keys.
	sort.Slice(batch, func(i, j int) bool { return batch[i].ev.DedupKey < batch[j].ev.DedupKey })
	err := c.write(ctx, batch)
	if err != nil && len(batch) > 1 && ctx.Err() == nil {
		// One bad event must not fail the others: write each alone.
		for _, p := range batch {
			p.err = c.write(ctx, []*pendingEvent{p})
		}
	} else {
		for _, p := range batch {
			p.err = err
		}
	}
	c.pace.committed()
	if c.observe != nil {
		c.observe(len(batch), err)
	}
	for _, p := range batch {
		close(p.done)
	}
}

// write stores a batch with one multi-row insert and makes sure a sweep will
// process its new events, in the same transaction.
func (c *committer) write(ctx context.Context, batch []*pendingEvent) error {
	evs := make([]store.InboxEvent, len(batch))
	for i, p := range batch {
		evs[i] = p.ev
	}
	c.turns.acquire(true)
	defer c.turns.release()
	return c.st.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		ids, isNew, err := tx.InsertInboxEvents(ctx, evs)
		if err != nil {
			return err
		}
		var first int64
		for i, p := range batch {
			p.id, p.isNew = ids[i], isNew[i]
			if isNew[i] && (first == 0 || ids[i] < first) {
				first = ids[i]
			}
		}
		c.turns.committed(len(batch))
		if c.delay > 0 {
			time.Sleep(c.delay)
		}
		if first == 0 {
			return nil // only duplicates
		}
		return c.enqueue(ctx, sqlTx, first)
	})
}

// enqueue makes sure a sweep processes the events just stored (ids from
// first on): a sweep that is queued and not yet started will, since it takes
// everything pending above its AfterID once it starts, and it cannot start
// before this transaction commits (on SQLite this transaction has the one
// writer; on PostgreSQL it locks the job's row, which River's fetch passes
// by). Only when there is none is a job inserted: inserting one per commit
// cost more than the commit's events, and queued faster than River fetches.
func (c *committer) enqueue(ctx context.Context, tx *sql.Tx, first int64) error {
	q, args := "SELECT id FROM river_job WHERE state = 'available' AND queue = ? AND kind = ? LIMIT 1", []any{Queue, SweepArgs{}.Kind()}
	if c.st.Dialect() == store.Postgres {
		// Ids are handed out before commit, so a commit under way may hold lower
		// ones than a sweep queued since: only a sweep from below covers them.
		q = "SELECT id FROM river_job WHERE state = 'available' AND queue = $1 AND kind = $2" +
			" AND (args->>'after_id')::bigint < $3 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
		args = append(args, first)
	}
	var id int64
	err := tx.QueryRowContext(ctx, q, args...).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return err // nil: that sweep will do
	}
	_, err = c.jobs.InsertManyTx(ctx, tx, []river.InsertManyParams{{Args: SweepArgs{AfterID: first - 1}}})
	return err
}

// close refuses new events and waits until every commit under way is done.
func (c *committer) close(ctx context.Context) error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	for i := 0; i < cap(c.slots); i++ {
		select {
		case c.slots <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
