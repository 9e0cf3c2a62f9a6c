package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Access levels, most powerful first (feature P1).
const (
	RoleOwner     = "owner"
	RoleAdmin     = "admin"
	RoleExecutive = "executive"
	RoleManager   = "manager"
	RoleMember    = "member"
)

// Roles lists the access levels, most powerful first.
var Roles = []string{RoleOwner, RoleAdmin, RoleExecutive, RoleManager, RoleMember}

// ValidRole reports whether r is an access level.
func ValidRole(r string) bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// Person is someone in an organization's directory.
type Person struct {
	ID          int64
	OrgID       int64
	AccountID   int64 // 0 when the person cannot sign in
	Email       string
	Name        string
	Team        string
	Role        string
	ZoomEnabled bool // the per-person Zoom service switch (P3)
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

const personCols = "id, org_id, account_id, email, name, team, role, zoom_enabled, active, created_at, updated_at"

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var acct sql.NullInt64
	var created, updated int64
	err := row.Scan(&p.ID, &p.OrgID, &acct, &p.Email, &p.Name, &p.Team, &p.Role, &p.ZoomEnabled, &p.Active, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	p.AccountID, p.CreatedAt, p.UpdatedAt = acct.Int64, fromMS(created), fromMS(updated)
	return p, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreatePerson adds a person; the email must be new in the organization.
func (s *Store) CreatePerson(ctx context.Context, p Person, now time.Time) (Person, error) {
	if p.Role == "" {
		p.Role = RoleMember
	}
	id, err := s.insertID(ctx, `INSERT INTO people (org_id, account_id, email, email_norm, name, team, role, zoom_enabled, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.OrgID, nullID(p.AccountID), p.Email, NormEmail(p.Email), p.Name, p.Team, p.Role, true, true, ms(now), ms(now))
	if err != nil {
		return Person{}, wrap(err, "create person in org %d", p.OrgID)
	}
	return s.PersonByID(ctx, p.OrgID, id)
}

// UpdatePerson saves a person's editable fields.
func (s *Store) UpdatePerson(ctx context.Context, p Person, now time.Time) error {
	res, err := s.exec(ctx, `UPDATE people SET email = ?, email_norm = ?, name = ?, team = ?, role = ?, zoom_enabled = ?, active = ?, updated_at = ?
		WHERE id = ? AND org_id = ?`,
		p.Email, NormEmail(p.Email), p.Name, p.Team, p.Role, p.ZoomEnabled, p.Active, ms(now), p.ID, p.OrgID)
	return wrap(mustAffect(res, err), "update person %d", p.ID)
}

// PersonByID returns a person of the organization; another organization's id is not found.
func (s *Store) PersonByID(ctx context.Context, orgID, id int64) (Person, error) {
	return scanPerson(s.queryRow(ctx, "SELECT "+personCols+" FROM people WHERE id = ? AND org_id = ?", id, orgID))
}

// PersonByEmail finds a person of the organization by normalized email.
func (s *Store) PersonByEmail(ctx context.Context, orgID int64, email string) (Person, error) {
	return scanPerson(s.queryRow(ctx, "SELECT "+personCols+" FROM people WHERE org_id = ? AND email_norm = ?", orgID, NormEmail(email)))
}

// People lists an organization's people by name.
func (s *Store) People(ctx context.Context, orgID int64) ([]Person, error) {
	rows, err := s.query(ctx, "SELECT "+personCols+" FROM people WHERE org_id = ? ORDER BY name, id", orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPerson)
}

// PeopleOfAccount lists the person rows of a sign-in account, one per organization.
func (s *Store) PeopleOfAccount(ctx context.Context, accountID int64) ([]Person, error) {
	rows, err := s.query(ctx, "SELECT "+personCols+" FROM people WHERE account_id = ? AND active = ? ORDER BY org_id", accountID, true)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPerson)
}
