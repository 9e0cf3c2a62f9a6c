package webhook_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// Every stored event counts on a queued sweep: the first commit inserts one,
// later commits find it queued and not started and rely on it (no job per
// commit); once it has started, the next commit queues another. Running the
// queued sweep processes every event.
func TestOneQueuedSweepServesManyCommits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d)
		f := h.fixture("sweep")
		ended := example(t, "meeting.ended")
		const n = 5
		for i := range n {
			body := bytes.Replace(ended, []byte(`"uuid":"`), []byte(fmt.Sprintf(`"uuid":"sweep-%d-`, i)), 1)
			if code := h.deliver(body); code != http.StatusOK {
				t.Fatalf("delivery %d: %d", i, code)
			}
		}
		sweeps := h.sweeps()
		if len(sweeps) != 1 || len(h.inbox()) != n {
			t.Fatalf("%d events stored in %d commits queued sweeps %v; want one sweep", len(h.inbox()), n, sweeps)
		}
		first := h.inbox()[0].ID
		if sweeps[0] >= first {
			t.Fatalf("sweep after id %d does not cover the first event %d", sweeps[0], first)
		}

		// River fetches it: the next commit cannot count on it and queues its own.
		_, err := h.st.DB().ExecContext(h.ctx, "UPDATE river_job SET state = 'running' WHERE kind = 'webhook_sweep'")
		must(t, err)
		late := bytes.Replace(ended, []byte(`"uuid":"`), []byte(`"uuid":"sweep-late-`), 1)
		if code := h.deliver(late); code != http.StatusOK {
			t.Fatal(code)
		}
		evs := h.inbox()
		if sweeps = h.sweeps(); len(sweeps) != 2 || sweeps[1] >= evs[len(evs)-1].ID || sweeps[1] < evs[len(evs)-2].ID {
			t.Fatalf("after the first sweep started: sweeps from %v, events %d..%d", sweeps, evs[0].ID, evs[len(evs)-1].ID)
		}

		must(t, h.svc.Processor.Sweep(h.ctx, sweeps[0]))
		for _, ev := range h.inbox() {
			if ev.ProcessedAt.IsZero() || ev.Outcome != "applied" {
				t.Errorf("event %d after the sweep: processed %v, outcome %q", ev.ID, ev.ProcessedAt, ev.Outcome)
			}
		}
		if got := len(h.activities(f.meetings)); got != n+1 {
			t.Fatalf("%d activities, want %d", got, n+1)
		}
	})
}

// sweeps returns the AfterID of each queued or running sweep, in job order.
func (h *harness) sweeps() []int64 {
	h.t.Helper()
	rows, err := h.st.DB().QueryContext(h.ctx, "SELECT args FROM river_job WHERE kind = 'webhook_sweep' ORDER BY id")
	must(h.t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var raw []byte
		must(h.t, rows.Scan(&raw))
		var a struct {
			AfterID int64 `json:"after_id"`
		}
		must(h.t, json.Unmarshal(raw, &a))
		out = append(out, a.AfterID)
	}
	must(h.t, rows.Err())
	return out
}
