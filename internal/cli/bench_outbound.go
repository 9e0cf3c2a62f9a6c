package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// runBenchOutbound is `zoombridge bench outbound`: on the real server, with
// the webhook load generator and a receiver on loopback, it measures
// (1) webhook events processed into activities per second, and the CPU per
// event, with no endpoint and with an endpoint subscribed to activity events
// (each commit then also reads what its activities were and queues their
// events' job; the delivery queue is held meanwhile), in the order without,
// with, with, without, and the same for accepts with processing beside; (2) signed durable
// deliveries per second to the receiver, from resuming the delivery queue
// until phase 1's events are written and delivered (each recorded as
// delivered in the database before it counts).
func runBenchOutbound(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench outbound", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	dur := fs.Duration("duration", 5*time.Second, "length of each measured phase")
	conc := fs.Int("concurrency", 64, "concurrent webhook senders")
	rounds := fs.Int("rounds", 2, "rounds of phases, each without, with, with, without an endpoint")
	profile := fs.String("profile", "", "write CPU, block and mutex profiles of each phase to PREFIX.<phase>.{cpu,block,mutex}")
	if err := fs.Parse(args); err != nil {
		return err
	}
	gen := &loadGen{account: fmt.Sprintf("bench-%d", time.Now().UnixNano()), client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 1024}, Timeout: 10 * time.Second}}
	rcv, err := startReceiver()
	if err != nil {
		return err
	}
	defer rcv.close()

	srv, done, err := openBenchServer(ctx, env, *dbURL, stderr, "ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8")
	if err != nil {
		return err
	}
	defer done()
	if err := benchSeed(ctx, srv.Store, gen.account); err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	url := srv.URL() + "/webhooks/zoom"
	b := &benchServer{srv: srv}
	gen.closedLoop(url, *conc, time.Second) // warm up
	if err := b.drain(ctx); err != nil {
		return err
	}
	// Deliveries wait in their queue while processing is measured.
	if err := srv.Jobs.Client().QueuePause(ctx, outbound.Queue, nil); err != nil {
		return err
	}
	prof, err := startProfiles(*profile)
	if err != nil {
		return err
	}
	org, err := srv.Store.OrganizationBySlug(ctx, gen.account)
	if err != nil {
		return err
	}
	ep, _, err := srv.Outbound.CreateEndpoint(ctx, org.ID, "bench", outbound.Endpoint{URL: rcv.url + "/hook",
		EventTypes: []string{"activity.created", "activity.updated"}})
	if err != nil {
		return err
	}
	// Phases in rounds of without, with, with, without: the database grows
	// from phase to phase, and the order puts that growth on both sides;
	// more rounds average out the machine's noise.
	var order []bool
	for range max(*rounds, 1) {
		order = append(order, false, true, true, false)
	}
	var without, with []phaseResult
	for i, subscribed := range order {
		if err := srv.Outbound.SetEnabled(ctx, org.ID, ep.ID, "bench", subscribed); err != nil {
			return err
		}
		r, err := b.processPhase(ctx, gen, url, *conc, *dur)
		if err != nil {
			return err
		}
		if subscribed {
			with = append(with, r)
			prof.phase(fmt.Sprintf("with%d", i))
		} else {
			without = append(without, r)
			prof.phase(fmt.Sprintf("without%d", i))
		}
	}
	if err := srv.Outbound.SetEnabled(ctx, org.ID, ep.ID, "bench", true); err != nil {
		return err
	}

	// What phase 1 queued: the activity-events jobs, whose events and
	// deliveries are written once the queue resumes, then sent.
	unfinished := func() (int64, error) {
		var n int64
		err := srv.Store.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM outbound_deliveries WHERE status = 'pending')
			+ (SELECT COUNT(*) FROM river_job WHERE queue = '`+outbound.Queue+`' AND state NOT IN ('completed', 'discarded', 'cancelled'))`).Scan(&n)
		return n, err
	}
	start, cpu := time.Now(), cpuTime()
	if err := srv.Jobs.Client().QueueResume(ctx, outbound.Queue, nil); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Minute)
	for {
		left, err := unfinished()
		if err != nil {
			return err
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("deliveries did not finish: %d deliveries and jobs left", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	prof.phase("deliver")
	if err := prof.stop(); err != nil {
		return err
	}
	var delivered, queued int64
	if err := srv.Store.DB().QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END), 0) FROM outbound_deliveries").Scan(&queued, &delivered); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "zoombridge bench outbound: %s, %d CPUs, %d senders, %d delivery workers, %s per phase, %d rounds of phases without/with/with/without\n",
		srv.Store.Dialect(), numCPU(), *conc, outbound.QueueWorkers, *dur, max(*rounds, 1))
	for _, p := range []struct {
		name string
		rs   []phaseResult
	}{{"no endpoint", without}, {"endpoint subscribed", with}} {
		for _, r := range p.rs {
			fmt.Fprintf(stdout, "%-20s processed into activities (alone): %8.0f events/s (%s CPU per event); accepted with processing beside: %8.0f events/s\n",
				p.name+":", r.processRate, r.processCPU, r.accepted.perSec)
		}
	}
	wo, wi := meanPhase(without), meanPhase(with)
	fmt.Fprintf(stdout, "cost of publishing each activity (means of the phases): processing %.1f%% slower, %s more CPU per event; accepts %.1f%% slower\n",
		100*(1-wi.processRate/wo.processRate), wi.processCPU-wo.processCPU, 100*(1-wi.accepted.perSec/wo.accepted.perSec))
	fmt.Fprintf(stdout, "signed durable deliveries: %8.0f deliveries/s (%d delivered of %d queued in %s; %d requests at the receiver; %s CPU per delivery)\n",
		float64(delivered)/took.Seconds(), delivered, queued, took.Round(time.Millisecond), rcv.hits.Load(), perEvent(cpuTime()-cpu, delivered))
	return nil
}

type phaseResult struct {
	processRate float64
	processCPU  time.Duration
	accepted    throughput
}

// meanPhase averages phases' rates and CPU per event.
func meanPhase(rs []phaseResult) phaseResult {
	var m phaseResult
	for _, r := range rs {
		m.processRate += r.processRate / float64(len(rs))
		m.processCPU += r.processCPU / time.Duration(len(rs))
		m.accepted.perSec += r.accepted.perSec / float64(len(rs))
	}
	return m
}

// processPhase accepts a burst with processing paused and times its
// processing alone, then accepts with processing running beside.
func (b *benchServer) processPhase(ctx context.Context, gen *loadGen, url string, conc int, d time.Duration) (phaseResult, error) {
	var r phaseResult
	if err := b.pause(ctx); err != nil {
		return r, err
	}
	gen.closedLoop(url, conc, d)
	if err := b.srv.Jobs.Client().QueueResume(ctx, webhook.Queue, nil); err != nil {
		return r, err
	}
	start, cpu, before := time.Now(), cpuTime(), b.processed()
	if err := b.drain(ctx); err != nil {
		return r, err
	}
	r.processRate = float64(b.processed()-before) / time.Since(start).Seconds()
	r.processCPU = perEvent(cpuTime()-cpu, b.processed()-before)
	r.accepted = gen.closedLoop(url, conc, d)
	return r, b.drain(ctx)
}

// receiver is the host product: it answers every delivery 204.
type receiver struct {
	url  string
	hits atomic.Int64
	srv  *http.Server
}

func startReceiver() (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &receiver{url: "http://" + ln.Addr().String()}
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		r.hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	})}
	go r.srv.Serve(ln)
	return r, nil
}

func (r *receiver) close() { r.srv.Close() }
