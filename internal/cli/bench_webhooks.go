package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// runBenchWebhooks is `zoombridge bench webhooks`: it measures, on this
// machine with the load generator beside the server, (1) a handler that only
// reads and verifies deliveries, as the ceiling, (2) verified events durably
// accepted per second by the real server (inbox row and job committed before
// each 200, processing jobs running), and (3) answer times at a fixed offered
// rate, timed from each request's scheduled send so a stall is not hidden.
func runBenchWebhooks(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench webhooks", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	dur := fs.Duration("duration", 5*time.Second, "length of each measured phase")
	conc := fs.Int("concurrency", 64, "concurrent senders for the throughput phases")
	rate := fs.Int("rate", 5000, "offered events per second for the answer-time phase")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "zoombridge-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg, err := config.Load(append(env, "ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR="+dir, "ZOOMBRIDGE_DATABASE_URL="+*dbURL,
		"ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET="+benchSecret, "ZOOMBRIDGE_ENCRYPTION_KEY="+strings.Repeat("ab", 32)))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	// A fresh organization and Zoom account per run, so runs can share a database.
	gen := &loadGen{account: fmt.Sprintf("bench-%d", time.Now().UnixNano()), client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 1024}, Timeout: 10 * time.Second}}

	base, stop, err := verifyOnlyServer()
	if err != nil {
		return err
	}
	ceiling := gen.closedLoop(base, *conc, *dur)
	stop()

	srv, err := server.Open(ctx, cfg, server.Options{Logger: log})
	if err != nil {
		return err
	}
	defer srv.Shutdown(context.WithoutCancel(ctx))
	if err := benchSeed(ctx, srv.Store, gen.account); err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	url := srv.URL() + "/webhooks/zoom"
	gen.closedLoop(url, *conc, time.Second) // warm up connections and caches
	accepted := gen.closedLoop(url, *conc, *dur)
	lat := gen.openLoop(url, *rate, *dur)

	fmt.Fprintf(stdout, "zoombridge bench webhooks: %s, %d CPUs, %d senders, %s per phase, %d-byte signed meeting.ended bodies\n",
		srv.Store.Dialect(), numCPU(), *conc, *dur, len(gen.body(0)))
	fmt.Fprintf(stdout, "verify-only handler (ceiling):     %8.0f events/s\n", ceiling.perSec)
	fmt.Fprintf(stdout, "verified + durably stored (200):   %8.0f events/s  (%.2f× the ceiling; %d non-200)\n",
		accepted.perSec, accepted.perSec/ceiling.perSec, accepted.failed)
	fmt.Fprintf(stdout, "answer time at %d events/s offered: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d sent, %d non-200)\n",
		*rate, ms(lat.p(0.50)), ms(lat.p(0.99)), ms(lat.p(1)), lat.n, lat.failed)
	return nil
}

const benchSecret = "bench-webhook-secret"

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func numCPU() int { return runtime.NumCPU() }

// benchSeed gives the events' host a connection and a person, so processing
// writes real activities while the receiver is measured.
func benchSeed(ctx context.Context, st *store.Store, account string) error {
	now := time.Now()
	org, err := st.CreateOrganization(ctx, "Bench "+account, account, now)
	if err != nil {
		return err
	}
	if _, err := st.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: "host@example.com"}, now); err != nil {
		return err
	}
	c, err := st.CreateConnection(ctx, store.Connection{OrgID: org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: account}, now)
	if err != nil {
		return err
	}
	_, err = st.UpsertZoomUser(ctx, store.ZoomUser{OrgID: org.ID, ConnectionID: c.ID, ZoomUserID: "bench-host", Email: "host@example.com"}, now)
	return err
}

// verifyOnlyServer answers 200 after reading and verifying, storing nothing.
func verifyOnlyServer() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhook.MaxBody))
		if err != nil {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		_, err = webhook.Verify([][]byte{[]byte(benchSecret)}, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, time.Now())
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
		}
	})
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

type loadGen struct {
	account string
	client  *http.Client
	seq     atomic.Int64
}

func (g *loadGen) body(i int64) []byte {
	return []byte(fmt.Sprintf(`{"event":"meeting.ended","event_ts":%d,"payload":{"account_id":"%s","object":{"id":"%d","uuid":"bench-%d==","host_id":"bench-host","topic":"Weekly pipeline review","type":2,"start_time":"2026-11-02T09:00:00Z","timezone":"America/Los_Angeles","duration":30,"end_time":"2026-11-02T09:31:10Z"}}}`,
		1762074000000+i, g.account, 80000000000+i, i))
}

// send posts one new signed event and reports whether it got a 200.
func (g *loadGen) send(url string) bool {
	body := g.body(g.seq.Add(1))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(webhook.HeaderTimestamp, ts)
	req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(benchSecret), ts, body))
	resp, err := g.client.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

type throughput struct {
	perSec float64
	failed int64
}

// closedLoop keeps conc requests in flight for d.
func (g *loadGen) closedLoop(url string, conc int, d time.Duration) throughput {
	var ok, failed atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if g.send(url) {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return throughput{perSec: float64(ok.Load()) / time.Since(start).Seconds(), failed: failed.Load()}
}

type latencies struct {
	all    []time.Duration
	n      int
	failed int
}

func (l latencies) p(q float64) time.Duration {
	if len(l.all) == 0 {
		return 0
	}
	i := int(q * float64(len(l.all)-1))
	return l.all[i]
}

// openLoop offers rate requests per second for d, each timed from when it
// was due, whatever the server's pace.
func (g *loadGen) openLoop(url string, rate int, d time.Duration) latencies {
	n := int(float64(rate) * d.Seconds())
	due := make(chan time.Time, n)
	var mu sync.Mutex
	res := latencies{n: n}
	var wg sync.WaitGroup
	for range 512 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for at := range due {
				if wait := time.Until(at); wait > 0 {
					time.Sleep(wait)
				}
				ok := g.send(url)
				el := time.Since(at)
				mu.Lock()
				res.all = append(res.all, el)
				if !ok {
					res.failed++
				}
				mu.Unlock()
			}
		}()
	}
	start := time.Now().Add(50 * time.Millisecond)
	for i := range n {
		due <- start.Add(time.Duration(i) * time.Second / time.Duration(rate))
	}
	close(due)
	wg.Wait()
	sort.Slice(res.all, func(i, j int) bool { return res.all[i] < res.all[j] })
	return res
}
