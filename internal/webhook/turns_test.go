package webhook

import (
	"testing"
	"time"
)

// A commit waiting for SQLite's writer goes before processing chunks that
// waited longer; a chunk gets the writer whenever no commit waits.
func TestWriterTurnsPutCommitsFirst(t *testing.T) {
	t.Parallel()
	var w writerTurns
	w.acquire(false) // a chunk holds the writer
	order := make(chan string, 3)
	queued := func(commits, chunks int) {
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			w.mu.Lock()
			ok := len(w.commits) == commits && len(w.chunks) == chunks
			w.mu.Unlock()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiters never queued: want %d commits, %d chunks", commits, chunks)
			}
		}
	}
	take := func(name string, commit bool) {
		w.acquire(commit)
		order <- name
		w.release()
	}
	go take("chunk", false)
	queued(0, 1)
	if w.commitWaiting() {
		t.Fatal("a commit waits before any was queued")
	}
	go take("commit", true)
	queued(1, 1)
	if !w.commitWaiting() {
		t.Fatal("the holding chunk is not told a commit waits")
	}
	w.release()
	if a, b := <-order, <-order; a != "commit" || b != "chunk" {
		t.Fatalf("turns went %s then %s; want the commit first", a, b)
	}
	// Free again: either side takes it at once.
	w.acquire(false)
	w.release()
	w.acquire(true)
	w.release()
	var nilTurns *writerTurns // PostgreSQL
	nilTurns.acquire(true)
	nilTurns.release()
}
