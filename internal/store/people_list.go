package store

import (
	"context"
	"strings"
)

// PeopleAfter lists up to limit people of an organization with an id above
// afterID, by id: keyset pages that stay exact while people are added.
func (s *Store) PeopleAfter(ctx context.Context, orgID, afterID int64, limit int) ([]Person, error) {
	rows, err := s.query(ctx, "SELECT "+personCols+" FROM people WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?", orgID, afterID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPerson)
}

// ZoomUserIDsOfPeople maps each of the given people of an organization to
// the Zoom user ids mapped to them, each once however many connections
// cover it; people with none are absent.
func (s *Store) ZoomUserIDsOfPeople(ctx context.Context, orgID int64, personIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(personIDs) == 0 {
		return out, nil
	}
	args := []any{orgID}
	for _, id := range personIDs {
		args = append(args, id)
	}
	rows, err := s.query(ctx, "SELECT DISTINCT person_id, zoom_user_id FROM zoom_users WHERE org_id = ? AND person_id IN (?"+
		strings.Repeat(", ?", len(personIDs)-1)+") ORDER BY person_id, zoom_user_id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var person int64
		var zoomID string
		if err := rows.Scan(&person, &zoomID); err != nil {
			return nil, err
		}
		out[person] = append(out[person], zoomID)
	}
	return out, rows.Err()
}
