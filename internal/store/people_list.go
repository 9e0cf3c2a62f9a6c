package store

import "context"

// PeopleAfter lists up to limit people of an organization with an id above
// afterID, by id: keyset pages that stay exact while people are added.
func (s *Store) PeopleAfter(ctx context.Context, orgID, afterID int64, limit int) ([]Person, error) {
	rows, err := s.query(ctx, "SELECT "+personCols+" FROM people WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?", orgID, afterID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPerson)
}
