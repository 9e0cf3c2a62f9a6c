package outbound_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/metrics"
	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// clock is the emulated time deliveries are scheduled by.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// fixture is one organization with the outbound service and a running job
// queue over a real database.
type fixture struct {
	st    *store.Store
	svc   *outbound.Service
	clock *clock
	org   store.Organization
}

func newFixture(t *testing.T, d store.Dialect) *fixture {
	t.Helper()
	return newFixtureWith(t, d, func(*outbound.Config) {})
}

// newFixtureWith is newFixture with the service's configuration changed by set.
func newFixtureWith(t *testing.T, d store.Dialect, set func(*outbound.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	st := testdb.Open(t, d)
	must(t, jobs.Migrate(ctx, st))
	v, err := vault.New(bytes.Repeat([]byte{9}, 32))
	must(t, err)
	f := &fixture{st: st, clock: &clock{now: t0}}
	tw := &testWriter{t: t}
	t.Cleanup(func() { tw.done.Store(true) }) // runs last: later lines are dropped
	log := slog.New(slog.NewTextHandler(tw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := outbound.Config{Store: st, Vault: v, Log: log, Now: f.clock.Now, Wall: f.clock.Now, Guard: &outbound.Guard{Allow: loopback}}
	set(&cfg)
	f.svc = outbound.New(cfg)
	q, err := jobs.New(st, jobs.Config{Workers: 4, Register: f.svc.AddWorkers}, log, metrics.New())
	must(t, err)
	must(t, outbound.AddQueue(q.Client()))
	must(t, q.Start(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		q.Stop(sctx)
	})
	t.Cleanup(f.svc.Use(q.Client()))
	f.org, err = st.CreateOrganization(ctx, "Acme", "acme", t0)
	must(t, err)
	return f
}

// publish commits a change's event as a feature does.
func (f *fixture) publish(t *testing.T, eventType string, data any) {
	t.Helper()
	must(t, f.st.InTx(context.Background(), func(tx *store.Store, _ *sql.Tx) error {
		return outbound.Publish(context.Background(), tx, f.org.ID, eventType, data, f.clock.Now())
	}))
}

// receiver is a host product on loopback answering from a script.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	script []func(w http.ResponseWriter)
	got    []received
	hits   chan struct{}
}

type received struct {
	at     time.Time // emulated
	header http.Header
	body   []byte
	path   string
}

func newReceiver(t *testing.T, c *clock, script ...func(w http.ResponseWriter)) *receiver {
	r := &receiver{script: script, hits: make(chan struct{}, 100)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{at: c.Now(), header: req.Header.Clone(), body: body, path: req.URL.Path})
		n := len(r.got)
		r.mu.Unlock()
		if n <= len(r.script) {
			r.script[n-1](w)
		}
		r.hits <- struct{}{}
	}))
	t.Cleanup(r.Close)
	return r
}

// signedAt is when a request says it was signed (webhook-timestamp).
func (r received) signedAt() time.Time {
	ts, _ := strconv.ParseInt(r.header.Get("webhook-timestamp"), 10, 64)
	return time.Unix(ts, 0)
}

func status(code int) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) { w.WriteHeader(code); io.WriteString(w, http.StatusText(code)) }
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// wait returns once the receiver has had n requests.
func (r *receiver) wait(t *testing.T, n int) {
	t.Helper()
	if !r.within(n, 20*time.Second) {
		t.Fatalf("the receiver had %d requests, want %d", len(r.requests()), n)
	}
}

func (r *receiver) within(n int, d time.Duration) bool {
	deadline := time.After(d)
	for len(r.requests()) < n {
		select {
		case <-r.hits:
		case <-deadline:
			return false
		}
	}
	return true
}

// waitDelivery is wait that, failing, shows the deliveries and the jobs.
func (f *fixture) waitDelivery(t *testing.T, r *receiver, n int) {
	t.Helper()
	if r.within(n, 20*time.Second) {
		return
	}
	rows, err := f.st.DB().Query("SELECT id, kind, state, queue, attempt, CAST(args AS TEXT), scheduled_at FROM river_job ORDER BY id")
	if err == nil {
		for rows.Next() {
			var id, attempt int64
			var kind, state, queue, args string
			var at any
			rows.Scan(&id, &kind, &state, &queue, &attempt, &args, &at)
			t.Logf("job %d %s %s %s attempt %d %s at %v", id, kind, state, queue, attempt, args, at)
		}
		rows.Close()
	}
	ds, _ := f.st.OutboundDeliveries(context.Background(), f.org.ID, 1, "", 0, 10)
	t.Fatalf("the receiver had %d requests, want %d; clock %s; deliveries %+v", len(r.requests()), n, f.clock.Now(), ds)
}

// delivery waits until the only delivery of the organization's endpoint
// satisfies ok, and returns it.
func (f *fixture) delivery(t *testing.T, endpointID int64, ok func(store.OutboundDelivery) bool) store.OutboundDelivery {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ds, err := f.st.OutboundDeliveries(context.Background(), f.org.ID, endpointID, "", 0, 10)
		must(t, err)
		if len(ds) > 0 {
			// Settled: every attempt a claim counted is recorded. The log is
			// read before the delivery again, so a claim read before its
			// attempt's record (which also moves next_attempt_at from the
			// lease to the retry) is not taken for a settled state.
			as, err := f.st.OutboundAttempts(context.Background(), ds[0].ID)
			must(t, err)
			ds, err = f.st.OutboundDeliveries(context.Background(), f.org.ID, endpointID, "", 0, 10)
			must(t, err)
			if ok(ds[0]) && (len(as) == ds[0].Attempts || ds[0].LastError == outbound.ErrCodeDisabled) {
				return ds[0]
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery never reached the expected state: %+v", ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// testWriter sends the service's and River's warnings to the test's log
// until the test ends.
type testWriter struct {
	t    *testing.T
	done atomic.Bool
}

func (w *testWriter) Write(b []byte) (int, error) {
	if !w.done.Load() {
		w.t.Log(strings.TrimSpace(string(b)))
	}
	return len(b), nil
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
