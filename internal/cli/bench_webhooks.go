package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// runBenchWebhooks is `zoombridge bench webhooks`: it measures, on this
// machine with the load generator beside the server, (1) a handler that only
// reads and verifies deliveries, as the ceiling; with the real server (inbox
// rows committed, and their processing enqueued, before each 200): (2)
// verified events durably accepted per second with processing paused (burst
// capacity), (3) that backlog processed into activities alone, (4) accepts
// per second with processing running beside them, and (5) answer times at a
// fixed offered rate, timed from each request's scheduled send so a stall is
// not hidden. Each phase starts with nothing left to process, and reports
// this process's CPU time per event (server and load generator), which is
// steadier than events/s on a shared machine.
func runBenchWebhooks(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench webhooks", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	dur := fs.Duration("duration", 5*time.Second, "length of each measured phase")
	conc := fs.Int("concurrency", 64, "concurrent senders for the throughput phases")
	rate := fs.Int("rate", 5000, "offered events per second for the answer-time phase")
	node := fs.String("node-receiver", "", "also measure Zoom's own Node receiver under the same load: the shell command that starts it (make bench-webhooks: node conformance/dist/bench-receiver.js)")
	profile := fs.String("profile", "", "write CPU, block and mutex profiles of each server phase to PREFIX.<phase>.{cpu,block,mutex}")
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
	var rivet throughput
	if *node != "" {
		if rivet, err = nodeReceiver(*node, gen, *conc, *dur); err != nil {
			return err
		}
	}

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
	prof, err := startProfiles(*profile)
	if err != nil {
		return err
	}
	gen.closedLoop(url, *conc, time.Second) // warm up connections and caches
	b := &benchServer{srv: srv}
	if err := b.drain(ctx); err != nil {
		return err
	}
	prof.phase("warmup")

	// Burst: processing paused, so the accept path has the writer to itself
	// (what Zoom sees while a backlog waits); then processing alone drains it.
	if err := b.pause(ctx); err != nil {
		return err
	}
	b.mark()
	burst := gen.closedLoop(url, *conc, *dur)
	burstBatch := b.batch()
	prof.phase("burst")
	if err := srv.Jobs.Client().QueueResume(ctx, webhook.Queue, nil); err != nil {
		return err
	}
	drainStart, drainCPU, before := time.Now(), cpuTime(), b.processed()
	if err := b.drain(ctx); err != nil {
		return err
	}
	processRate := float64(b.processed()-before) / time.Since(drainStart).Seconds()
	processCPU := perEvent(cpuTime()-drainCPU, b.processed()-before)
	prof.phase("process")

	// Sustained: accepting while processing runs beside it.
	b.mark()
	before = b.processed()
	accepted := gen.closedLoop(url, *conc, *dur)
	sustainedBatch := b.batch()
	keptUp := float64(b.processed()-before) / dur.Seconds()
	if err := b.drain(ctx); err != nil {
		return err
	}
	prof.phase("sustained")

	b.mark()
	lat := gen.openLoop(url, *rate, *dur)
	latBatch := b.batch()
	if err := b.drain(ctx); err != nil {
		return err
	}
	prof.phase("latency")
	if err := prof.stop(); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "zoombridge bench webhooks: %s, %d CPUs, %d senders, %s per phase, %d-byte signed meeting.ended bodies\n",
		srv.Store.Dialect(), numCPU(), *conc, *dur, len(gen.body(0)))
	fmt.Fprintf(stdout, "verify-only handler (ceiling):     %8.0f events/s  (%s CPU per event; machine %.0f%% busy)\n", ceiling.perSec, ceiling.cpu, 100*ceiling.busy)
	fmt.Fprintf(stdout, "verified + durably stored (200):   %8.0f events/s  (%.2f× the ceiling; %d non-200; processing beside it: %.0f events/s; %.1f events per commit; %s CPU per event; machine %.0f%% busy)\n",
		accepted.perSec, accepted.perSec/ceiling.perSec, accepted.failed, keptUp, sustainedBatch, accepted.cpu, 100*accepted.busy)
	fmt.Fprintf(stdout, "  same, processing paused (burst): %8.0f events/s  (%.2f× the ceiling; %d non-200; %.1f events per commit; %s CPU per event; machine %.0f%% busy)\n",
		burst.perSec, burst.perSec/ceiling.perSec, burst.failed, burstBatch, burst.cpu, 100*burst.busy)
	fmt.Fprintf(stdout, "processed into activities (alone): %8.0f events/s  (%s CPU per event)\n", processRate, processCPU)
	fmt.Fprintf(stdout, "answer time at %d events/s offered: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d sent, %d non-200; %.1f events per commit; machine %.0f%% busy)\n",
		*rate, ms(lat.p(0.50)), ms(lat.p(0.99)), ms(lat.p(1)), lat.n, lat.failed, latBatch, 100*lat.busy)
	if *node != "" {
		fmt.Fprintf(stdout, "Zoom's Node receiver (@zoom/rivet, verifies, stores nothing): %8.0f events/s  (%d non-200; machine %.0f%% busy)\n", rivet.perSec, rivet.failed, 100*rivet.busy)
		fmt.Fprintf(stdout, "ratios: sustained/Node %.2f (floor 1.0), sustained/ceiling %.2f (target 0.6), burst/ceiling %.2f (target 0.8)\n",
			accepted.perSec/rivet.perSec, accepted.perSec/ceiling.perSec, burst.perSec/ceiling.perSec)
	}
	return nil
}

// nodeReceiver starts Zoom's Node receiver with the shell command given,
// offers it the same closed-loop load as the other phases, and stops it.
func nodeReceiver(command string, gen *loadGen, conc int, d time.Duration) (throughput, error) {
	cmd := exec.Command("sh", "-c", "exec "+command)
	cmd.Env = append(os.Environ(), "ZOOM_WEBHOOK_SECRET="+benchSecret)
	url, err := startListening(cmd)
	if err != nil {
		return throughput{}, fmt.Errorf("node receiver: %w", err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	gen.closedLoop(url, conc, time.Second) // warm up, as the server phases do
	return gen.closedLoop(url, conc, d), nil
}

// benchServer reads the real server's webhook metrics between phases.
type benchServer struct {
	srv             *server.Server
	commits, stored float64
}

func (b *benchServer) batchTotals() (count, sum float64) {
	var m dto.Metric
	if b.srv.Webhooks.Metrics.Batch.Write(&m) != nil {
		return 0, 0
	}
	return float64(m.GetHistogram().GetSampleCount()), m.GetHistogram().GetSampleSum()
}

// mark starts a phase; batch is the mean events per commit since.
func (b *benchServer) mark() { b.commits, b.stored = b.batchTotals() }

func (b *benchServer) batch() float64 {
	c, s := b.batchTotals()
	if c == b.commits {
		return 0
	}
	return (s - b.stored) / (c - b.commits)
}

// pause stops processing: no new sweep starts, and the one under way (if
// any) is let finish.
func (b *benchServer) pause(ctx context.Context) error {
	if err := b.srv.Jobs.Client().QueuePause(ctx, webhook.Queue, nil); err != nil {
		return err
	}
	for {
		var running int
		err := b.srv.Store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = 'webhook_sweep' AND state = 'running'").Scan(&running)
		if err != nil || running == 0 {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// processed counts events processed by this process so far.
func (b *benchServer) processed() int64 { return sum(b.srv.Webhooks.Metrics.Processed) }

func sum(c prometheus.Collector) int64 {
	var n float64
	ch := make(chan prometheus.Metric, 16)
	go func() { c.Collect(ch); close(ch) }()
	for m := range ch {
		var d dto.Metric
		if m.Write(&d) == nil {
			n += d.GetCounter().GetValue()
		}
	}
	return int64(n)
}

// drain waits until every new event this process stored is processed, so
// that one phase's backlog does not slow the next. It reads the metrics, not
// the database, so that waiting costs the server nothing.
func (b *benchServer) drain(ctx context.Context) error {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		stored, processed := int64(0), b.processed()
		ch := make(chan prometheus.Metric, 16)
		go func() { b.srv.Webhooks.Metrics.Received.Collect(ch); close(ch) }()
		for m := range ch {
			var d dto.Metric
			if m.Write(&d) == nil && len(d.GetLabel()) == 1 && d.GetLabel()[0].GetValue() == "new" {
				stored += int64(d.GetCounter().GetValue())
			}
		}
		if processed >= stored {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("processing did not catch up: %d of %d events processed", processed, stored)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// profiles writes CPU, block and mutex profiles of each server phase when
// -profile names a file prefix: PREFIX.<phase>.cpu, .block and .mutex (block
// and mutex profiles are cumulative; compare phases with pprof -diff_base).
type profiles struct {
	prefix string
	cpu    *os.File
	err    error
}

func startProfiles(prefix string) (*profiles, error) {
	p := &profiles{prefix: prefix}
	if prefix == "" {
		return p, nil
	}
	runtime.SetBlockProfileRate(10000) // one sample per 10µs blocked
	runtime.SetMutexProfileFraction(10)
	return p, p.startCPU()
}

func (p *profiles) startCPU() error {
	f, err := os.CreateTemp(filepath.Dir(p.prefix+"x"), "cpu-*")
	if err != nil {
		return err
	}
	p.cpu = f
	return pprof.StartCPUProfile(f)
}

// phase ends the current phase's profiles under name and starts the next;
// stop reports the first error.
func (p *profiles) phase(name string) {
	if p.prefix == "" || p.err != nil {
		return
	}
	pprof.StopCPUProfile()
	p.cpu.Close()
	if p.err = os.Rename(p.cpu.Name(), p.prefix+"."+name+".cpu"); p.err != nil {
		return
	}
	for _, kind := range []string{"block", "mutex"} {
		f, err := os.Create(p.prefix + "." + name + "." + kind)
		if err != nil {
			p.err = err
			return
		}
		err = pprof.Lookup(kind).WriteTo(f, 0)
		f.Close()
		if err != nil {
			p.err = err
			return
		}
	}
	p.err = p.startCPU()
}

func (p *profiles) stop() error {
	if p.prefix == "" || p.err != nil {
		return p.err
	}
	pprof.StopCPUProfile()
	p.cpu.Close()
	return os.Remove(p.cpu.Name())
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
	host    string    // the meetings' host; "bench-host" when empty
	spread  time.Time // when set, meeting i starts i seconds after it (bench visible finds each by its start)
}

func (g *loadGen) body(i int64) []byte {
	host, start := g.host, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if host == "" {
		host = "bench-host"
	}
	if !g.spread.IsZero() {
		start = g.startOf(i)
	}
	return []byte(fmt.Sprintf(`{"event":"meeting.ended","event_ts":%d,"payload":{"account_id":"%s","object":{"id":"%d","uuid":"bench-%d==","host_id":"%s","topic":"Weekly pipeline review","type":2,"start_time":"%s","timezone":"America/Los_Angeles","duration":30,"end_time":"%s"}}}`,
		1762074000000+i, g.account, 80000000000+i, i, host, start.Format(time.RFC3339), start.Add(31*time.Minute+10*time.Second).Format(time.RFC3339)))
}

// startOf is meeting i's start when the generator spreads them.
func (g *loadGen) startOf(i int64) time.Time { return g.spread.Add(time.Duration(i) * time.Second) }

// send posts one new signed event and reports whether it got a 200.
func (g *loadGen) send(url string) bool {
	_, ok := g.sendNext(url)
	return ok
}

// sendNext posts the next new signed event and returns its number.
func (g *loadGen) sendNext(url string) (int64, bool) {
	i := g.seq.Add(1)
	body := g.body(i)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(webhook.HeaderTimestamp, ts)
	req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(benchSecret), ts, body))
	resp, err := g.client.Do(req)
	if err != nil {
		return i, false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return i, err == nil && resp.StatusCode == http.StatusOK
}

type throughput struct {
	perSec float64
	failed int64
	cpu    time.Duration // CPU time of this process (server and load generator) per accepted event
	busy   float64       // share of the machine's CPUs busy (every process: PostgreSQL's too)
}

// machineCPU reads the machine's busy and total CPU time (Linux /proc/stat,
// in clock ticks); zeros elsewhere.
func machineCPU() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	for i, f := range strings.Fields(line)[1:] {
		v, _ := strconv.ParseUint(f, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

// busySince is the share of the machine's CPUs busy since machineCPU gave b0, t0.
func busySince(b0, t0 uint64) float64 {
	b1, t1 := machineCPU()
	if t1 <= t0 {
		return 0
	}
	return float64(b1-b0) / float64(t1-t0)
}

// cpuTime is the CPU time this process has used: per event it is a less
// noisy measure than events/s on a machine shared with other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func perEvent(cpu time.Duration, n int64) time.Duration {
	if n == 0 {
		return 0
	}
	return cpu / time.Duration(n)
}

// closedLoop keeps conc requests in flight for d.
func (g *loadGen) closedLoop(url string, conc int, d time.Duration) throughput {
	var ok, failed atomic.Int64
	deadline := time.Now().Add(d)
	start, cpu := time.Now(), cpuTime()
	b0, t0 := machineCPU()
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
	return throughput{perSec: float64(ok.Load()) / time.Since(start).Seconds(), failed: failed.Load(), cpu: perEvent(cpuTime()-cpu, ok.Load()),
		busy: busySince(b0, t0)}
}

type latencies struct {
	all    []time.Duration
	n      int
	failed int
	busy   float64 // share of the machine's CPUs busy
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
	b0, t0 := machineCPU()
	for i := range n {
		due <- start.Add(time.Duration(i) * time.Second / time.Duration(rate))
	}
	close(due)
	wg.Wait()
	res.busy = busySince(b0, t0)
	sort.Slice(res.all, func(i, j int) bool { return res.all[i] < res.all[j] })
	return res
}
