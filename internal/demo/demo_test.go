package demo

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
)

// TestDemoShowsAFilledTimeline starts the demo as `zoombridge demo` does, signs
// in as the printed owner, and finds the team timeline full of Zoom activity:
// meetings, calls and webinars that came through the real OAuth flow and backfill.
func TestDemoShowsAFilledTimeline(t *testing.T) {
	cfg, err := config.Load([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Start(context.Background(), cfg, Options{Password: "demo-pass-1", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(context.Background())
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	base := d.Server.URL()

	form := fetch(t, browser, base+"/signin")
	m := csrfField.FindStringSubmatch(form)
	if m == nil {
		t.Fatal("sign-in form has no CSRF token")
	}
	resp, err := browser.PostForm(base+"/signin", url.Values{"csrf": {m[1]}, "email": {d.Owner}, "password": {"demo-pass-1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.HasPrefix(resp.Request.URL.Path, "/signin") {
		t.Fatalf("the printed owner %s could not sign in", d.Owner)
	}
	// The backfill runs as a job right after the connection: the timeline is
	// filled as soon as it has run. The last working day's is read: today's
	// holds what happened since the emulated working day began, which at some
	// hours is a handful of activities, at others none (the page then shows
	// the last day with any, as a user would want).
	day := d.Sim.Now().AddDate(0, 0, -1)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, -1)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		if time.Now().After(deadline) {
			t.Fatalf("the team timeline of %s was not filled within a minute", day.Format("2006-01-02"))
		}
		page := fetch(t, browser, base+"/team?date="+day.Format("2006-01-02"))
		meetings, calls := strings.Count(page, "act act-meeting"), strings.Count(page, "act act-call")
		if meetings >= 5 && calls >= 10 { // a working day of the demo's people
			t.Logf("team timeline: %d meetings, %d calls", meetings, calls)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Every kind shows in a week, webinars included (they are rare in Zoom's
	// data, so the demo's emulator hosts them twice a week).
	lastWeek := d.Sim.Now().AddDate(0, 0, -7).Format("2006-01-02")
	until := time.Now().Add(time.Minute)
	for !strings.Contains(fetch(t, browser, base+"/reports/weekly?date="+lastWeek), `class="bar-seg seg-webinar"`) {
		if time.Now().After(until) {
			t.Fatal("last week's chart shows no webinar")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if users := fetch(t, browser, base+"/services/zoom/users"); !strings.Contains(users, "Not mapped") && !strings.Contains(users, "not mapped") {
		t.Error("the Users tab does not show the person whose email differs as unmapped")
	}
}

func fetch(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b)
}
