package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// personHead is the top of every person page: who, and which tabs.
type personHead struct {
	P         store.Person
	Name      string
	Tab       string
	CanEdit   bool
	CanList   bool // may open the People directory (the breadcrumb links there)
	ZoomUsers []store.ZoomUser
}

func (a *App) personHead(r *http.Request, v *viewer, tab string) (personHead, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return personHead{}, err
	}
	p, err := a.person(r, v, id)
	if err != nil {
		return personHead{}, err
	}
	m, err := a.zoomUsersByPerson(r.Context(), v.org.ID)
	if err != nil {
		return personHead{}, err
	}
	return personHead{P: p, Name: displayName(p), Tab: tab, CanEdit: people.CanManage(v.actor(), p), CanList: v.can(people.ViewTeam), ZoomUsers: m[p.ID]}, nil
}

type personTimelineData struct {
	Live     liveState
	FellBack string // today's date, when today is empty and the last active day is shown
	Head     personHead
	View     string // day | week
	Day      dayNav
	Date     string
	TL       timeline
	Legend   []legendItem
	Acts     []actRow
	Totals   []kindTotal
	CSV      string
	CanCSV   bool
	Empty    string // why nothing shows, in a sentence, when the page is empty
}

// actRow is one line of the activity list under the timeline (the same
// facts as the blocks, for phones, screen readers and printing).
type actRow struct {
	Kind, Label, When, Duration, Extra string
}

type kindTotal struct {
	Kind, One, Many string // the kind's name for one and for several
	Count           int
	Time            string
}

// personTimeline is a person's day or week.
func (a *App) personTimeline(w http.ResponseWriter, r *http.Request, v *viewer) error {
	head, err := a.personHead(r, v, "timeline")
	if err != nil {
		return err
	}
	ctx, now := r.Context(), a.now()
	day, err := dayParam(r, v.tz, now)
	if err != nil {
		return err
	}
	view := r.URL.Query().Get("view")
	from, days := day, 1
	if view == "week" {
		from, days = weekStart(day), 7
	} else {
		view = "day"
	}
	to := addDays(from, days)
	acts, err := a.st.Activities(ctx, store.ActivityFilter{OrgID: v.org.ID, PersonID: head.P.ID, From: from, To: to})
	if err != nil {
		return err
	}
	var fellBack string
	if len(acts) == 0 && !explicitDate(r) && view == "day" {
		if last, ok, err := a.lastActiveDay(ctx, store.ActivityFilter{OrgID: v.org.ID, PersonID: head.P.ID}, day); err != nil {
			return err
		} else if ok {
			fellBack, day, from, to = day.Format(dateLayout), last, last, addDays(last, 1)
			if acts, err = a.st.Activities(ctx, store.ActivityFilter{OrgID: v.org.ID, PersonID: head.P.ID, From: from, To: to}); err != nil {
				return err
			}
		}
	}
	specs := make([]rowSpec, days)
	for i := range specs {
		d := addDays(from, i)
		specs[i] = rowSpec{Label: d.Format("Mon"), Sub: d.Format("2 Jan"), Day: d,
			Href: personPath(head.P.ID) + "?date=" + d.Format(dateLayout)}
		if days == 1 {
			specs[i].Href = ""
		}
	}
	for _, act := range acts {
		i := int(act.StartAt.In(v.tz).Sub(from).Hours() / 24)
		if i >= 0 && i < days {
			specs[i].Acts = append(specs[i].Acts, act)
		}
	}
	label := day.Format("Monday 2 January 2006")
	if view == "week" {
		label = "Week of " + from.Format("2 January 2006")
	}
	q := url.Values{"from": {from.Format(dateLayout)}, "to": {addDays(to, -1).Format(dateLayout)}, "person": {itoa(head.P.ID)}}
	lq := url.Values{"date": {day.Format(dateLayout)}, "view": {view}}
	live, err := a.live(ctx, v, personPath(head.P.ID)+"/live?"+lq.Encode(), head.P.ID, from, to)
	if err != nil {
		return err
	}
	d := personTimelineData{Live: live, FellBack: fellBack, Head: head, View: view, Day: navDays(from, now, days, label, url.Values{"view": {view}}), Date: day.Format(dateLayout),
		TL: buildTimeline(specs, now, nil), Legend: legend(v.org), Acts: actRows(acts, v.tz, now, days > 1), Totals: totals(acts, now),
		CSV: "/activities.csv?" + q.Encode(), CanCSV: v.can(people.ExportActivities)}
	if len(acts) == 0 {
		d.Empty = emptyReason(head, v.org)
	}
	a.render(w, r, v, http.StatusOK, "person", page{Title: head.Name, Section: personSection(v, head.P), Data: d})
	return nil
}

// personSection highlights "Team" for someone else and "My timeline" for oneself.
func personSection(v *viewer, p store.Person) string {
	if p.ID == v.me.ID {
		return "me"
	}
	return "people"
}

// emptyReason is the first thing that explains an empty timeline; the
// Troubleshooting tab has the full list.
func emptyReason(h personHead, o store.Organization) string {
	switch {
	case !h.P.ZoomEnabled:
		return "The Zoom service is switched off for this person."
	case len(h.ZoomUsers) == 0:
		return "This person is not mapped to a Zoom user yet."
	case !o.MeetingsEnabled && !o.PhoneEnabled && !o.WebinarsEnabled:
		return "Meetings, Phone and Webinars are all switched off for the organization."
	}
	return "No hosted meetings, webinars or Zoom Phone calls in this period. Meetings this person only joined are not available from Zoom."
}

func actRows(acts []store.Activity, loc *time.Location, now time.Time, withDay bool) []actRow {
	layout := "15:04"
	if withDay {
		layout = "Mon 2 Jan 15:04"
	}
	out := make([]actRow, 0, len(acts))
	for _, a := range acts {
		row := actRow{Kind: a.Kind, Label: blockLabel(a),
			When:     a.StartAt.In(loc).Format(layout) + "–" + activityEnd(a, now).In(loc).Format("15:04"),
			Duration: fmtDuration(activityDuration(a, now))}
		switch a.Kind {
		case store.ActivityMeeting:
			row.Extra = meetingSize(a.ParticipantsCount)
		case store.ActivityCall:
			row.Extra = joinNonEmpty(" · ", a.Direction, deviceName(a.Device))
		}
		switch {
		case running(a, now):
			row.Duration = "in progress"
		case endUnknown(a, now):
			row.When, row.Duration = a.StartAt.In(loc).Format(layout), "end not reported"
		}
		out = append(out, row)
	}
	return out
}

func totals(acts []store.Activity, now time.Time) []kindTotal {
	out := []kindTotal{{Kind: store.ActivityMeeting, One: "meeting", Many: "meetings"}, {Kind: store.ActivityCall, One: "call", Many: "calls"}, {Kind: store.ActivityWebinar, One: "webinar", Many: "webinars"}}
	sum := make([]time.Duration, len(out))
	for _, a := range acts {
		for i := range out {
			if out[i].Kind == a.Kind {
				out[i].Count++
				sum[i] += activityDuration(a, now)
			}
		}
	}
	for i := range out {
		out[i].Time = fmtDuration(sum[i])
	}
	return out
}

func joinNonEmpty(sep string, ss ...string) string {
	out := ""
	for _, s := range ss {
		if s == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += s
	}
	return out
}
