// Package booking is scheduling (features S1–S3): meeting types, working
// hours, availability, bookings that create Zoom meetings on the host's
// account, calendar invites (.ics) and the mail that carries them.
package booking

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Range is a stretch of one day in the host's wall clock, in minutes after
// local midnight; To may be 1440 (midnight at the end of the day).
type Range struct {
	From int `json:"from"`
	To   int `json:"to"`
}

func (r Range) String() string { return clock(r.From) + "-" + clock(r.To) }

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// Hours are a person's working hours: per weekday (time.Weekday order), with
// date overrides ("2006-01-02" → ranges; an empty list is a day off).
type Hours struct {
	Zone      string             `json:"zone"`
	Weekly    [7][]Range         `json:"weekly"`
	Overrides map[string][]Range `json:"overrides,omitempty"`
}

// DefaultHours are Monday to Friday, 09:00 to 17:00, in zone.
func DefaultHours(zone string) Hours {
	h := Hours{Zone: zone}
	for d := time.Monday; d <= time.Friday; d++ {
		h.Weekly[d] = []Range{{9 * 60, 17 * 60}}
	}
	return h
}

// Location loads the hours' zone.
func (h Hours) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(h.Zone)
	if err != nil || h.Zone == "" {
		return nil, fmt.Errorf("time zone %q is not an IANA zone name", h.Zone)
	}
	return loc, nil
}

// on returns the ranges that apply to a local date.
func (h Hours) on(d Date) []Range {
	if r, ok := h.Overrides[d.String()]; ok {
		return r
	}
	return h.Weekly[d.Weekday()]
}

// MarshalText / parse keep the stored form one JSON document.
func (h Hours) JSON() string {
	b, _ := json.Marshal(h)
	return string(b)
}

// ParseHoursJSON reads what JSON wrote.
func ParseHoursJSON(s string) (Hours, error) {
	var h Hours
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return Hours{}, fmt.Errorf("working hours: %w", err)
	}
	return h, nil
}

// ParseRanges reads "09:00-12:00, 13:00-17:00" (empty: none). Ranges must be
// in order and not overlap.
func ParseRanges(s string) ([]Range, error) {
	var out []Range
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(part, "-")
		from, err1 := parseClock(a)
		to, err2 := parseClock(b)
		if !ok || err1 != nil || err2 != nil || to <= from {
			return nil, fmt.Errorf("%q is not a range like 09:00-17:00", part)
		}
		if len(out) > 0 && from < out[len(out)-1].To {
			return nil, fmt.Errorf("%q overlaps or comes before the range before it", part)
		}
		out = append(out, Range{from, to})
	}
	return out, nil
}

// FormatRanges is ParseRanges' inverse.
func FormatRanges(rs []Range) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return hh*60 + mm, nil
}

// Date is a calendar date with no zone.
type Date struct {
	Y int
	M time.Month
	D int
}

// DateOf is t's date in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseDate reads 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2026-03-08", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

func (d Date) naive(min int) time.Time                  { return time.Date(d.Y, d.M, d.D, 0, min, 0, 0, time.UTC) }
func (d Date) String() string                           { return d.naive(0).Format(time.DateOnly) }
func (d Date) Weekday() time.Weekday                    { return d.naive(0).Weekday() }
func (d Date) AddDays(n int) Date                       { return DateOf(d.naive(0).AddDate(0, 0, n), time.UTC) }
func (d Date) Before(o Date) bool                       { return d.naive(0).Before(o.naive(0)) }
func (d Date) At(min int, loc *time.Location) time.Time { return wallInstant(d.naive(min), loc) }

// wallInstant is the instant a wall-clock time (given as a UTC-labelled time)
// happens in loc. Of a time that happens twice (the hour repeated when clocks
// go back) it takes the first; a time that never happens (skipped when clocks
// go forward) becomes the moment the clocks jumped, when the day carries on.
func wallInstant(wall time.Time, loc *time.Location) time.Time {
	var best time.Time
	found := false
	for _, probe := range []time.Time{wall.Add(-36 * time.Hour), wall.Add(36 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		c := wall.Add(-time.Duration(off) * time.Second)
		if sameWall(c.In(loc), wall) && (!found || c.Before(best)) {
			best, found = c, true
		}
	}
	if found {
		return best
	}
	_, off := wall.Add(-36 * time.Hour).In(loc).Zone()
	start, _ := wall.Add(-time.Duration(off) * time.Second).In(loc).ZoneBounds()
	return start
}

func sameWall(local, wall time.Time) bool {
	y, m, d := local.Date()
	wy, wm, wd := wall.Date()
	return y == wy && m == wm && d == wd && local.Hour() == wall.Hour() && local.Minute() == wall.Minute()
}
