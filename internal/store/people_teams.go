package store

import (
	"context"
	"strings"
)

// PeopleTeams lists every person of an organization with only ID, OrgID,
// Team and Active set: what choosing a team and checking who may see whom
// need. A page for one team reads these, then the team's whole rows with
// PeopleByIDs, instead of every whole row of a large organization.
func (s *Store) PeopleTeams(ctx context.Context, orgID int64) ([]Person, error) {
	rows, err := s.query(ctx, "SELECT id, team, active FROM people WHERE org_id = ?", orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (Person, error) {
		p := Person{OrgID: orgID}
		return p, row.Scan(&p.ID, &p.Team, &p.Active)
	})
}

// PeopleByIDs lists the given people of an organization by name, as People
// does; ids of other organizations are not listed.
func (s *Store) PeopleByIDs(ctx context.Context, orgID int64, ids []int64) ([]Person, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, orgID)
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.query(ctx, "SELECT "+personCols+" FROM people WHERE org_id = ? AND id IN (?"+strings.Repeat(", ?", len(ids)-1)+") ORDER BY name, id", args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPerson)
}
