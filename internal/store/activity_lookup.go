package store

import (
	"context"
	"strings"
)

// ActivitiesByKey returns the activities stored under the upsert keys of as
// (organization, kind, Zoom id, Zoom user), in one query per 200, for telling
// new activities from changed ones (outbound events).
func (s *Store) ActivitiesByKey(ctx context.Context, as []Activity) ([]Activity, error) {
	var out []Activity
	for len(as) > 0 {
		part := as[:min(len(as), 200)]
		as = as[len(part):]
		args := make([]any, 0, 4*len(part))
		for _, a := range part {
			args = append(args, a.OrgID, a.Kind, a.ZoomID, a.ZoomUserID)
		}
		rows, err := s.query(ctx, "SELECT "+activityCols+" FROM activities a WHERE (a.org_id, a.kind, a.zoom_id, a.zoom_user_id) IN ((?, ?, ?, ?)"+
			strings.Repeat(", (?, ?, ?, ?)", len(part)-1)+")", args...)
		if err != nil {
			return nil, err
		}
		found, err := collect(rows, scanActivity)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// ZoomUserActivities lists the activities that forgetting a Zoom user of a
// connection deletes (DeleteZoomUser): those no other connection has seen.
func (s *Store) ZoomUserActivities(ctx context.Context, connID int64, zoomUserID string) ([]Activity, error) {
	rows, err := s.query(ctx, "SELECT "+activityCols+` FROM activities a WHERE a.connection_id = ? AND a.zoom_user_id = ?
		AND NOT EXISTS (SELECT 1 FROM activity_coverage c WHERE c.activity_id = a.id AND c.connection_id <> ?) ORDER BY a.id`, connID, zoomUserID, connID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanActivity)
}
