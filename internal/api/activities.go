package api

import (
	"errors"
	"net/http"
	"strconv"
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
	UpdatedAt  string `json:"updated_at"`
}

var kinds = []string{store.ActivityMeeting, store.ActivityWebinar, store.ActivityCall}

// activities answers GET /api/v1/activities?person=&from=&to=&kind=: the
// visible activities (people mapped, active, service on; features on) by
// start time, in pages. With updated_since it lists instead those changed at
// or after that time, by (updated_at, id), for incremental readers: changes
// younger than the settle time wait for a later read, so a reader that keeps
// the latest updated_at it saw and passes it back never misses a change.
func (a *API) activities(w http.ResponseWriter, r *http.Request, c *call) error {
	p := newParams(r.URL.Query(), "person", "from", "to", "kind", "updated_since", "limit", "cursor")
	f := store.ActivityFilter{OrgID: c.org, From: p.time("from"), To: p.time("to"), Kinds: p.list("kind"), UpdatedSince: p.time("updated_since")}
	f.Limit = p.limit()
	for _, k := range f.Kinds {
		if !contains(kinds, k) {
			p.fail(badParam("kind", "unknown kind "+strconv.Quote(k)+" (meeting, webinar, call)"))
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		p.fail(badParam("to", "must be after from"))
	}
	list := "activities"
	if _, ok := r.URL.Query()["updated_since"]; ok {
		list, f.ByUpdated, f.UpdatedBefore = "activities-updated", true, c.now.Add(-a.settle)
	}
	if after, bad := parseCursor(p.one("cursor"), list, 2); bad != nil {
		p.fail(bad)
	} else if after != nil {
		f.AfterAt, f.AfterID = time.UnixMilli(after[0]), after[1]
	}
	person := p.one("person")
	if p.err != nil {
		return p.err
	}
	if person != "" {
		sp, err := findPerson(r, c, person)
		var e *Error
		if errors.As(err, &e) {
			return badParam("person", "no such person in this organization")
		} else if err != nil {
			return err
		}
		f.PersonID = sp.ID
	}
	limit := f.Limit
	f.Limit++
	rows, err := c.st.Activities(r.Context(), f)
	if err != nil {
		return err
	}
	out := page[Activity]{Data: []Activity{}}
	for i, act := range rows {
		if i == limit {
			last := rows[i-1]
			at := last.StartAt
			if f.ByUpdated {
				at = last.UpdatedAt
			}
			out.NextCursor = nextCursor(cursor{list: list, keys: []int64{at.UnixMilli(), last.ID}})
			break
		}
		out.Data = append(out.Data, activityJSON(act))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getActivity answers GET /api/v1/activities/{id}: one visible activity.
func (a *API) getActivity(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound("activity")
	}
	rows, err := c.st.Activities(r.Context(), store.ActivityFilter{OrgID: c.org, ID: id, Limit: 1})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return notFound("activity")
	}
	writeResource(w, r, http.StatusOK, activityJSON(rows[0]))
	return nil
}

func activityJSON(a store.Activity) Activity {
	out := Activity{ID: a.ID, PersonID: a.PersonID, Kind: a.Kind, ZoomID: a.ZoomID, ZoomUserID: a.ZoomUserID, Title: a.Title,
		Start: rfc3339(a.StartAt), End: optTime(a.EndAt), DurationSeconds: a.DurationSeconds, UpdatedAt: rfc3339(a.UpdatedAt)}
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
