package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// maxExportDays bounds one export; a year of a large team is still one file.
const maxExportDays = 366

var csvHeader = []string{"person", "email", "team", "kind", "title", "start", "end", "duration_seconds", "duration",
	"size", "participants_count", "direction", "caller_id", "device", "zoom_meeting_id"}

// exportCSV streams the activities the viewer may see between two dates
// (inclusive, in the organization's zone), one person's or everyone's.
func (a *App) exportCSV(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx, now := r.Context(), a.now()
	q := r.URL.Query()
	week := weekStart(now.In(v.tz))
	from, err := dateParam(q, "from", v.tz, week)
	if err != nil {
		return err
	}
	to, err := dateParam(q, "to", v.tz, addDays(from, 6))
	if err != nil {
		return err
	}
	to = addDays(to, 1)
	if !from.Before(to) || to.Sub(from) > maxExportDays*24*time.Hour {
		return badRequest(fmt.Sprintf("Choose a range of 1 to %d days.", maxExportDays))
	}
	var only int64
	if s := q.Get("person"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return errNotFound
		}
		p, err := a.person(r, v, id)
		if err != nil {
			return err
		}
		only = p.ID
	}
	ps, pick, err := a.visiblePeople(ctx, v, q.Get("team"))
	if err != nil {
		return err
	}
	if pick.Note != "" {
		return badRequest(pick.Note) // a file cannot carry a note: refuse rather than export another team
	}
	who := map[int64]store.Person{}
	for _, p := range ps {
		who[p.ID] = p
	}
	name := fmt.Sprintf("zoombridge-activities-%s-to-%s.csv", from.Format(dateLayout), addDays(to, -1).Format(dateLayout))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	f := store.ActivityFilter{OrgID: v.org.ID, PersonID: only, From: from, To: to, Limit: 1000}
	rows := 0
	for {
		page, err := a.st.Activities(ctx, f)
		if err != nil {
			return err // headers are sent; the log has it and the file ends short
		}
		for _, act := range page {
			if p, ok := who[act.PersonID]; ok {
				cw.Write(csvRecord(act, p, v.tz, now))
				rows++
			}
		}
		if len(page) < f.Limit {
			break
		}
		last := page[len(page)-1]
		f.AfterID, f.AfterAt = last.ID, last.StartAt
	}
	cw.Flush()
	if err := a.st.Audit(ctx, store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "activities.exported",
		Detail: fmt.Sprintf("%d rows, %s", rows, name), At: now}); err != nil {
		// The file is sent already; the missing audit line must at least be in the log.
		a.log.Error("web: audit an export", "org_id", v.org.ID, "rows", rows, "err", err)
	}
	return cw.Error()
}

func csvRecord(a store.Activity, p store.Person, loc *time.Location, now time.Time) []string {
	end := ""
	if !a.EndAt.IsZero() {
		end = a.EndAt.In(loc).Format(time.RFC3339)
	}
	size := ""
	if a.Kind != store.ActivityCall {
		switch {
		case a.ParticipantsCount == 2:
			size = "one_on_one"
		case a.ParticipantsCount > 2:
			size = "group"
		}
	}
	d := activityDuration(a, now)
	return []string{cell(displayName(p)), cell(p.Email), cell(p.Team), a.Kind, cell(a.Title), a.StartAt.In(loc).Format(time.RFC3339), end,
		strconv.Itoa(int(d.Seconds())), fmtDuration(d), size,
		strconv.Itoa(a.ParticipantsCount), a.Direction, cell(callerName(a.CallerName)), cell(deviceName(a.Device)), a.ZoomNumber}
}

// cell defuses spreadsheet formulas: a meeting topic is typed by anyone who
// schedules a meeting, and "=HYPERLINK(...)" must stay text when opened.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
