package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Activity is a hosted meeting, hosted webinar or Zoom Phone call as the API
// shows it: metadata only, a participant count at most, never who (A4).
type Activity struct {
	ID              int64   `json:"id"`
	PersonID        int64   `json:"person_id"`
	Kind            string  `json:"kind"`
	ZoomID          string  `json:"zoom_id"`
	ZoomUserID      string  `json:"zoom_user_id"`
	Title           string  `json:"title"`
	Start           string  `json:"start"`
	End             *string `json:"end"`
	DurationSeconds int     `json:"duration_seconds"`
	// Meetings and webinars.
	ZoomNumber        string `json:"zoom_number,omitempty"`
	ParticipantsCount *int   `json:"participants_count,omitempty"`
	Size              string `json:"size,omitempty"`
	// Calls.
	Direction  string `json:"direction,omitempty"`
	CallerName string `json:"caller_name,omitempty"`
	Device     string `json:"device,omitempty"`
}

var kinds = []string{store.ActivityMeeting, store.ActivityWebinar, store.ActivityCall}

// activities answers GET /api/v1/activities?person=&from=&to=&kind=: the
// visible activities (people mapped, active, service on; features on) by
// start time, in pages.
func (a *API) activities(w http.ResponseWriter, r *http.Request, org int64) error {
	p := newParams(r.URL.Query(), "person", "from", "to", "kind", "limit", "cursor")
	f := store.ActivityFilter{OrgID: org, From: p.time("from"), To: p.time("to"), Kinds: p.list("kind")}
	f.Limit = p.limit()
	for _, k := range f.Kinds {
		if !contains(kinds, k) {
			p.fail(badParam("kind", "unknown kind "+strconv.Quote(k)+" (meeting, webinar, call)"))
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		p.fail(badParam("to", "must be after from"))
	}
	if after, bad := parseCursor(p.one("cursor"), "activities", 2); bad != nil {
		p.fail(bad)
	} else if after != nil {
		f.AfterAt, f.AfterID = time.UnixMilli(after[0]), after[1]
	}
	person := p.one("person")
	if p.err != nil {
		return p.err
	}
	if person != "" {
		id, err := a.personParam(r, org, person)
		if err != nil {
			return err
		}
		f.PersonID = id
	}
	limit := f.Limit
	f.Limit++
	rows, err := a.store.Activities(r.Context(), f)
	if err != nil {
		return err
	}
	out := page[Activity]{Data: []Activity{}}
	for i, act := range rows {
		if i == limit {
			last := rows[i-1]
			out.NextCursor = nextCursor(cursor{list: "activities", keys: []int64{last.StartAt.UnixMilli(), last.ID}})
			break
		}
		out.Data = append(out.Data, activityJSON(act))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// personParam resolves person= (an id, or an email) within the organization.
// Another organization's person is as unknown as one that never existed.
func (a *API) personParam(r *http.Request, org int64, v string) (int64, error) {
	var p store.Person
	var err error
	if strings.Contains(v, "@") {
		p, err = a.store.PersonByEmail(r.Context(), org, v)
	} else if id, perr := strconv.ParseInt(v, 10, 64); perr != nil || id <= 0 {
		return 0, badParam("person", "a person id or email")
	} else {
		p, err = a.store.PersonByID(r.Context(), org, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		return 0, badParam("person", "no such person in this organization")
	}
	return p.ID, err
}

func activityJSON(a store.Activity) Activity {
	out := Activity{ID: a.ID, PersonID: a.PersonID, Kind: a.Kind, ZoomID: a.ZoomID, ZoomUserID: a.ZoomUserID, Title: a.Title,
		Start: rfc3339(a.StartAt), End: optTime(a.EndAt), DurationSeconds: a.DurationSeconds}
	switch a.Kind {
	case store.ActivityMeeting, store.ActivityWebinar:
		out.ZoomNumber = a.ZoomNumber
		if a.ParticipantsCount > 0 {
			n := a.ParticipantsCount
			out.ParticipantsCount = &n
		}
		if a.Kind == store.ActivityMeeting {
			out.Size = meetingSize(a.ParticipantsCount)
		}
	case store.ActivityCall:
		out.Direction, out.CallerName, out.Device = a.Direction, a.CallerName, a.Device
	}
	return out
}

// meetingSize is A1's one-on-one or group, from the count alone (the host
// included): unknown (omitted) until the count is synced.
func meetingSize(participants int) string {
	switch {
	case participants >= 3:
		return "group"
	case participants == 2:
		return "one_on_one"
	}
	return ""
}
