package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Connection is a Zoom connection of the organization and its sync status,
// read-only: connecting and disconnecting happen in the admin app. Never a
// token or secret.
type Connection struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	ZoomAccountID string `json:"zoom_account_id"`
	ZoomUserID    string `json:"zoom_user_id"`
	PersonID      *int64 `json:"person_id"`
	Status        string `json:"status"`
	StatusReason  string `json:"status_reason"`
	CreatedAt     string `json:"created_at"`
	Sync          Sync   `json:"sync"`
}

// Sync is a connection's sync status (feature D4).
type Sync struct {
	State         string         `json:"state"`
	BackfilledAt  *string        `json:"backfilled_at"`
	LastSuccessAt *string        `json:"last_success_at"`
	LastAttemptAt *string        `json:"last_attempt_at"`
	NextRunAt     *string        `json:"next_run_at"`
	LastError     string         `json:"last_error"`
	RecentErrors  int            `json:"recent_errors"`
	Records       map[string]int `json:"records"`
	MappedUsers   int            `json:"mapped_users"`
	UnmappedUsers int            `json:"unmapped_users"`
}

// Sync states, in the order they take precedence.
const (
	syncWaitingForReconnect = "waiting_for_reconnect"
	syncRunning             = "running"
	syncNever               = "never_synced"
	syncIdle                = "idle"
)

func connectionJSON(c store.Connection, s store.SyncStatus) Connection {
	out := Connection{ID: c.ID, Kind: c.Kind, ZoomAccountID: c.ZoomAccountID, ZoomUserID: c.ZoomUserID, Status: c.Status,
		StatusReason: c.StatusReason, CreatedAt: rfc3339(c.CreatedAt)}
	if c.PersonID != 0 {
		id := c.PersonID
		out.PersonID = &id
	}
	state := syncIdle
	switch {
	case s.ConnectionDown:
		state = syncWaitingForReconnect
	case s.Running:
		state = syncRunning
	case s.NeverSynced:
		state = syncNever
	}
	out.Sync = Sync{State: state, BackfilledAt: optTime(s.State.BackfilledAt), LastSuccessAt: optTime(s.State.LastSuccessAt),
		LastAttemptAt: optTime(s.State.LastAttemptAt), NextRunAt: optTime(s.State.NextRunAt), LastError: s.State.LastError,
		RecentErrors: s.RecentErrors, Records: s.Records, MappedUsers: s.MappedUsers, UnmappedUsers: s.UnmappedUsers}
	return out
}

// listConnections answers GET /api/v1/connections: every connection, by id.
func (a *API) listConnections(w http.ResponseWriter, r *http.Request, c *call) error {
	if p := newParams(r.URL.Query()); p.err != nil {
		return p.err
	}
	conns, err := c.st.Connections(r.Context(), c.org)
	if err != nil {
		return err
	}
	out := page[Connection]{Data: []Connection{}}
	for _, conn := range conns {
		s, err := c.st.SyncStatusOf(r.Context(), c.org, conn.ID, c.now)
		if err != nil {
			return err
		}
		out.Data = append(out.Data, connectionJSON(conn, s))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getConnection answers GET /api/v1/connections/{id}.
func (a *API) getConnection(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return notFound("connection")
	}
	conn, err := c.st.OrgConnection(r.Context(), c.org, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("connection")
	} else if err != nil {
		return err
	}
	s, err := c.st.SyncStatusOf(r.Context(), c.org, id, c.now)
	if err != nil {
		return err
	}
	writeResource(w, r, http.StatusOK, connectionJSON(conn, s))
	return nil
}
