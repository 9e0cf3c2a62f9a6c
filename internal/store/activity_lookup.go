package store

import "context"

// ActivityByKey returns the activity stored under its upsert key, for
// telling a new activity from a changed one (outbound events).
func (s *Store) ActivityByKey(ctx context.Context, connID int64, kind, zoomID, zoomUserID string) (Activity, error) {
	return scanActivity(s.queryRow(ctx, "SELECT "+activityCols+" FROM activities a WHERE a.connection_id = ? AND a.kind = ? AND a.zoom_id = ? AND a.zoom_user_id = ?",
		connID, kind, zoomID, zoomUserID))
}

// ZoomUserActivities lists the activities synced for a Zoom user of a connection.
func (s *Store) ZoomUserActivities(ctx context.Context, connID int64, zoomUserID string) ([]Activity, error) {
	rows, err := s.query(ctx, "SELECT "+activityCols+" FROM activities a WHERE a.connection_id = ? AND a.zoom_user_id = ? ORDER BY a.id", connID, zoomUserID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanActivity)
}
