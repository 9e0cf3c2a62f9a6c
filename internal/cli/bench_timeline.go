package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// runBenchTimeline is `zoombridge bench timeline` (G7): an organization of
// -people people in teams of ten with -activities meetings, calls and
// webinars spread over -years years, then, while webhooks arrive at -ingest
// events/s, a signed-in browser's team day (/team) and weekly chart
// (/reports/weekly) for random teams and weeks, one request at a time.
func runBenchTimeline(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench timeline", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	nPeople := fs.Int("people", 1000, "people in the organization (teams of ten)")
	nActs := fs.Int("activities", 10_000_000, "activities to generate")
	years := fs.Int("years", 3, "years the activities span, up to today")
	ingest := fs.Int("ingest", 1000, "webhook events per second arriving while pages are timed")
	dur := fs.Duration("duration", 20*time.Second, "how long pages are timed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, done, err := openBenchServer(ctx, env, *dbURL, stderr)
	if err != nil {
		return err
	}
	defer done()
	o, err := seedBenchOrg(ctx, srv.Store, *nPeople, fmt.Sprintf("tl%d", time.Now().UnixNano()))
	if err != nil {
		return err
	}
	began := time.Now()
	if err := generateActivities(ctx, srv.Store, o, *nActs, *years, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d activities in %v\n", *nActs, time.Since(began).Round(time.Second))
	gen := &loadGen{account: fmt.Sprintf("tl-ingest-%d", time.Now().UnixNano()), client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}}
	if err := benchSeed(ctx, srv.Store, gen.account); err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	browser, err := o.signIn(srv.URL())
	if err != nil {
		return err
	}
	stop := make(chan struct{})
	sent, failed := gen.pace(srv.URL()+"/webhooks/zoom", *ingest, stop)
	var team, weekly timings
	rnd := rand.New(rand.NewPCG(7, 7))
	now := time.Now().UTC()
	end := time.Now().Add(*dur)
	for time.Now().Before(end) {
		day := now.AddDate(0, 0, -rnd.IntN(*years*365)).Format("2006-01-02")
		t := o.teams[rnd.IntN(len(o.teams))]
		for _, page := range []struct {
			path string
			into *timings
		}{{"/team", &team}, {"/reports/weekly", &weekly}} {
			start := time.Now()
			resp, err := browser.Get(srv.URL() + page.path + "?team=" + url.QueryEscape(t) + "&date=" + day)
			if err != nil {
				close(stop)
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				close(stop)
				return fmt.Errorf("%s: status %d", page.path, resp.StatusCode)
			}
			page.into.add(time.Since(start))
		}
	}
	close(stop)
	fmt.Fprintf(stdout, "zoombridge bench timeline: %s, %d people, %d activities over %d years, webhooks offered at %d/s (%d sent in %v, %d not 200)\n",
		srv.Store.Dialect(), *nPeople, *nActs, *years, *ingest, sent.Load(), *dur, failed.Load())
	fmt.Fprintf(stdout, "team day (/team):                  %s\n", team.summary())
	fmt.Fprintf(stdout, "weekly chart (/reports/weekly):    %s\n", weekly.summary())
	return nil
}

// generateActivities writes n activities of the organization's people over
// the last years, in working hours: about 60% meetings, 35% calls, 5%
// webinars, through the store's batch upsert.
func generateActivities(ctx context.Context, st *store.Store, o *benchOrg, n, years int, progress io.Writer) error {
	rnd := rand.New(rand.NewPCG(uint64(n), 42))
	now := time.Now().UTC()
	const batch = 2000
	as := make([]store.Activity, 0, batch)
	for i := range n {
		p := rnd.IntN(len(o.people))
		day := now.AddDate(0, 0, -rnd.IntN(years*365)).Truncate(24 * time.Hour)
		start := day.Add(8*time.Hour + time.Duration(rnd.IntN(10*60))*time.Minute)
		length := time.Duration(5+rnd.IntN(55)) * time.Minute
		a := store.Activity{OrgID: o.org.ID, ConnectionID: o.conn.ID, PersonID: o.people[p].ID, ZoomUserID: o.zoomIDs[p],
			ZoomID: fmt.Sprintf("gen-%d", i), StartAt: start, EndAt: start.Add(length), DurationSeconds: int(length / time.Second), Source: "sync"}
		switch k := rnd.IntN(100); {
		case k < 60:
			a.Kind, a.Title, a.ParticipantsCount, a.ZoomNumber = store.ActivityMeeting, "Weekly sync", 2+rnd.IntN(8), fmt.Sprint(80000000000+i)
		case k < 95:
			a.Kind, a.Direction, a.CallerName, a.Device = store.ActivityCall, "outbound", "Caller", "desk"
		default:
			a.Kind, a.Title, a.ParticipantsCount, a.ZoomNumber = store.ActivityWebinar, "Quarterly webinar", 50+rnd.IntN(200), fmt.Sprint(90000000000+i)
		}
		as = append(as, a)
		if len(as) == batch || i == n-1 {
			if err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error { return tx.UpsertActivities(ctx, as, now) }); err != nil {
				return err
			}
			as = as[:0]
			if (i+1)%1_000_000 < batch && i+1 >= 1_000_000 {
				fmt.Fprintf(progress, "  %d activities written\n", i+1)
			}
		}
	}
	return nil
}
