package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// runBenchVisible is `zoombridge bench visible` (G6): webhooks offered at
// -rate events/s for -duration, each a meeting of its own; for every
// -probe-every-th one answered 200, a host product polls the REST API for it
// (GET /api/v1/activities over that meeting's start) every few milliseconds,
// and the time from the webhook's send to the API first listing it is one
// sample.
func runBenchVisible(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench visible", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	rate := fs.Int("rate", 1000, "webhook events offered per second")
	dur := fs.Duration("duration", 10*time.Second, "how long webhooks are offered")
	every := fs.Int("probe-every", 20, "follow one event in this many through the API")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The probes poll the API every 5 ms: lift the per-key limit, which
	// would answer most of them 429 and time the limiter instead.
	srv, done, err := openBenchServer(ctx, env, *dbURL, stderr, "ZOOMBRIDGE_API_RATE_LIMIT=100000000")
	if err != nil {
		return err
	}
	defer done()
	account := fmt.Sprintf("vis%d", time.Now().UnixNano())
	o, err := seedBenchOrg(ctx, srv.Store, 1, account)
	if err != nil {
		return err
	}
	key, err := o.apiKey(ctx, srv.Store)
	if err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512}, Timeout: 10 * time.Second}
	gen := &loadGen{account: account, host: o.zoomIDs[0], spread: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), client: hc}
	var lat timings
	var wg sync.WaitGroup
	var lost, failed int
	var mu sync.Mutex
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	end := time.Now().Add(*dur)
	for time.Now().Before(end) {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			sent := time.Now()
			i, ok := gen.sendNext(srv.URL() + "/webhooks/zoom")
			if !ok {
				mu.Lock()
				failed++
				mu.Unlock()
				return
			}
			if i%int64(*every) != 0 {
				return
			}
			if visible(hc, srv.URL(), key, gen, i, sent.Add(time.Minute)) {
				lat.add(time.Since(sent))
			} else {
				mu.Lock()
				lost++
				mu.Unlock()
			}
		}()
	}
	tick.Stop()
	wg.Wait()
	fmt.Fprintf(stdout, "zoombridge bench visible: %s, webhooks offered at %d/s for %v (%d not 200), one in %d followed through GET /api/v1/activities\n",
		srv.Store.Dialect(), *rate, *dur, failed, *every)
	fmt.Fprintf(stdout, "webhook sent to listed by the API: %s; %d not listed within a minute\n", lat.summary(), lost)
	return nil
}

// visible polls the API until meeting i is listed (true) or deadline passes.
func visible(hc *http.Client, base, key string, g *loadGen, i int64, deadline time.Time) bool {
	start := g.startOf(i)
	q := url.Values{"from": {start.Format(time.RFC3339)}, "to": {start.Add(time.Second).Format(time.RFC3339)}}
	want := fmt.Sprintf("bench-%d==", i)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/activities?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := hc.Do(req)
		if err == nil {
			var page struct {
				Data []struct {
					ZoomID string `json:"zoom_id"`
				} `json:"data"`
			}
			// A page that does not decode lists nothing; the poll goes on.
			_ = json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			for _, a := range page.Data {
				if a.ZoomID == want {
					return true
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}
