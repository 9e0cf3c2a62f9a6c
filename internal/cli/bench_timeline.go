package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	profile := fs.String("profile", "", "write CPU, block and mutex profiles of the timed pages to PREFIX.pages.{cpu,block,mutex}")
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
	prof, err := startProfiles(*profile)
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
	prof.phase("pages")
	if err := prof.stop(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "zoombridge bench timeline: %s, %d people, %d activities over %d years, webhooks offered at %d/s (%d sent in %v, %d not 200)\n",
		srv.Store.Dialect(), *nPeople, *nActs, *years, *ingest, sent.Load(), *dur, failed.Load())
	fmt.Fprintf(stdout, "team day (/team):                  %s\n", team.summary())
	fmt.Fprintf(stdout, "weekly chart (/reports/weekly):    %s\n", weekly.summary())
	return nil
}

// insertGenerated writes new activities (every key unused) and their
// coverage in one transaction, as multi-row INSERTs: the benchmark's data
// is ten million rows, which the upsert path (a statement per row on
// SQLite) would take many minutes to write.
func insertGenerated(ctx context.Context, st *store.Store, as []store.Activity, now time.Time) error {
	const cols = 18
	return st.InTx(ctx, func(_ *store.Store, tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM activities").Scan(&last); err != nil {
			return err
		}
		for len(as) > 0 {
			part := as[:min(len(as), 1000)]
			as = as[len(part):]
			var q strings.Builder
			q.WriteString(`INSERT INTO activities (org_id, connection_id, person_id, zoom_user_id, kind, zoom_id, zoom_number, title, start_at, end_at,
				duration_seconds, participants_count, direction, caller_name, callee, device, source, updated_at) VALUES `)
			args := make([]any, 0, cols*len(part))
			for i, a := range part {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(")
				for c := range cols {
					if c > 0 {
						q.WriteString(", ")
					}
					q.WriteString(placeholder(st, len(args)+c+1))
				}
				q.WriteString(")")
				args = append(args, a.OrgID, a.ConnectionID, a.PersonID, a.ZoomUserID, a.Kind, a.ZoomID, a.ZoomNumber, a.Title,
					a.StartAt.UnixMilli(), a.EndAt.UnixMilli(), a.DurationSeconds, a.ParticipantsCount, a.Direction, a.CallerName, a.Callee, a.Device, a.Source, now.UnixMilli())
			}
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO activity_coverage (activity_id, connection_id) SELECT id, connection_id FROM activities WHERE id > "+
			placeholder(st, 1), last)
		return err
	})
}

// placeholder is the n-th (from 1) query parameter in the store's dialect.
func placeholder(st *store.Store, n int) string {
	if st.Dialect() == store.Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// generateActivities writes n activities of the organization's people over
// the last years, oldest first, in working hours: about 60% meetings, 35% calls, 5%
// webinars, as new rows (insertGenerated).
func generateActivities(ctx context.Context, st *store.Store, o *benchOrg, n, years int, progress io.Writer) error {
	rnd := rand.New(rand.NewPCG(uint64(n), 42))
	now := time.Now().UTC()
	const batch = 2000
	as := make([]store.Activity, 0, batch)
	for i := range n {
		p := rnd.IntN(len(o.people))
		// Oldest day first, as a history accrues: the time indexes then grow
		// at their ends instead of at random places in ten million entries.
		days := years * 365
		day := now.AddDate(0, 0, i*days/n-days+1).Truncate(24 * time.Hour)
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
			if err := insertGenerated(ctx, st, as, now); err != nil {
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
