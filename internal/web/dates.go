package web

import (
	"net/http"
	"net/url"
	"time"
)

const dateLayout = "2006-01-02"

// dayParam reads ?date=YYYY-MM-DD as midnight in loc; today when absent or bad.
func dayParam(r *http.Request, loc *time.Location, now time.Time) time.Time {
	if d, err := time.ParseInLocation(dateLayout, r.URL.Query().Get("date"), loc); err == nil {
		return d
	}
	return midnight(now.In(loc))
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// addDays moves by calendar days, so a DST change does not shift midnight.
func addDays(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, t.Location())
}

// weekStart is the Monday of t's week, at midnight.
func weekStart(t time.Time) time.Time {
	off := (int(t.Weekday()) + 6) % 7
	return addDays(midnight(t), -off)
}

// dayNav is the previous/next/today links of a dated page; the links keep
// the page's other parameters (team, view).
type dayNav struct {
	Label, Prev, Next, Today string
	IsToday                  bool
}

func navDays(day time.Time, now time.Time, step int, label string, keep url.Values) dayNav {
	today := midnight(now.In(day.Location()))
	href := func(d time.Time) string {
		q := url.Values{}
		for k, v := range keep {
			if len(v) > 0 && v[0] != "" {
				q.Set(k, v[0])
			}
		}
		q.Set("date", d.Format(dateLayout))
		return "?" + q.Encode()
	}
	return dayNav{Label: label, Prev: href(addDays(day, -step)), Next: href(addDays(day, step)),
		Today: href(today), IsToday: !today.Before(day) && today.Before(addDays(day, step))}
}
