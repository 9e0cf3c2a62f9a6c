package webhook_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// When an event cannot be stored the answer is 503, never a 4xx: Zoom
// retries a 5xx and drops an event answered with any 4xx for good.

func shortWait(c *webhook.Config) { c.Wait = 300 * time.Millisecond }

func TestBusyDatabaseIs503AndTheRetryIsStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d, shortWait)
		// Another transaction holds the write path: on SQLite the single
		// writer connection, on PostgreSQL a lock on the inbox.
		other, err := h.st.DB().BeginTx(h.ctx, nil)
		must(t, err)
		if d == store.Postgres {
			_, err = other.Exec("LOCK TABLE webhook_inbox IN ACCESS EXCLUSIVE MODE")
			must(t, err)
		}
		body := example(t, "meeting.ended")
		if code := h.deliver(body); code != http.StatusServiceUnavailable {
			t.Fatalf("database busy: got %d, want 503", code)
		}
		if h.rejected("timeout") != 1 {
			t.Fatal("503 not counted as rejected{reason=timeout}")
		}
		must(t, other.Rollback())
		h.now.Add(5 * 60_000) // Zoom's first retry
		if code := h.deliver(body); code != http.StatusOK {
			t.Fatalf("retry once the database is free: got %d, want 200", code)
		}
		if evs := h.inbox(); len(evs) != 1 {
			t.Fatalf("%d events stored, want 1", len(evs))
		}
	})
}

func TestDiskFullIs503(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite, shortWait)
	// SQLite reports a full disk when the file may not grow: cap it at its size
	// (the pragma holds for the single writer connection).
	var pages int64
	must(t, h.st.DB().QueryRow("PRAGMA page_count").Scan(&pages))
	_, err := h.st.DB().Exec("PRAGMA max_page_count = " + itoa(pages))
	must(t, err)
	// A large field meeting.ended keeps (others are cut before the write).
	big := []byte(`{"event":"meeting.ended","event_ts":1,"payload":{"account_id":"a","object":{"uuid":"u","topic":"` + strings.Repeat("x", 200_000) + `"}}}`)
	if code := h.deliver(big); code != http.StatusServiceUnavailable {
		t.Fatalf("disk full: got %d, want 503", code)
	}
	if h.rejected("store_failed") != 1 {
		t.Fatal("503 not counted as rejected{reason=store_failed}")
	}
	_, err = h.st.DB().Exec("PRAGMA max_page_count = 1073741823")
	must(t, err)
	if code := h.deliver(big); code != http.StatusOK {
		t.Fatalf("with room again: got %d, want 200", code)
	}
}

func TestShuttingDownIs503(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite)
	must(t, h.svc.Close(context.Background()))
	if code := h.deliver(example(t, "meeting.ended")); code != http.StatusServiceUnavailable {
		t.Fatalf("shutting down: got %d, want 503", code)
	}
	if n := len(h.inbox()); n != 0 {
		t.Fatalf("%d events stored while shutting down", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
