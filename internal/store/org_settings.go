package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// OrgTimezone is the IANA zone an organization's timelines are drawn in; "UTC"
// until someone sets one.
func (s *Store) OrgTimezone(ctx context.Context, orgID int64) (string, error) {
	var tz string
	err := s.queryRow(ctx, "SELECT timezone FROM org_settings WHERE org_id = ?", orgID).Scan(&tz)
	if errors.Is(err, sql.ErrNoRows) {
		return "UTC", nil
	}
	return tz, err
}

// SetOrgTimezone saves an organization's display time zone (the caller validates it).
func (s *Store) SetOrgTimezone(ctx context.Context, orgID int64, tz string, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO org_settings (org_id, timezone, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET timezone = excluded.timezone, updated_at = excluded.updated_at`, orgID, tz, ms(now))
	return wrap(err, "set time zone of org %d", orgID)
}
