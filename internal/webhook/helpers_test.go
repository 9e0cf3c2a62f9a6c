package webhook_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/metrics"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

const secret = "zoom-webhook-secret-token"

// t0 is the harness clock's start; Zoom's examples carry 2021 event_ts values,
// which does not matter: the replay window is on the signed header.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// harness is the receiver over a real database with a real job queue client
// that inserts but does not work, so tests process events when they choose.
type harness struct {
	t   *testing.T
	ctx context.Context
	st  *store.Store
	svc *webhook.Service
	reg *prometheus.Registry
	srv *httptest.Server
	now atomic.Int64 // unix ms
}

func newHarness(t *testing.T, d store.Dialect, opts ...func(*webhook.Config)) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), st: testdb.Open(t, d)}
	h.now.Store(t0.UnixMilli())
	if err := jobs.Migrate(h.ctx, h.st); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := jobs.New(h.st, jobs.Config{InsertOnly: true}, log, metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	h.reg = prometheus.NewRegistry()
	// A generous commit wait: these tests are about what is stored, on
	// machines that may be loaded (the 1 s answer bound has its own test).
	cfg := webhook.Config{Store: h.st, Log: log, Now: h.clock, Registry: h.reg, DeploymentClientID: "deployment-client", Wait: 10 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	h.svc = webhook.New(cfg)
	h.svc.Enqueue(q.Client())
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/zoom", h.svc.Receiver.Handler(webhook.DeploymentApp(secret)))
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) clock() time.Time { return time.UnixMilli(h.now.Load()).UTC() }

// post sends body with the given timestamp and signature headers ("" omits one).
func (h *harness) post(path string, body []byte, ts, sig string) (int, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if ts != "" {
		req.Header.Set(webhook.HeaderTimestamp, ts)
	}
	if sig != "" {
		req.Header.Set(webhook.HeaderSignature, sig)
	}
	return do(h.t, req)
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// deliver sends body signed as Zoom does, stamped with the harness clock.
func (h *harness) deliver(body []byte) int {
	h.t.Helper()
	ts := strconv.FormatInt(h.clock().Unix(), 10)
	code, _ := h.post("/webhooks/zoom", body, ts, webhook.Sign([]byte(secret), ts, body))
	return code
}

// processAll processes every stored, unprocessed event as the worker would.
func (h *harness) processAll() {
	h.t.Helper()
	evs, err := h.st.InboxEvents(h.ctx, store.InboxFilter{Unprocessed: true})
	must(h.t, err)
	for _, ev := range evs {
		must(h.t, h.svc.Processor.Process(h.ctx, ev.ID))
	}
}

func (h *harness) inbox() []store.InboxEvent {
	h.t.Helper()
	evs, err := h.st.InboxEvents(h.ctx, store.InboxFilter{})
	must(h.t, err)
	return evs
}

// jobsQueued counts processing jobs in River's table.
func (h *harness) jobsQueued() int {
	h.t.Helper()
	var n int
	must(h.t, h.st.DB().QueryRow("SELECT COUNT(*) FROM river_job WHERE kind IN ('webhook_sweep', 'webhook_events')").Scan(&n))
	return n
}

func (h *harness) rejected(reason string) float64 {
	return value(h.svc.Metrics.Rejected.WithLabelValues(reason))
}

func value(c prometheus.Metric) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// example reads one of Zoom's documented example payloads (zoom-api.md §5.6).
func example(t *testing.T, event string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/zoom/" + event + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
