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
	after, bad := parseCursor(p.one("cursor"), "people", 1)
	if bad != nil {
		p.fail(bad)
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
	ids := make([]int64, 0, len(rows))
	for _, p := range rows[:min(len(rows), limit)] {
		ids = append(ids, p.ID)
	}
	zoomIDs, err := a.store.ZoomUserIDsOfPeople(r.Context(), org, ids)
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

func personJSON(p store.Person, zoomIDs []string) Person {
	if zoomIDs == nil {
		zoomIDs = []string{}
	}
	return Person{ID: p.ID, Email: p.Email, Name: p.Name, Team: p.Team, AccessLevel: p.Role, ZoomEnabled: p.ZoomEnabled,
		Active: p.Active, ZoomUserIDs: zoomIDs, CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt)}
}
