package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

const dateLayout = "2006-01-02"

// dayParam reads ?date=YYYY-MM-DD as midnight in loc; today when absent. A
// date that is present but not a real day is a 400 naming it, not today:
// showing another day than the one asked for would mislead.
func dayParam(r *http.Request, loc *time.Location, now time.Time) (time.Time, error) {
	return dateParam(r.URL.Query(), "date", loc, midnight(now.In(loc)))
}

// dateParam reads one YYYY-MM-DD parameter; def when it is absent.
func dateParam(q url.Values, name string, loc *time.Location, def time.Time) (time.Time, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	d, err := time.ParseInLocation(dateLayout, s, loc)
	if err != nil {
		return time.Time{}, badRequest(fmt.Sprintf("%s=%q is not a date. Use YYYY-MM-DD, for example %s.", name, s, def.Format(dateLayout)))
	}
	return d, nil
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

// lookBack is how far an empty "today" looks back for the last day with
// activity, in days.
const lookBack = 14

// lastActiveDay is the latest working day before day (at most lookBack days
// back) with visible activity of whose (an organization, a person or a
// team's people; its dates are ignored); a weekend day only when no working
// day has any. ok is false when there is none.
func (a *App) lastActiveDay(ctx context.Context, whose store.ActivityFilter, day time.Time) (time.Time, bool, error) {
	var weekend time.Time
	for i := 1; i <= lookBack; i++ {
		d := addDays(day, -i)
		f := whose
		f.From, f.To, f.Limit = d, addDays(d, 1), 1
		acts, err := a.st.Activities(ctx, f)
		if err != nil {
			return time.Time{}, false, err
		}
		switch {
		case len(acts) == 0:
		case d.Weekday() != time.Saturday && d.Weekday() != time.Sunday:
			return d, true, nil
		case weekend.IsZero():
			weekend = d
		}
	}
	return weekend, !weekend.IsZero(), nil
}

// explicitDate reports whether the page was asked for a date.
func explicitDate(r *http.Request) bool { return r.URL.Query().Get("date") != "" }
