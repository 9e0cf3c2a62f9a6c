package store

import "context"

// Purged counts what a purge removed: the activities and Zoom users no
// remaining connection covers.
type Purged struct {
	Activities int64
	ZoomUsers  int64
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
	if p.Activities, err = s.uncover(ctx, id, ""); err != nil {
		return p, err
	}
	res, err := s.exec(ctx, "DELETE FROM zoom_connections WHERE id = ?", id)
	return p, mustAffect(res, err)
}

// uncover ends a connection's coverage of the activities it has seen (of
// one Zoom user, or all when zoomUserID is ""), deletes those no other
// connection has seen, and hands the rest to one that has. It returns how
// many activities were deleted.
func (s *Store) uncover(ctx context.Context, connID int64, zoomUserID string) (int64, error) {
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
		return 0, err
	}
	// The holding connection is always among those that have seen a row, so
	// rows nobody has seen any more are held by this one.
	res, err := s.exec(ctx, "DELETE FROM activities WHERE connection_id = ?"+user+
		" AND NOT EXISTS (SELECT 1 FROM activity_coverage c WHERE c.activity_id = activities.id)", args...)
	if err != nil {
		return 0, err
	}
	deleted, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	_, err = s.exec(ctx, "UPDATE activities SET connection_id = (SELECT MIN(c.connection_id) FROM activity_coverage c WHERE c.activity_id = activities.id) WHERE connection_id = ?"+user, args...)
	return deleted, err
}
