package webhook

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// writerTurns shares SQLite's one writer between the accept path and
// processing so that an acknowledgement never waits behind a backlog: a
// waiting commit goes before every waiting processing chunk, and a chunk
// under way ends early once a commit waits (see Processor.chunk). Processing
// is not starved: the committer is one goroutine, so when it releases the
// writer no other commit is waiting and a waiting chunk gets its turn before
// the next commit. A nil *writerTurns (PostgreSQL, many writers) never waits.
type writerTurns struct {
	mu      sync.Mutex
	held    bool
	commits []chan struct{}
	chunks  []chan struct{}
	stored  atomic.Int64 // events in the last commit
}

// committed records how many events a commit stored.
func (t *writerTurns) committed(n int) {
	if t != nil {
		t.stored.Store(int64(n))
	}
}

// yieldAfter is how many events a chunk processes before it yields to a
// waiting commit: as many as the last commit stored, so that between two
// commits processing gains as much as accepting added, but at least
// chunkMin and at most yieldMax, so that a stall (big commits) does not make
// the next commit wait for a big chunk too.
func (t *writerTurns) yieldAfter() int {
	if t == nil {
		return chunkMax
	}
	return int(min(max(t.stored.Load(), chunkMin), yieldMax))
}

const yieldMax = 64

// acquire waits for the writer; commit says which queue to wait in.
func (t *writerTurns) acquire(commit bool) {
	if t == nil {
		return
	}
	t.mu.Lock()
	if !t.held && (commit || len(t.commits) == 0) {
		t.held = true
		t.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	if commit {
		t.commits = append(t.commits, ch)
	} else {
		t.chunks = append(t.chunks, ch)
	}
	t.mu.Unlock()
	<-ch // handed over by release, still held
}

// release hands the writer to the first waiting commit, else to the first
// waiting chunk.
func (t *writerTurns) release() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var next chan struct{}
	switch {
	case len(t.commits) > 0:
		next, t.commits = t.commits[0], t.commits[1:]
	case len(t.chunks) > 0:
		next, t.chunks = t.chunks[0], t.chunks[1:]
	default:
		t.held = false
		return
	}
	close(next)
}

// commitWaiting reports whether a commit waits for the writer.
func (t *writerTurns) commitWaiting() bool {
	if t == nil {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.commits) > 0
}

// acceptPace keeps processing from crowding out acknowledgements on
// PostgreSQL, where commits and processing run at once and share the CPUs
// with the database server: while events are being accepted, a sweep rests
// after each chunk as long as the chunk took, leaving the accept path at
// least half the time. A nil *acceptPace (SQLite, which has writerTurns)
// never rests.
type acceptPace struct{ last atomic.Int64 }

// committed records that a commit just finished.
func (p *acceptPace) committed() {
	if p != nil {
		p.last.Store(time.Now().UnixNano())
	}
}

// rest waits after a chunk that took took, if a commit finished lately.
func (p *acceptPace) rest(ctx context.Context, took time.Duration) {
	if p == nil || time.Since(time.Unix(0, p.last.Load())) > paceRecent {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(min(took, paceMaxRest)):
	}
}

const (
	paceRecent  = 5 * time.Millisecond
	paceMaxRest = 50 * time.Millisecond
)
