package api

import (
	"net/http"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Person is a person of the organization's directory as the API shows them.
type Person struct {
	ID          int64    `json:"id"`
	Email       string   `json:"email"`
	Name        string   `json:"name"`
	Team        string   `json:"team"`
	AccessLevel string   `json:"access_level"`
	ZoomEnabled bool     `json:"zoom_enabled"`
	Active      bool     `json:"active"`
	ZoomUserIDs []string `json:"zoom_user_ids"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

// people answers GET /api/v1/people: the directory by id, in pages.
func (a *API) people(w http.ResponseWriter, r *http.Request, org int64) error {
	p := newParams(r.URL.Query(), "limit", "cursor")
	limit := p.limit()
	after, err := parseCursor(p.one("cursor"), "people", 1)
	if err != nil {
		p.fail(err.(*Error))
	}
	if p.err != nil {
		return p.err
	}
	var afterID int64
	if after != nil {
		afterID = after[0]
	}
	rows, err := a.store.PeopleAfter(r.Context(), org, afterID, limit+1)
	if err != nil {
		return err
	}
	zoomIDs, err := a.zoomUserIDs(r, org)
	if err != nil {
		return err
	}
	out := page[Person]{Data: []Person{}}
	for i, sp := range rows {
		if i == limit {
			out.NextCursor = nextCursor(cursor{list: "people", keys: []int64{rows[i-1].ID}})
			break
		}
		out.Data = append(out.Data, personJSON(sp, zoomIDs[sp.ID]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// zoomUserIDs maps each person to the Zoom users mapped to them.
func (a *API) zoomUserIDs(r *http.Request, org int64) (map[int64][]string, error) {
	users, err := a.store.ZoomUsers(r.Context(), org)
	out := map[int64][]string{}
	for _, u := range users {
		if u.PersonID != 0 {
			out[u.PersonID] = append(out[u.PersonID], u.ZoomUserID)
		}
	}
	return out, err
}

func personJSON(p store.Person, zoomIDs []string) Person {
	if zoomIDs == nil {
		zoomIDs = []string{}
	}
	return Person{ID: p.ID, Email: p.Email, Name: p.Name, Team: p.Team, AccessLevel: p.Role, ZoomEnabled: p.ZoomEnabled,
		Active: p.Active, ZoomUserIDs: zoomIDs, CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt)}
}
