package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/syncer"
	"github.com/zoombridge/zoombridge/internal/zoom"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// runBenchBackfill is `zoombridge bench backfill` (G8–G10): the backfill of
// an emulated account of -users users over -days days, through the
// production pieces (connect's token source, the rate limiter, the syncer)
// against the emulator enforcing the plan's limits in real time. It reports
// the calls per rate-limit category, the 429s met, the time taken and the
// least time the limits allow for those calls: each category's calls one
// interval apart, categories side by side, a shared daily pool's calls
// beyond its cap waiting for the next UTC day.
func runBenchBackfill(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench backfill", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	users := fs.Int("users", 1000, "Zoom users of the emulated account (all mapped to people)")
	days := fs.Int("days", 30, "days of history the emulator generates and the backfill reads")
	planName := fs.String("plan", "pro", "the account's plan: pro or business")
	if err := fs.Parse(args); err != nil {
		return err
	}
	plan := zoom.PlanPro
	if *planName == "business" {
		plan = zoom.PlanBusiness
	}
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 7, Users: *users, Plan: *planName, Days: *days}, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer sim.Close()
	srv, done, err := openBenchServer(ctx, env, *dbURL, stderr)
	if err != nil {
		return err
	}
	defer done()
	st := srv.Store
	calls := &countingLimiter{Limiter: zoom.NewRateLimiter(zoom.NewMemoryBudget(), plan), n: map[zoom.Category]int{}}
	hc := zoom.NewHTTPClient()
	info := sim.Info()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	cs, err := connect.New(connect.Config{Store: st, Vault: srv.Vault, Now: sim.Now, Log: log,
		OAuthURL: info.URL, APIURL: info.APIBase, HTTP: hc, API: zoom.NewClient(info.APIBase, hc, calls)})
	if err != nil {
		return err
	}
	now := sim.Now()
	org, err := st.CreateOrganization(ctx, "Backfill", fmt.Sprintf("bf%d", time.Now().UnixNano()), now)
	if err != nil {
		return err
	}
	for _, u := range sim.Users() {
		if _, err := st.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: u.Email, Name: u.FirstName + " " + u.LastName}, now); err != nil {
			return err
		}
	}
	o := sim.Options()
	conn, err := cs.ConnectS2S(ctx, org.ID, 0, connect.S2SCredentials{AccountID: o.AccountID, ClientID: o.S2SClientID, ClientSecret: o.S2SClientSecret})
	if err != nil {
		return err
	}
	sy, err := syncer.New(syncer.Config{Store: st, Conn: cs.Conn, Now: sim.Now, Log: log, Window: time.Duration(*days) * 24 * time.Hour})
	if err != nil {
		return err
	}
	began := time.Now()
	var pass store.SyncPass
	for {
		out, err := sy.Run(ctx, conn.ID, "")
		if err != nil {
			return err
		}
		if out.Done {
			pass = out.Pass
			break
		}
		if wait := time.Until(out.RetryAt); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	elapsed := time.Since(began)
	bound, counts := calls.minimum(plan)
	fmt.Fprintf(stdout, "zoombridge bench backfill: %s, %s plan, %d users, %d days: %d activities, %d calls recorded by the pass (through the rate limiter: %s), %d 429s (%.3f%% of calls)\n",
		st.Dialect(), *planName, *users, *days, pass.Written(), pass.APICalls, counts, pass.RateLimited, 100*float64(pass.RateLimited)/float64(max(pass.APICalls, 1)))
	fmt.Fprintf(stdout, "time %v; least the limits allow %v: %.2f× the lower bound (G10), %.0f%% of the allowed rate used (G8)\n",
		elapsed.Round(time.Millisecond), bound.Round(time.Millisecond), elapsed.Seconds()/bound.Seconds(), 100*bound.Seconds()/elapsed.Seconds())
	return nil
}

// countingLimiter counts the calls of each category a Limiter lets through.
type countingLimiter struct {
	zoom.Limiter
	mu sync.Mutex
	n  map[zoom.Category]int
}

func (c *countingLimiter) Wait(ctx context.Context, account string, cat zoom.Category) error {
	c.mu.Lock()
	c.n[cat]++
	c.mu.Unlock()
	return c.Limiter.Wait(ctx, account, cat)
}

// minimum is the least time plan's limits allow for the counted calls.
func (c *countingLimiter) minimum(plan zoom.Plan) (time.Duration, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var bound time.Duration
	pools := map[string]int{}
	var parts []string
	for cat, n := range c.n {
		r := zoom.RuleFor(plan, cat)
		bound = max(bound, time.Duration(n-1)*r.Interval(1))
		if r.Daily > 0 {
			pools[r.Pool] += n
			if pools[r.Pool] > r.Daily {
				bound = max(bound, time.Duration((pools[r.Pool]-1)/r.Daily)*24*time.Hour)
			}
		}
		parts = append(parts, fmt.Sprintf("%s %d", cat, n))
	}
	sort.Strings(parts)
	return bound, strings.Join(parts, ", ")
}
