package store

import (
	"context"
	"strings"
)

// ZoomUserIDsAfter lists up to limit distinct Zoom user ids of an
// organization above after, in order: keyset pages over Zoom users, each of
// which may be seen through several connections.
func (s *Store) ZoomUserIDsAfter(ctx context.Context, orgID int64, after string, limit int) ([]string, error) {
	rows, err := s.query(ctx, "SELECT DISTINCT zoom_user_id FROM zoom_users WHERE org_id = ? AND zoom_user_id > ? ORDER BY zoom_user_id LIMIT ?", orgID, after, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
}

// ZoomUsersByZoomIDs returns the given Zoom users of an organization by Zoom
// user id, each once with the connections that cover it (as ZoomUsers).
func (s *Store) ZoomUsersByZoomIDs(ctx context.Context, orgID int64, zoomUserIDs []string) ([]ZoomUser, error) {
	if len(zoomUserIDs) == 0 {
		return nil, nil
	}
	args := []any{orgID}
	for _, id := range zoomUserIDs {
		args = append(args, id)
	}
	rows, err := s.query(ctx, "SELECT "+zoomUserCols+" FROM zoom_users WHERE org_id = ? AND zoom_user_id IN (?"+
		strings.Repeat(", ?", len(zoomUserIDs)-1)+") ORDER BY zoom_user_id, connection_id, id", args...)
	if err != nil {
		return nil, err
	}
	us, err := collect(rows, scanZoomUser)
	return mergeZoomUsers(us, func(u *ZoomUser) *ZoomUser { return u }), err
}
