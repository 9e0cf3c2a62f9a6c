package booking

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at reads "2006-01-02T15:04" in zone.
func at(t *testing.T, zone, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02T15:04", s, mustLoc(t, zone))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func day(zone, date string, rs ...Range) Hours {
	return Hours{Zone: zone, Overrides: map[string][]Range{date: rs}}
}

// Slots on the days clocks change, in zones with half-hour offsets and
// half-hour changes, with buffers, notice, window and daily limit. Every
// expected slot is written out by hand, in the zone the booker views it in.
func TestSlotsAcrossZonesAndClockChanges(t *testing.T) {
	h := func(hh, mm int) int { return hh*60 + mm }
	cases := []struct {
		name     string
		hours    Hours
		rules    Rules
		busy     []Busy
		taken    map[string]int
		now      string // in the host's zone
		from, to string // in the host's zone
		view     string // the booker's zone
		want     []string
	}{
		{
			name:  "New York spring forward: 00:00-06:00 holds five hours",
			hours: day("America/New_York", "2026-03-08", Range{0, h(6, 0)}),
			rules: Rules{Duration: time.Hour},
			now:   "2026-03-01T12:00", from: "2026-03-08T00:00", to: "2026-03-09T00:00", view: "America/New_York",
			want: []string{"2026-03-08T00:00-05:00", "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00", "2026-03-08T05:00-04:00"},
		},
		{
			name:  "New York fall back: 01:00 happens twice",
			hours: day("America/New_York", "2026-11-01", Range{0, h(4, 0)}),
			rules: Rules{Duration: time.Hour},
			now:   "2026-10-30T12:00", from: "2026-11-01T00:00", to: "2026-11-02T00:00", view: "America/New_York",
			want: []string{"2026-11-01T00:00-04:00", "2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00", "2026-11-01T02:00-05:00", "2026-11-01T03:00-05:00"},
		},
		{
			name:  "Berlin spring forward: hours from 02:30, which never happens, start at 03:00",
			hours: day("Europe/Berlin", "2026-03-29", Range{h(2, 30), h(4, 0)}),
			rules: Rules{Duration: 30 * time.Minute},
			now:   "2026-03-20T12:00", from: "2026-03-29T00:00", to: "2026-03-30T00:00", view: "Europe/Berlin",
			want: []string{"2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00"},
		},
		{
			name:  "Berlin fall back: 90 minutes every hour in a five-hour 01:00-05:00",
			hours: day("Europe/Berlin", "2026-10-25", Range{h(1, 0), h(5, 0)}),
			rules: Rules{Duration: 90 * time.Minute, Increment: time.Hour},
			now:   "2026-10-20T12:00", from: "2026-10-25T00:00", to: "2026-10-26T00:00", view: "Europe/Berlin",
			want: []string{"2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00", "2026-10-25T02:00+01:00", "2026-10-25T03:00+01:00"},
		},
		{
			name:  "Kolkata host, New York booker: notice, buffers around a Zoom meeting",
			hours: Hours{Zone: "Asia/Kolkata", Weekly: [7][]Range{time.Monday: {{h(9, 0), h(17, 0)}}}},
			rules: Rules{Duration: 45 * time.Minute, Increment: 30 * time.Minute, BufferBefore: 15 * time.Minute, BufferAfter: 15 * time.Minute, Notice: time.Hour},
			busy:  []Busy{{Start: at(t, "Asia/Kolkata", "2026-03-09T11:00"), End: at(t, "Asia/Kolkata", "2026-03-09T12:00")}},
			now:   "2026-03-09T09:20", from: "2026-03-09T00:00", to: "2026-03-10T00:00", view: "America/New_York",
			want: []string{"2026-03-09T03:00-04:00", "2026-03-09T03:30-04:00", "2026-03-09T04:00-04:00", "2026-03-09T04:30-04:00",
				"2026-03-09T05:00-04:00", "2026-03-09T05:30-04:00", "2026-03-09T06:00-04:00", "2026-03-09T06:30-04:00"},
		},
		{
			name:  "Lord Howe fall back by 30 minutes: 01:30 happens twice",
			hours: day("Australia/Lord_Howe", "2026-04-05", Range{h(1, 0), h(4, 0)}),
			rules: Rules{Duration: 30 * time.Minute},
			now:   "2026-04-01T12:00", from: "2026-04-05T00:00", to: "2026-04-06T00:00", view: "Australia/Lord_Howe",
			want: []string{"2026-04-05T01:00+11:00", "2026-04-05T01:30+11:00", "2026-04-05T01:30+10:30", "2026-04-05T02:00+10:30",
				"2026-04-05T02:30+10:30", "2026-04-05T03:00+10:30", "2026-04-05T03:30+10:30"},
		},
		{
			name:  "Lord Howe spring forward by 30 minutes: 02:00 is followed by 02:30",
			hours: day("Australia/Lord_Howe", "2026-10-04", Range{h(1, 0), h(4, 0)}),
			rules: Rules{Duration: 30 * time.Minute},
			now:   "2026-10-01T12:00", from: "2026-10-04T00:00", to: "2026-10-05T00:00", view: "Australia/Lord_Howe",
			want: []string{"2026-10-04T01:00+10:30", "2026-10-04T01:30+10:30", "2026-10-04T02:30+11:00", "2026-10-04T03:00+11:00", "2026-10-04T03:30+11:00"},
		},
		{
			name: "Berlin host, daily limit reached on one day, window ends the next morning",
			hours: Hours{Zone: "Europe/Berlin", Weekly: [7][]Range{
				time.Tuesday: {{h(9, 0), h(11, 0)}}, time.Wednesday: {{h(9, 0), h(11, 0)}}, time.Thursday: {{h(9, 0), h(11, 0)}}}},
			rules: Rules{Duration: time.Hour, DailyLimit: 2, WindowDays: 2},
			taken: map[string]int{"2026-03-10": 2},
			now:   "2026-03-09T09:30", from: "2026-03-10T00:00", to: "2026-03-13T00:00", view: "Europe/Berlin",
			want: []string{"2026-03-11T09:00+01:00"},
		},
		{
			name:  "New York host, Berlin booker in the weeks the two zones change apart: a booking's own buffers",
			hours: day("America/New_York", "2026-03-10", Range{h(9, 0), h(12, 0)}),
			rules: Rules{Duration: 30 * time.Minute},
			busy: []Busy{{Start: at(t, "America/New_York", "2026-03-10T10:00"), End: at(t, "America/New_York", "2026-03-10T10:30"),
				Before: 30 * time.Minute, After: 30 * time.Minute}},
			now: "2026-03-01T12:00", from: "2026-03-10T00:00", to: "2026-03-11T00:00", view: "Europe/Berlin",
			want: []string{"2026-03-10T14:00+01:00", "2026-03-10T16:00+01:00", "2026-03-10T16:30+01:00"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z := tc.hours.Zone
			cal := Calendar{Hours: tc.hours, Busy: tc.busy, Taken: tc.taken, Now: at(t, z, tc.now)}
			slots, err := Slots(cal, tc.rules, at(t, z, tc.from), at(t, z, tc.to))
			if err != nil {
				t.Fatal(err)
			}
			view := mustLoc(t, tc.view)
			got := []string{}
			for _, s := range slots {
				got = append(got, s.In(view).Format("2006-01-02T15:04Z07:00"))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("slots\n got %q\nwant %q", got, tc.want)
			}
			for _, s := range slots { // the in-transaction re-check agrees with the listing
				if ok, _ := Open(cal, tc.rules, s); !ok {
					t.Errorf("Open(%v) = false for a listed slot", s)
				}
			}
			if len(slots) > 0 {
				if ok, _ := Open(cal, tc.rules, slots[0].Add(time.Minute)); ok {
					t.Errorf("Open accepts a start between slots")
				}
			}
		})
	}
}

func TestParseRanges(t *testing.T) {
	rs, err := ParseRanges(" 09:00-12:00, 13:00-24:00 ")
	if err != nil || FormatRanges(rs) != "09:00-12:00, 13:00-24:00" {
		t.Fatalf("%v %v", rs, err)
	}
	for _, bad := range []string{"9-5", "12:00-09:00", "09:00-12:00, 11:00-13:00", "09:60-10:00", "23:00-24:30"} {
		if _, err := ParseRanges(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The merged spans that make availability fast rule out exactly the starts
// the plain pairwise check does, on random busy time and buffers.
func TestBlockedStartsAgreeWithPairwiseCheck(t *testing.T) {
	rnd := rand.New(rand.NewPCG(14, 14))
	base := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	for trial := range 200 {
		r := Rules{Duration: m(15 + rnd.IntN(60)), BufferBefore: m(rnd.IntN(3) * 10), BufferAfter: m(rnd.IntN(3) * 10)}
		var busy []Busy
		for range rnd.IntN(12) {
			s := base.Add(m(rnd.IntN(24 * 60)))
			busy = append(busy, Busy{Start: s, End: s.Add(m(5 + rnd.IntN(90))), Before: m(rnd.IntN(2) * 15), After: m(rnd.IntN(2) * 15)})
		}
		blocked := blockedStarts(busy, r)
		for s := base.Add(-2 * time.Hour); s.Before(base.Add(26 * time.Hour)); s = s.Add(5 * time.Minute) {
			if got, want := blocked.has(s), clash(busy, s, s.Add(r.Duration), r); got != want {
				t.Fatalf("trial %d: start %v blocked=%v, pairwise=%v (rules %+v, busy %+v)", trial, s, got, want, r, busy)
			}
		}
	}
}
