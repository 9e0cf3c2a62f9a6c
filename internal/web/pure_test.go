package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

func TestSafeNextStaysOnThisSite(t *testing.T) {
	kept := []string{
		"/",
		"/team?date=2026-11-02",
		"/people/12/services",
		"/team?next=//not-a-redirect",
		"/audit?q=a%20b",
	}
	for _, in := range kept {
		if got := safeNext(in); got != in {
			t.Errorf("safeNext(%q) = %q, want it kept", in, got)
		}
	}
	hostile := []string{
		"",
		"team",
		"//evil.example/x",
		"///evil.example",
		"/\\evil.example",
		"\\\\evil.example",
		"/\t/evil.example",
		"/%09/evil.example",
		"/\n/evil.example",
		"/\r/evil.example",
		"/people\r\nSet-Cookie: a=b",
		"/\x00/evil.example",
		"/ /evil.example",
		"https://evil.example/",
		"http:/evil.example",
		"HTTPS://evil.example",
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"data:text/html,<script>alert(1)</script>",
		"/%2f/evil.example",
		"/%2F%2Fevil.example",
		"/%5c/evil.example",
		"/%5Cevil.example",
		"/%252f%252fevil.example",
		"/..%2f..%2fevil",
		"/%2e%2e/evil",
		"%2f%2fevil.example",
		"/\u00a0/evil.example",
		"/\u3002evil.example",
		" /team",
		"\t//evil.example",
		"/team\x7f",
	}
	for _, in := range hostile {
		if got := safeNext(in); got != "/" {
			t.Errorf("safeNext(%q) = %q, want \"/\"", in, got)
		}
	}
}

func TestCellDefusesSpreadsheetFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"Weekly sync":             "Weekly sync",
		"=HYPERLINK(\"x\",\"y\")": "'=HYPERLINK(\"x\",\"y\")",
		"+1 555 0100":             "'+1 555 0100",
		"-2":                      "'-2",
		"@SUM(A1)":                "'@SUM(A1)",
		"":                        "",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMeetingNumberIsGroupedAsZoomShowsIt(t *testing.T) {
	for in, want := range map[string]string{"81234567890": "812 3456 7890", "1234567890": "123 456 7890", "123": "123"} {
		if got := meetingNumber(in); got != want {
			t.Errorf("meetingNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMeetingSizeFromTheCountOnly(t *testing.T) {
	for n, want := range map[int]string{0: "Not reported yet (known after Zoom's report is synced)", 1: "Host only", 2: "One-on-one", 9: "Group · 9 participants"} {
		if got := meetingSize(n); got != want {
			t.Errorf("meetingSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestLanesSeparateOverlaps: a call during a meeting goes to a second lane;
// blocks that do not overlap share the first.
func TestLanesSeparateOverlaps(t *testing.T) {
	bs := []tlBlock{{ID: "m", Left: 10, Width: 20}, {ID: "c", Left: 15, Width: 2}, {ID: "w", Left: 40, Width: 10}, {ID: "c2", Left: 29, Width: 3}}
	lanes := assignLanes(bs)
	got := map[string]int{}
	for _, b := range bs {
		got[b.ID] = b.Lane
	}
	if lanes != 2 || got["m"] != 0 || got["c"] != 1 || got["c2"] != 1 || got["w"] != 0 {
		t.Fatalf("lanes %d, placement %v", lanes, got)
	}
}

// TestHourWindowGrowsToFitActivity: working hours by default, stretched to
// whole hours around an early call and a late meeting.
func TestHourWindowGrowsToFitActivity(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	cases := []struct {
		acts   []store.Activity
		h0, h1 int
	}{
		{nil, 8, 18},
		{[]store.Activity{{StartAt: at(9, 0), EndAt: at(10, 0)}}, 8, 18},
		{[]store.Activity{{StartAt: at(6, 40), EndAt: at(6, 50)}, {StartAt: at(19, 30), EndAt: at(20, 15)}}, 6, 21},
		{[]store.Activity{{StartAt: at(23, 0), EndAt: at(25, 0)}}, 8, 24},
	}
	for i, c := range cases {
		h0, h1 := hourWindow([]rowSpec{{Day: day, Acts: c.acts}}, day)
		if h0 != c.h0 || h1 != c.h1 {
			t.Errorf("case %d: window %d–%d, want %d–%d", i, h0, h1, c.h0, c.h1)
		}
	}
}

// TestBlockPlacement: a 09:00–09:30 meeting on an 08–18 track starts at 10%
// and is 5% wide; a meeting still running ends now.
func TestBlockPlacement(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	now := day.Add(12 * time.Hour)
	tl := buildTimeline([]rowSpec{{Day: day, Acts: []store.Activity{
		{ID: 1, Kind: store.ActivityMeeting, Title: "Sync", StartAt: day.Add(9 * time.Hour), EndAt: day.Add(9*time.Hour + 30*time.Minute), DurationSeconds: 1800},
		{ID: 2, Kind: store.ActivityMeeting, Title: "Live", StartAt: day.Add(11 * time.Hour)},
	}}}, now, nil)
	bs := tl.Rows[0].Blocks
	if len(bs) != 2 || bs[0].Left != 10 || bs[0].Width != 5 {
		t.Fatalf("blocks %+v", bs)
	}
	if !bs[1].Running || bs[1].Width != 10 {
		t.Fatalf("running meeting drawn as %+v, want 11:00 to now (10%%)", bs[1])
	}
	if tl.Rows[0].Now != 40 {
		t.Fatalf("now line at %v%%, want 40%%", tl.Rows[0].Now)
	}
}

func TestCondenseFoldsScopeBanners(t *testing.T) {
	ns := []Notice{{Title: "Reconnect Zoom", Level: "error"}, {Title: "Reconnect Zoom to turn on meetings", Code: CodeMissingScope, Feature: "Meetings"},
		{Title: "Pro+ required", Code: "plan_required", Feature: "Webinars"}, {Title: "Reconnect Zoom to turn on calls", Code: CodeMissingScope, Feature: "Phone calls"}}
	got := condense(ns)
	if len(got) != 3 || got[1].Title != "Reconnect Zoom to turn on Meetings and Phone calls" || got[0].Title != "Reconnect Zoom" || got[2].Title != "Pro+ required" {
		t.Fatalf("condensed to %+v", got)
	}
}

func TestNiceAxis(t *testing.T) {
	for in, want := range map[float64]float64{0: 1, 0.4: 1, 1.5: 2, 3: 5, 7.2: 10, 28.8: 50, 120: 200} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestPasswordLength(t *testing.T) {
	if _, err := HashPassword("short"); err == nil {
		t.Fatal("a 5-character password was accepted")
	}
	if _, err := HashPassword(string(make([]byte, 73))); err == nil {
		t.Fatal("a password longer than bcrypt reads was accepted")
	}
}

// TestOldActivityWithoutEndIsNotStretched: a webinar Zoom gave no end for,
// a day ago, is drawn short and counts nothing, instead of running to now.
func TestOldActivityWithoutEndIsNotStretched(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	now := day.Add(36 * time.Hour)
	w := store.Activity{ID: 3, Kind: store.ActivityWebinar, Title: "Partner enablement", StartAt: day.Add(15 * time.Hour)}
	if running(w, now) || !endUnknown(w, now) || activityDuration(w, now) != 0 {
		t.Fatalf("running %v, unknown %v, duration %v", running(w, now), endUnknown(w, now), activityDuration(w, now))
	}
	tl := buildTimeline([]rowSpec{{Day: day, Acts: []store.Activity{w}}}, now, nil)
	b := tl.Rows[0].Blocks[0]
	if !b.Unknown || b.Running || b.Width != 2.5 || tl.Rows[0].Total != "" {
		t.Fatalf("drawn as %+v, row total %q", b, tl.Rows[0].Total)
	}
	if h0, h1 := hourWindow([]rowSpec{{Day: day, Acts: []store.Activity{w}}}, now); h0 != 8 || h1 != 18 {
		t.Fatalf("window %d–%d grew for an unknown end", h0, h1)
	}
}

// TestConflictIsAFormError: a unique-key conflict reaches the person as a
// 409 with words to act on, never a 500 or the database's message.
func TestConflictIsAFormError(t *testing.T) {
	status, msg, known := publicError(fmt.Errorf("create person: %w", store.ErrConflict))
	if status != http.StatusConflict || !known || strings.Contains(msg, "conflict:") {
		t.Fatalf("publicError(conflict) = %d %q %v", status, msg, known)
	}
}

func TestRowHintsTellNamesakesApart(t *testing.T) {
	ps := []store.Person{
		{ID: 1, Name: "Hanna Nakamura", Email: "hanna.n@x.example", Team: "Engineering"},
		{ID: 2, Name: "hanna nakamura", Email: "h.nakamura@x.example", Team: "Engineering"},
		{ID: 3, Name: "Ada Diaz", Email: "ada@x.example", Team: "Sales"},
		{ID: 4, Email: "nobody@x.example"},
	}
	got := rowHints(ps)
	want := map[int64]string{1: "Engineering · hanna.n@x.example", 2: "Engineering · h.nakamura@x.example", 3: "Sales", 4: ""}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("person %d: %q, want %q", id, got[id], w)
		}
	}
}

func TestProblemsFirstKeepsTheOrderOfChecking(t *testing.T) {
	cs := problemsFirst([]check{{Status: "ok", Title: "active"}, {Status: "ok", Title: "service on"}, {Status: "bad", Title: "not mapped"},
		{Status: "info", Title: "only hosted"}, {Status: "warn", Title: "no phone licence"}, {Status: "bad", Title: "needs reconnect"}})
	var got []string
	for _, c := range cs {
		got = append(got, c.Title)
	}
	want := "not mapped,needs reconnect,no phone licence,only hosted,active,service on"
	if strings.Join(got, ",") != want {
		t.Errorf("order %v, want %s", got, want)
	}
}
