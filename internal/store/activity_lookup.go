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
