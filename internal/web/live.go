package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// A day page that includes today redraws itself while the day goes on
// (feature D4): static/app.js polls the page's live address every few
// seconds and fetches the page again when the stamp it gets has changed.
// Polling, not a stream: it passes every proxy and costs one indexed
// query per open page per poll.

// liveEvery is how often an open page asks; the page says it in data-live-every.
const liveEvery = 5 * time.Second

// liveState is what a day page carries for app.js.
type liveState struct {
	URL     string // where to poll; empty when the page shows no part of today
	Stamp   string
	Updated string // "14:05" in the organization's zone
	EveryMS int64
}

func (a *App) live(ctx context.Context, v *viewer, path string, personID int64, from, to time.Time) (liveState, error) {
	now := a.now()
	st := liveState{Updated: now.In(v.tz).Format("15:04"), EveryMS: liveEvery.Milliseconds()}
	if now.Before(from) || !now.Before(to) {
		return st, nil
	}
	stamp, err := a.st.ActivityStamp(ctx, v.org.ID, personID, from, to)
	if err != nil {
		return st, err
	}
	st.URL, st.Stamp = path, stamp
	return st, nil
}

// liveStamp answers a poll: the current stamp of the asked day.
func (a *App) liveStamp(w http.ResponseWriter, r *http.Request, v *viewer, personID int64) error {
	day, err := dayParam(r, v.tz, a.now())
	if err != nil {
		return err
	}
	from, to := day, addDays(day, 1)
	if r.URL.Query().Get("view") == "week" {
		from = weekStart(day)
		to = addDays(from, 7)
	}
	stamp, err := a.st.ActivityStamp(r.Context(), v.org.ID, personID, from, to)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(map[string]string{"stamp": stamp})
}

func (a *App) teamLive(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.liveStamp(w, r, v, 0)
}

func (a *App) personLive(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.person(r, v, id)
	if err != nil {
		return err
	}
	return a.liveStamp(w, r, v, p.ID)
}
