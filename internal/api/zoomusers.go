package api

import (
	"net/http"

	"github.com/zoombridge/zoombridge/internal/store"
)

// ZoomUser is a Zoom user as the API shows it: the person it maps to (by
// email; null when none) and the connections it is seen through. The same
// Zoom user may be covered by an account connection and a personal one; its
// fields are those seen through the oldest.
type ZoomUser struct {
	ID            string  `json:"id"`
	Email         string  `json:"email"`
	DisplayName   string  `json:"display_name"`
	Type          int     `json:"type"`
	Status        string  `json:"status"`
	PhoneLicensed bool    `json:"phone_licensed"`
	PersonID      *int64  `json:"person_id"`
	ConnectionIDs []int64 `json:"connection_ids"`
	UpdatedAt     string  `json:"updated_at"`
}

func zoomUserJSON(u store.ZoomUser) ZoomUser {
	out := ZoomUser{ID: u.ZoomUserID, Email: u.Email, DisplayName: u.DisplayName, Type: u.UserType, Status: u.Status,
		PhoneLicensed: u.PhoneLicensed, ConnectionIDs: u.Connections, UpdatedAt: rfc3339(u.UpdatedAt)}
	if u.PersonID != 0 {
		id := u.PersonID
		out.PersonID = &id
	}
	return out
}

// listZoomUsers answers GET /api/v1/zoom-users: every Zoom user seen through
// the organization's connections, by Zoom user id, in pages.
func (a *API) listZoomUsers(w http.ResponseWriter, r *http.Request, c *call) error {
	p := newParams(r.URL.Query(), "limit", "cursor")
	limit := p.limit()
	after := p.one("cursor")
	if p.err != nil {
		return p.err
	}
	if after != "" {
		keys, bad := parseTextCursor(after, "zoom-users")
		if bad != nil {
			return bad
		}
		after = keys
	}
	ids, err := c.st.ZoomUserIDsAfter(r.Context(), c.org, after, limit+1)
	if err != nil {
		return err
	}
	out := page[ZoomUser]{}
	if len(ids) > limit {
		ids = ids[:limit]
		out.NextCursor = nextCursor(cursor{list: "zoom-users", text: ids[limit-1]})
	}
	rows, err := c.st.ZoomUsersByZoomIDs(r.Context(), c.org, ids)
	if err != nil {
		return err
	}
	out.Data = []ZoomUser{}
	for _, u := range rows {
		out.Data = append(out.Data, zoomUserJSON(u))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getZoomUser answers GET /api/v1/zoom-users/{zoom_user_id}.
func (a *API) getZoomUser(w http.ResponseWriter, r *http.Request, c *call) error {
	rows, err := c.st.ZoomUsersByZoomIDs(r.Context(), c.org, []string{r.PathValue("zoom_user_id")})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return notFound("Zoom user")
	}
	writeResource(w, r, http.StatusOK, zoomUserJSON(rows[0]))
	return nil
}
