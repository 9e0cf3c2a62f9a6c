package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Organization is a tenant: its people, connections and activities are its own.
type Organization struct {
	ID              int64
	Name, Slug      string
	MeetingsEnabled bool
	PhoneEnabled    bool
	WebinarsEnabled bool
	CreatedAt       time.Time
}

const orgCols = "id, name, slug, meetings_enabled, phone_enabled, webinars_enabled, created_at"

func scanOrg(row interface{ Scan(...any) error }) (Organization, error) {
	var o Organization
	var created int64
	err := row.Scan(&o.ID, &o.Name, &o.Slug, &o.MeetingsEnabled, &o.PhoneEnabled, &o.WebinarsEnabled, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return o, ErrNotFound
	}
	o.CreatedAt = fromMS(created)
	return o, err
}

// CreateOrganization adds an organization with every feature on.
func (s *Store) CreateOrganization(ctx context.Context, name, slug string, now time.Time) (Organization, error) {
	id, err := s.insertID(ctx, "INSERT INTO organizations (name, slug, created_at) VALUES (?, ?, ?)", name, slug, ms(now))
	if err != nil {
		return Organization{}, wrap(err, "create organization %q", slug)
	}
	return s.OrganizationByID(ctx, id)
}

// OrganizationByID returns one organization.
func (s *Store) OrganizationByID(ctx context.Context, id int64) (Organization, error) {
	return scanOrg(s.queryRow(ctx, "SELECT "+orgCols+" FROM organizations WHERE id = ?", id))
}

// OrganizationBySlug returns one organization by its URL name.
func (s *Store) OrganizationBySlug(ctx context.Context, slug string) (Organization, error) {
	return scanOrg(s.queryRow(ctx, "SELECT "+orgCols+" FROM organizations WHERE slug = ?", slug))
}

// Organizations lists every organization by name.
func (s *Store) Organizations(ctx context.Context) ([]Organization, error) {
	rows, err := s.query(ctx, "SELECT "+orgCols+" FROM organizations ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOrg)
}

// Feature names the per-organization switches (feature P4).
type Feature string

const (
	FeatureMeetings Feature = "meetings"
	FeaturePhone    Feature = "phone"
	FeatureWebinars Feature = "webinars"
)

// SetFeature switches one feature for an organization.
func (s *Store) SetFeature(ctx context.Context, orgID int64, f Feature, on bool) error {
	col := map[Feature]string{FeatureMeetings: "meetings_enabled", FeaturePhone: "phone_enabled", FeatureWebinars: "webinars_enabled"}[f]
	if col == "" {
		return errors.New("unknown feature " + string(f))
	}
	res, err := s.exec(ctx, "UPDATE organizations SET "+col+" = ? WHERE id = ?", on, orgID)
	return wrap(mustAffect(res, err), "switch %s for org %d", f, orgID)
}

// Enabled reports whether the organization has feature f on.
func (o Organization) Enabled(f Feature) bool {
	switch f {
	case FeatureMeetings:
		return o.MeetingsEnabled
	case FeaturePhone:
		return o.PhoneEnabled
	case FeatureWebinars:
		return o.WebinarsEnabled
	}
	return false
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}

// RenameOrganization changes an organization's display name (its slug stays,
// so links and webhook URLs keep working).
func (s *Store) RenameOrganization(ctx context.Context, id int64, name string) error {
	res, err := s.exec(ctx, "UPDATE organizations SET name = ? WHERE id = ?", name, id)
	if err != nil {
		return fmt.Errorf("rename organization %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
