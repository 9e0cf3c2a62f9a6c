package store

import (
	"context"
	"fmt"
	"time"
)

// ActivityStamp is a short value that changes whenever an activity starting
// in [from, to) of the organization (of one person when personID is set) is
// added, changed or removed. Open day pages poll it to know when to redraw.
func (s *Store) ActivityStamp(ctx context.Context, orgID, personID int64, from, to time.Time) (string, error) {
	q := "SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM activities WHERE org_id = ? AND start_at >= ? AND start_at < ?"
	args := []any{orgID, ms(from), ms(to)}
	if personID != 0 {
		q += " AND person_id = ?"
		args = append(args, personID)
	}
	var n, last int64
	if err := s.queryRow(ctx, q, args...).Scan(&n, &last); err != nil {
		return "", fmt.Errorf("activity stamp: %w", err)
	}
	return fmt.Sprintf("%d-%d", n, last), nil
}
