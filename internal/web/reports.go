package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The weekly chart: hours in meetings, calls and webinars per person (A7),
// and the team's hours per day, drawn on the server as bars and SVG.

type barSeg struct {
	Kind  string
	Width float64 // percent of the widest person's total
	Hours string
}

type personBar struct {
	P        store.Person
	Name     string
	Href     string
	Segs     []barSeg
	Total    string
	Meetings string
	Calls    string
	Webinars string
	Count    int
}

type dayCol struct {
	Label  string
	X      float64
	W, Mid float64 // the bar's width, and its centre's offset from X
	Segs   []colSeg
	Total  string
	TotalY float64
}

type colSeg struct {
	Kind      string
	Y, Height float64
	Title     string
}

type weeklyData struct {
	FellBack string // this week's Monday, when this week is empty and the last active week is shown
	Week     dayNav
	Date     string
	Team     string
	Pick     teamChoice
	Bars     []personBar
	Days     []dayCol
	ChartW   float64 // the SVG's viewBox width: the card's at a desk
	Grid     []gridLine
	Legend   []legendItem
	Sum      []kindTotal
	CSV      string
	CanCSV   bool
}

type gridLine struct {
	Y     float64
	Label string
}

var kinds = []string{store.ActivityMeeting, store.ActivityCall, store.ActivityWebinar}

func (a *App) weekly(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx, now := r.Context(), a.now()
	day, err := dayParam(r, v.tz, now)
	if err != nil {
		return err
	}
	from := weekStart(day)
	to := addDays(from, 7)
	team := strings.TrimSpace(r.URL.Query().Get("team"))
	ps, pick, err := a.visiblePeople(ctx, v, team)
	team = pick.Selected
	if err != nil {
		return err
	}
	rows := peopleFilter(ps)
	acts, err := a.st.Activities(ctx, store.ActivityFilter{OrgID: v.org.ID, People: rows, From: from, To: to})
	if err != nil {
		return err
	}
	var fellBack string
	if len(acts) == 0 && !explicitDate(r) {
		// A Monday morning: show last week rather than seven empty columns.
		if last, ok, err := a.lastActiveDay(ctx, store.ActivityFilter{OrgID: v.org.ID, People: rows}, from); err != nil {
			return err
		} else if ok {
			fellBack, from = from.Format(dateLayout), weekStart(last)
			to = addDays(from, 7)
			if acts, err = a.st.Activities(ctx, store.ActivityFilter{OrgID: v.org.ID, People: rows, From: from, To: to}); err != nil {
				return err
			}
		}
	}
	visible := map[int64]bool{}
	for _, p := range ps {
		visible[p.ID] = true
	}
	var shown []store.Activity
	for _, act := range acts {
		if visible[act.PersonID] {
			shown = append(shown, act)
		}
	}
	q := url.Values{"from": {from.Format(dateLayout)}, "to": {addDays(to, -1).Format(dateLayout)}}
	if team != "" {
		q.Set("team", team)
	}
	d := weeklyData{FellBack: fellBack, Week: navDays(from, now, 7, "Week of "+from.Format("2 January 2006"), url.Values{"team": {team}}), Date: from.Format(dateLayout), Team: team, Pick: pick,
		Bars: personBars(ps, shown, now, from.Format(dateLayout)), Legend: legend(v.org), Sum: totals(shown, now),
		CSV: "/activities.csv?" + q.Encode(), CanCSV: v.can(people.ExportActivities)}
	d.Days, d.Grid = dayColumns(shown, from, v.tz, now)
	d.ChartW = chartW
	a.render(w, r, v, http.StatusOK, "weekly", page{Title: "Weekly hours", Section: "reports", Data: d})
	return nil
}

func personBars(ps []store.Person, acts []store.Activity, now time.Time, date string) []personBar {
	sums := map[int64]map[string]time.Duration{}
	counts := map[int64]int{}
	for _, a := range acts {
		if sums[a.PersonID] == nil {
			sums[a.PersonID] = map[string]time.Duration{}
		}
		sums[a.PersonID][a.Kind] += activityDuration(a, now)
		counts[a.PersonID]++
	}
	var maxTotal time.Duration
	for _, m := range sums {
		maxTotal = max(maxTotal, m[store.ActivityMeeting]+m[store.ActivityCall]+m[store.ActivityWebinar])
	}
	out := make([]personBar, 0, len(ps))
	for _, p := range ps {
		m := sums[p.ID]
		total := m[store.ActivityMeeting] + m[store.ActivityCall] + m[store.ActivityWebinar]
		b := personBar{P: p, Name: displayName(p), Href: personPath(p.ID) + "?view=week&date=" + date, Total: fmtDuration(total), Count: counts[p.ID],
			Meetings: fmtDuration(m[store.ActivityMeeting]), Calls: fmtDuration(m[store.ActivityCall]), Webinars: fmtDuration(m[store.ActivityWebinar])}
		for _, k := range kinds {
			if m[k] > 0 && maxTotal > 0 {
				b.Segs = append(b.Segs, barSeg{Kind: k, Width: float64(m[k]) / float64(maxTotal) * 100, Hours: fmtDuration(m[k])})
			}
		}
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool { return barTotal(out[i]) > barTotal(out[j]) })
	return out
}

func barTotal(b personBar) float64 {
	t := 0.0
	for _, s := range b.Segs {
		t += s.Width
	}
	return t
}

// Chart geometry of the per-day columns, in SVG user units. chartW is the
// card's inner width on a 1280 px screen (main's 1240 px less paddings and
// border), so there one unit is one pixel: the seven days fill the card and
// the 11 px labels stay 11 px. Narrower screens scale it (phones scroll it).
const (
	chartW, chartH, chartTop, chartLeft = 1160.0, 160.0, 16.0, 36.0
	daySlot                             = (chartW - chartLeft) / 7
	colW, colGap                        = daySlot * 0.6, daySlot * 0.4
)

func dayColumns(acts []store.Activity, from time.Time, loc *time.Location, now time.Time) ([]dayCol, []gridLine) {
	sums := make([]map[string]time.Duration, 7)
	for i := range sums {
		sums[i] = map[string]time.Duration{}
	}
	var peak time.Duration
	for _, a := range acts {
		i := int(a.StartAt.In(loc).Sub(from).Hours() / 24)
		if i >= 0 && i < 7 {
			sums[i][a.Kind] += activityDuration(a, now)
		}
	}
	for _, m := range sums {
		peak = max(peak, m[store.ActivityMeeting]+m[store.ActivityCall]+m[store.ActivityWebinar])
	}
	scale := niceCeil(peak.Hours())
	cols := make([]dayCol, 7)
	for i := range cols {
		d := addDays(from, i)
		c := dayCol{Label: d.Format("Mon 2"), X: chartLeft + colGap/2 + float64(i)*daySlot, W: colW, Mid: colW / 2}
		y := chartTop + chartH
		var total time.Duration
		for _, k := range kinds {
			h := sums[i][k].Hours() / scale * chartH
			if h > 0 {
				y -= h
				c.Segs = append(c.Segs, colSeg{Kind: k, Y: y, Height: h, Title: fmt.Sprintf("%s, %s: %s", d.Format("Mon 2 Jan"), kindName(k), fmtDuration(sums[i][k]))})
			}
			total += sums[i][k]
		}
		c.Total, c.TotalY = fmtDuration(total), y-4
		cols[i] = c
	}
	var grid []gridLine
	for _, f := range []float64{0, 0.5, 1} {
		grid = append(grid, gridLine{Y: chartTop + chartH - f*chartH, Label: fmt.Sprintf("%g h", f*scale)})
	}
	return cols, grid
}

// niceCeil rounds an axis maximum up to 1, 2 or 5 times a power of ten (at least 1 hour).
func niceCeil(x float64) float64 {
	if x <= 1 {
		return 1
	}
	p := 1.0
	for p*10 <= x {
		p *= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}
