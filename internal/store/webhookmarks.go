package store

import (
	"context"
	"database/sql"
	"errors"
)

// ZoomUserMark returns the newest user event time applied for a Zoom user of
// a connection and whether Zoom deleted the user (zero and false if none).
func (s *Store) ZoomUserMark(ctx context.Context, connID int64, zoomUserID string) (eventTS int64, deleted bool, err error) {
	err = s.queryRow(ctx, "SELECT event_ts, deleted FROM webhook_zoom_user_marks WHERE connection_id = ? AND zoom_user_id = ?",
		connID, zoomUserID).Scan(&eventTS, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return eventTS, deleted, err
}

// MarkZoomUser records that a user event of time eventTS was applied; the
// mark only moves forward, and a deletion is kept for good.
func (s *Store) MarkZoomUser(ctx context.Context, connID int64, zoomUserID string, eventTS int64, deleted bool) error {
	_, err := s.exec(ctx, `INSERT INTO webhook_zoom_user_marks (connection_id, zoom_user_id, event_ts, deleted) VALUES (?, ?, ?, ?)
		ON CONFLICT (connection_id, zoom_user_id) DO UPDATE SET
			event_ts = CASE WHEN excluded.event_ts > webhook_zoom_user_marks.event_ts THEN excluded.event_ts ELSE webhook_zoom_user_marks.event_ts END,
			deleted = (webhook_zoom_user_marks.deleted OR excluded.deleted)`,
		connID, zoomUserID, eventTS, deleted)
	return err
}
