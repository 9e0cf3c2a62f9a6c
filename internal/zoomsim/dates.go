package zoomsim

import (
	"sort"
	"time"
)

const zoomDate = "2006-01-02"

// parseDateOrTime accepts Zoom's "yyyy-mm-dd" and "yyyy-MM-ddTHH:mm:ssZ" forms.
func parseDateOrTime(s string) (time.Time, bool) {
	for _, layout := range []string{zoomDate, zoomTime, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// optionalDates reads from/to when given; to covers its whole day.
func optionalDates(c *reqCtx) (from, to time.Time, err *apiErr) {
	if v := c.query("from"); v != "" {
		t, ok := parseDateOrTime(v)
		if !ok {
			return from, to, errValidation("Invalid field: from.")
		}
		from = t
	}
	if v := c.query("to"); v != "" {
		t, ok := parseDateOrTime(v)
		if !ok {
			return from, to, errValidation("Invalid field: to.")
		}
		to = endOfDate(v, t)
	}
	return from, to, nil
}

// endOfDate makes a bare date inclusive of its whole day.
func endOfDate(raw string, t time.Time) time.Time {
	if len(raw) == len(zoomDate) {
		return t.Add(24*time.Hour - time.Second)
	}
	return t
}

func inDates(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}

// dateRange reads a required-or-defaulted from/to window of at most maxDays,
// the rule of the recordings, report and call history endpoints.
func dateRange(c *reqCtx, defFrom, defTo time.Time, maxDays int) (from, to time.Time, err *apiErr) {
	from, to, err = optionalDates(c)
	if err != nil {
		return from, to, err
	}
	if from.IsZero() {
		from = defFrom
	}
	if to.IsZero() {
		to = defTo
	}
	switch {
	case to.Before(from):
		return from, to, errValidation("The to date must be later than the from date.")
	case day(to).Sub(day(from)) > time.Duration(maxDays)*24*time.Hour:
		return from, to, errValidation("The date range cannot exceed one month.")
	}
	return from, to, nil
}

func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

func sortBy[T any](xs []T, key func(T) string) {
	sort.SliceStable(xs, func(i, j int) bool { return key(xs[i]) < key(xs[j]) })
}
