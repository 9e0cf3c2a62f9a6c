package outbound

import (
	"context"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// The data of zoombridge's own events. They carry the fields of the API's
// resources that the change concerns, so a host product can act on most
// events without a call back; internal/api/openapi.json's webhooks section
// describes each. Times are RFC 3339 in UTC.

// PersonData is the data of person.created, person.updated and
// person.deactivated: the person as GET /api/v1/people/{person} shows them.
type PersonData struct {
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

// PublishPerson publishes a person event, with the Zoom users mapped to
// them read in the change's transaction.
func PublishPerson(ctx context.Context, st *store.Store, eventType string, p store.Person, now time.Time) error {
	ids, err := st.ZoomUserIDsOfPeople(ctx, p.OrgID, []int64{p.ID})
	if err != nil {
		return err
	}
	zoomIDs := ids[p.ID]
	if zoomIDs == nil {
		zoomIDs = []string{}
	}
	return Publish(ctx, st, p.OrgID, eventType, PersonData{ID: p.ID, Email: p.Email, Name: p.Name, Team: p.Team, AccessLevel: p.Role,
		ZoomEnabled: p.ZoomEnabled, Active: p.Active, ZoomUserIDs: zoomIDs, CreatedAt: stamp(p.CreatedAt), UpdatedAt: stamp(p.UpdatedAt)}, now)
}

// ActivityData is the data of activity.created and activity.updated: the
// activity as GET /api/v1/activities/{id} shows it.
type ActivityData struct {
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

// Activity is an activity's event data.
func Activity(a store.Activity) ActivityData {
	out := ActivityData{ID: a.ID, PersonID: a.PersonID, Kind: a.Kind, ZoomID: a.ZoomID, ZoomUserID: a.ZoomUserID, Title: a.Title,
		Start: stamp(a.StartAt), DurationSeconds: a.DurationSeconds, UpdatedAt: stamp(a.UpdatedAt)}
	if !a.EndAt.IsZero() {
		end := stamp(a.EndAt)
		out.End = &end
	}
	switch a.Kind {
	case store.ActivityMeeting, store.ActivityWebinar:
		out.ZoomNumber = a.ZoomNumber
		if n := a.ParticipantsCount; n > 0 {
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

// meetingSize is the API's one-on-one or group (feature A1).
func meetingSize(participants int) string {
	switch {
	case participants >= 3:
		return "group"
	case participants == 2:
		return "one_on_one"
	}
	return ""
}

// ActivityDeletedData is the data of activity.deleted.
type ActivityDeletedData struct {
	ID       int64  `json:"id"`
	PersonID int64  `json:"person_id,omitempty"`
	Kind     string `json:"kind"`
	ZoomID   string `json:"zoom_id"`
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
