package outbound

import (
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// The data of zoombridge's own events. They carry the fields of the API's
// resources that the change concerns, so a host product can act on most
// events without a call back; internal/api/openapi.json's webhooks section
// describes each. Times are RFC 3339 in UTC.

// PersonData is the data of person.created, person.updated and person.deactivated.
type PersonData struct {
	ID          int64  `json:"id"`
	Email       string `json:"email"`
	Name        string `json:"name"`
	Team        string `json:"team"`
	AccessLevel string `json:"access_level"`
	ZoomEnabled bool   `json:"zoom_enabled"`
	Active      bool   `json:"active"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

// Person is a person's event data.
func Person(p store.Person) PersonData {
	return PersonData{ID: p.ID, Email: p.Email, Name: p.Name, Team: p.Team, AccessLevel: p.Role, ZoomEnabled: p.ZoomEnabled,
		Active: p.Active, CreatedAt: stamp(p.CreatedAt), UpdatedAt: stamp(p.UpdatedAt)}
}

// ActivityData is the data of activity.created and activity.updated; of
// activity.deleted only the identifying fields are set.
type ActivityData struct {
	ID              int64  `json:"id,omitempty"`
	PersonID        int64  `json:"person_id,omitempty"`
	Kind            string `json:"kind"`
	ZoomID          string `json:"zoom_id"`
	ZoomUserID      string `json:"zoom_user_id,omitempty"`
	Title           string `json:"title,omitempty"`
	Start           string `json:"start,omitempty"`
	End             string `json:"end,omitempty"`
	DurationSeconds int    `json:"duration_seconds,omitempty"`
}

// Activity is an activity's event data.
func Activity(a store.Activity) ActivityData {
	return ActivityData{ID: a.ID, PersonID: a.PersonID, Kind: a.Kind, ZoomID: a.ZoomID, ZoomUserID: a.ZoomUserID, Title: a.Title,
		Start: stamp(a.StartAt), End: stamp(a.EndAt), DurationSeconds: a.DurationSeconds}
}

// ConnectionData is the data of connection.connected, connection.needs_reconnect
// and connection.disconnected.
type ConnectionData struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	ZoomAccountID string `json:"zoom_account_id"`
	PersonID      int64  `json:"person_id,omitempty"` // a person's own connection
	Status        string `json:"status"`
	Reason        string `json:"reason,omitempty"` // a code
}

// Connection is a connection's event data.
func Connection(c store.Connection) ConnectionData {
	return ConnectionData{ID: c.ID, Kind: c.Kind, ZoomAccountID: c.ZoomAccountID, PersonID: c.PersonID, Status: c.Status, Reason: c.StatusReason}
}

// SyncData is the data of sync.completed: one pass of a connection.
type SyncData struct {
	ConnectionID int64  `json:"connection_id"`
	Pass         string `json:"pass"`       // backfill, incremental or sweep
	Status       string `json:"status"`     // succeeded or failed
	Activities   int    `json:"activities"` // activities written by the pass
	FinishedAt   string `json:"finished_at"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
