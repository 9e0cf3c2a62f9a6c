package store

import (
	"context"
	"database/sql"
)

// Purged counts what a purge removed: the activities and Zoom users no
// remaining connection covers.
type Purged struct {
	Activities int64
	ZoomUsers  int64
	// Deleted are the activities the purge removed, for their
	// activity.deleted events; set by the purge only, never stored.
	Deleted []DeletedActivity
}

// DeletedActivity is what a deletion reports of each activity it removed:
// the identifiers its activity.deleted event carries.
type DeletedActivity struct {
	ID       int64
	PersonID int64
	Kind     string
	ZoomID   string
}

// PurgeConnection deletes a connection with its tokens and secrets, and
// exactly the data no other connection covers (feature C7): activities only
// it has seen go; those another connection has seen stay, held by that one.
// Its Zoom user rows go with it; a Zoom user another connection also covers
// stays through that connection's row, and is not counted as removed.
func (s *Store) PurgeConnection(ctx context.Context, id int64) (Purged, error) {
	var p Purged
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM zoom_users zu WHERE zu.connection_id = ? AND NOT EXISTS
		(SELECT 1 FROM zoom_users o WHERE o.org_id = zu.org_id AND o.zoom_user_id = zu.zoom_user_id AND o.connection_id <> zu.connection_id)`, id).Scan(&p.ZoomUsers)
	if err != nil {
		return p, err
	}
	if p.Deleted, err = s.uncover(ctx, id, ""); err != nil {
		return p, err
	}
	p.Activities = int64(len(p.Deleted))
	res, err := s.exec(ctx, "DELETE FROM zoom_connections WHERE id = ?", id)
	return p, mustAffect(res, err)
}

// uncover ends a connection's coverage of the activities it has seen (of
// one Zoom user, or all when zoomUserID is ""), deletes those no other
// connection has seen, and hands the rest to one that has. It returns the
// deleted activities, as the deleting statement saw them: the one
// definition of what no connection covers any more.
func (s *Store) uncover(ctx context.Context, connID int64, zoomUserID string) ([]DeletedActivity, error) {
	user, args := "", []any{connID}
	if zoomUserID != "" {
		user, args = " AND zoom_user_id = ?", append(args, zoomUserID)
	}
	var err error
	if zoomUserID == "" {
		_, err = s.exec(ctx, "DELETE FROM activity_coverage WHERE connection_id = ?", connID)
	} else {
		_, err = s.exec(ctx, `DELETE FROM activity_coverage WHERE connection_id = ? AND activity_id IN
			(SELECT c.activity_id FROM activity_coverage c JOIN activities a ON a.id = c.activity_id WHERE c.connection_id = ? AND a.zoom_user_id = ?)`,
			connID, connID, zoomUserID)
	}
	if err != nil {
		return nil, err
	}
	// The holding connection is always among those that have seen a row, so
	// rows nobody has seen any more are held by this one.
	rows, err := s.q.QueryContext(ctx, s.rebind("DELETE FROM activities WHERE connection_id = ?"+user+
		" AND NOT EXISTS (SELECT 1 FROM activity_coverage c WHERE c.activity_id = activities.id) RETURNING id, person_id, kind, zoom_id"), args...)
	if err != nil {
		return nil, err
	}
	deleted, err := collect(rows, func(r interface{ Scan(...any) error }) (DeletedActivity, error) {
		var a DeletedActivity
		var person sql.NullInt64
		err := r.Scan(&a.ID, &person, &a.Kind, &a.ZoomID)
		a.PersonID = person.Int64
		return a, err
	})
	if err != nil {
		return nil, err
	}
	_, err = s.exec(ctx, "UPDATE activities SET connection_id = (SELECT MIN(c.connection_id) FROM activity_coverage c WHERE c.activity_id = activities.id) WHERE connection_id = ?"+user, args...)
	return deleted, err
}
