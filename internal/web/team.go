package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// visiblePeople are the active people the viewer may see, by name; team
// narrows them to one team when set. The team is chosen on every person's
// id and team only; whole rows are read for those shown (G7: a team of a
// thousand-person organization reads ten).
func (a *App) visiblePeople(ctx context.Context, v *viewer, team string) ([]store.Person, teamChoice, error) {
	brief, err := a.st.PeopleTeams(ctx, v.org.ID)
	if err != nil {
		return nil, teamChoice{}, err
	}
	choice := chooseTeam(v, brief, team)
	shows := func(p store.Person) bool { return p.Active && v.canView(p) && choice.matches(p) }
	var ids []int64
	for _, p := range brief {
		if shows(p) {
			ids = append(ids, p.ID)
		}
	}
	var rows []store.Person
	if len(ids) > maxFilteredPeople {
		rows, err = a.st.People(ctx, v.org.ID)
	} else {
		rows, err = a.st.PeopleByIDs(ctx, v.org.ID, ids)
	}
	if err != nil {
		return nil, teamChoice{}, err
	}
	var out []store.Person
	for _, p := range rows {
		if shows(p) { // again on the whole row: it may have changed between the reads
			out = append(out, p)
		}
	}
	return out, choice, nil
}

// mappedPeople reports which of ps have a Zoom user mapped to them.
func (a *App) mappedPeople(ctx context.Context, orgID int64, ps []store.Person) (map[int64]bool, error) {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	out := map[int64]bool{}
	for len(ids) > 0 {
		part := ids[:min(len(ids), maxFilteredPeople)]
		ids = ids[len(part):]
		m, err := a.st.ZoomUserIDsOfPeople(ctx, orgID, part)
		if err != nil {
			return nil, err
		}
		for id := range m {
			out[id] = true
		}
	}
	return out, nil
}

// peopleFilter is the store filter for a page's rows: their ids when they
// are a team's few, so the page reads their activities through the
// person/start index instead of the whole organization's (G7); nil, the
// organization's day, when they are many.
func peopleFilter(ps []store.Person) []int64 {
	if len(ps) > maxFilteredPeople {
		return nil
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// maxFilteredPeople keeps the filter's list well under both databases'
// limits on bound parameters.
const maxFilteredPeople = 500

// zoomUsersByPerson maps person id to the Zoom users mapped to them.
func (a *App) zoomUsersByPerson(ctx context.Context, orgID int64) (map[int64][]store.ZoomUser, error) {
	users, err := a.st.ZoomUsers(ctx, orgID)
	if err != nil {
		return nil, err
	}
	m := map[int64][]store.ZoomUser{}
	for _, u := range users {
		if u.PersonID != 0 {
			m[u.PersonID] = append(m[u.PersonID], u)
		}
	}
	return m, nil
}

func personNames(ps []store.Person) map[int64]string {
	m := make(map[int64]string, len(ps))
	for _, p := range ps {
		m[p.ID] = displayName(p)
	}
	return m
}

func displayName(p store.Person) string { return firstNonEmpty(p.Name, p.Email) }

// rowNote says why a person's row may be empty, when the reason is known.
func rowNote(p store.Person, mapped bool) string {
	switch {
	case !p.ZoomEnabled:
		return "Zoom service off"
	case !mapped:
		return "Not mapped to a Zoom user"
	}
	return ""
}

type teamData struct {
	FellBack string // today's date, when today is empty and the last active day is shown
	NoZoom   bool   // nothing is connected yet: say so instead of empty rows
	// Disconnected says when and by whom, when Zoom was connected before.
	Disconnected *disconnected
	Day          dayNav
	Date         string
	Team         string
	Pick         teamChoice
	Live         liveState
	TL           timeline
	Legend       []legendItem
	Count        int
	CSV          string
	CanCSV       bool
	WeekLink     string
}

// team is the team's day: people as rows, their meetings, calls and webinars.
func (a *App) team(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx, now := r.Context(), a.now()
	day, err := dayParam(r, v.tz, now)
	if err != nil {
		return err
	}
	team := strings.TrimSpace(r.URL.Query().Get("team"))
	ps, pick, err := a.visiblePeople(ctx, v, team)
	team = pick.Selected
	if err != nil {
		return err
	}
	rows := peopleFilter(ps)
	acts, err := a.st.Activities(ctx, store.ActivityFilter{OrgID: v.org.ID, People: rows, From: day, To: addDays(day, 1)})
	if err != nil {
		return err
	}
	var fellBack string
	if len(acts) == 0 && !explicitDate(r) {
		// Nothing yet today (early morning, a Monday): show the last day
		// with activity rather than an empty page, and say so.
		if last, ok, err := a.lastActiveDay(ctx, store.ActivityFilter{OrgID: v.org.ID, People: rows}, day); err != nil {
			return err
		} else if ok {
			fellBack, day = day.Format(dateLayout), last
			if acts, err = a.st.Activities(ctx, store.ActivityFilter{OrgID: v.org.ID, People: rows, From: day, To: addDays(day, 1)}); err != nil {
				return err
			}
		}
	}
	mapped, err := a.mappedPeople(ctx, v.org.ID, ps)
	if err != nil {
		return err
	}
	byPerson := map[int64][]store.Activity{}
	for _, act := range acts {
		byPerson[act.PersonID] = append(byPerson[act.PersonID], act)
	}
	date := day.Format(dateLayout)
	specs := make([]rowSpec, 0, len(ps))
	count := 0
	hints := rowHints(ps)
	for _, p := range ps {
		count += len(byPerson[p.ID])
		specs = append(specs, rowSpec{Label: displayName(p), Sub: hints[p.ID], Href: personPath(p.ID) + "?date=" + date, Day: day,
			Acts: byPerson[p.ID], Note: rowNote(p, mapped[p.ID])})
	}
	q := url.Values{"from": {date}, "to": {date}}
	if team != "" {
		q.Set("team", team)
	}
	conns, err := a.st.Connections(ctx, v.org.ID)
	if err != nil {
		return err
	}
	lq := url.Values{"date": {date}}
	if team != "" {
		lq.Set("team", team)
	}
	live, err := a.live(ctx, v, "/team/live?"+lq.Encode(), 0, day, addDays(day, 1))
	if err != nil {
		return err
	}
	var gone *disconnected
	if len(conns) == 0 {
		if gone, err = a.lastDisconnected(ctx, v.org.ID, v.tz); err != nil {
			return err
		}
	}
	d := teamData{Live: live, FellBack: fellBack, NoZoom: len(conns) == 0, Disconnected: gone, Day: navDays(day, now, 1, day.Format("Monday 2 January 2006"), url.Values{"team": {team}}), Date: date, Team: team, Pick: pick,
		TL: buildTimeline(specs, now, personNames(ps)), Legend: legend(v.org), Count: count,
		CSV: "/activities.csv?" + q.Encode(), CanCSV: v.can(people.ExportActivities),
		WeekLink: "/reports/weekly?date=" + date + teamQuery(team)}
	a.render(w, r, v, http.StatusOK, "team", page{Title: "Team", Section: "team", Data: d})
	return nil
}

// rowHints is the line under each name on the timeline: the team, and the
// email too where two people share a name, so their rows can be told apart.
func rowHints(ps []store.Person) map[int64]string {
	named := map[string]int{}
	for _, p := range ps {
		named[strings.ToLower(displayName(p))]++
	}
	out := make(map[int64]string, len(ps))
	for _, p := range ps {
		out[p.ID] = p.Team
		if named[strings.ToLower(displayName(p))] > 1 && p.Name != "" {
			out[p.ID] = joinNonEmpty(" · ", p.Team, p.Email)
		}
	}
	return out
}

func teamQuery(team string) string {
	if team == "" {
		return ""
	}
	return "&team=" + url.QueryEscape(team)
}

func personPath(id int64) string { return "/people/" + strconv.FormatInt(id, 10) }

// pathID reads a numeric path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}
