package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ZoomUser is a Zoom user seen through a connection, mapped to a person by email.
type ZoomUser struct {
	ID            int64
	OrgID         int64
	ConnectionID  int64
	ZoomUserID    string
	ZoomAccountID string
	Email         string
	DisplayName   string
	UserType      int // 1 Basic, 2 Licensed, ...
	Status        string
	PhoneLicensed bool
	PersonID      int64 // 0 when unmapped
	UpdatedAt     time.Time
	// Connections that cover this Zoom user, filled by the organization-wide
	// listings (ZoomUsers, UnmappedZoomUsers), which list each Zoom user once.
	Connections []int64
}

const zoomUserCols = "id, org_id, connection_id, zoom_user_id, zoom_account_id, email, display_name, user_type, status, phone_licensed, person_id, updated_at"

func scanZoomUser(row interface{ Scan(...any) error }) (ZoomUser, error) {
	var u ZoomUser
	var person sql.NullInt64
	var updated int64
	err := row.Scan(&u.ID, &u.OrgID, &u.ConnectionID, &u.ZoomUserID, &u.ZoomAccountID, &u.Email, &u.DisplayName, &u.UserType, &u.Status, &u.PhoneLicensed, &person, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	u.PersonID, u.UpdatedAt = person.Int64, fromMS(updated)
	return u, err
}

// UpsertZoomUser inserts or updates a Zoom user by (connection, Zoom id) and maps
// it to the organization's person with the same normalized email, if any.
// It reports whether anything changed.
func (s *Store) UpsertZoomUser(ctx context.Context, u ZoomUser, now time.Time) (changed bool, err error) {
	var personID sql.NullInt64
	err = s.queryRow(ctx, "SELECT id FROM people WHERE org_id = ? AND email_norm = ? AND active = ?", u.OrgID, NormEmail(u.Email), true).Scan(&personID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	res, err := s.exec(ctx, `INSERT INTO zoom_users (org_id, connection_id, zoom_user_id, zoom_account_id, email, email_norm, display_name, user_type, status, phone_licensed, person_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, zoom_user_id) DO UPDATE SET zoom_account_id = excluded.zoom_account_id, email = excluded.email,
			email_norm = excluded.email_norm, display_name = excluded.display_name, user_type = excluded.user_type,
			status = excluded.status, phone_licensed = excluded.phone_licensed, person_id = excluded.person_id, updated_at = excluded.updated_at
		WHERE zoom_users.email <> excluded.email OR zoom_users.display_name <> excluded.display_name OR zoom_users.user_type <> excluded.user_type
			OR zoom_users.status <> excluded.status OR zoom_users.phone_licensed <> excluded.phone_licensed
			OR zoom_users.zoom_account_id <> excluded.zoom_account_id
			OR COALESCE(zoom_users.person_id, 0) <> COALESCE(excluded.person_id, 0)`,
		u.OrgID, u.ConnectionID, u.ZoomUserID, u.ZoomAccountID, u.Email, NormEmail(u.Email), u.DisplayName, u.UserType, u.Status, u.PhoneLicensed, personID, ms(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ZoomUsers lists the Zoom users of an organization by email, each once with
// the connections that cover it (its row is the oldest connection's).
func (s *Store) ZoomUsers(ctx context.Context, orgID int64) ([]ZoomUser, error) {
	rows, err := s.query(ctx, "SELECT "+zoomUserCols+" FROM zoom_users WHERE org_id = ? ORDER BY email_norm, connection_id, id", orgID)
	if err != nil {
		return nil, err
	}
	us, err := collect(rows, scanZoomUser)
	return mergeZoomUsers(us, func(u *ZoomUser) *ZoomUser { return u }), err
}

// mergeZoomUsers keeps the first of each Zoom user's rows (one per covering
// connection) and lists every row's connection on it, in order.
func mergeZoomUsers[T any](rows []T, user func(*T) *ZoomUser) []T {
	out := rows[:0]
	at := map[string]int{}
	for _, r := range rows {
		u := user(&r)
		if i, ok := at[u.ZoomUserID]; ok {
			first := user(&out[i])
			first.Connections = append(first.Connections, u.ConnectionID)
			continue
		}
		u.Connections = []int64{u.ConnectionID}
		at[u.ZoomUserID] = len(out)
		out = append(out, r)
	}
	return out
}

// ZoomUsersOfConnection lists the Zoom users seen through one connection.
func (s *Store) ZoomUsersOfConnection(ctx context.Context, connID int64) ([]ZoomUser, error) {
	rows, err := s.query(ctx, "SELECT "+zoomUserCols+" FROM zoom_users WHERE connection_id = ? ORDER BY id", connID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanZoomUser)
}

// ZoomUserByZoomID finds the Zoom user of a connection by Zoom's user id.
func (s *Store) ZoomUserByZoomID(ctx context.Context, connID int64, zoomUserID string) (ZoomUser, error) {
	return scanZoomUser(s.queryRow(ctx, "SELECT "+zoomUserCols+" FROM zoom_users WHERE connection_id = ? AND zoom_user_id = ?", connID, zoomUserID))
}

// RemapPeople maps every Zoom user of the organization to the active person with the
// same normalized email, and unmaps the rest; it returns how many rows changed.
func (s *Store) RemapPeople(ctx context.Context, orgID int64, now time.Time) (int64, error) {
	res, err := s.exec(ctx, `UPDATE zoom_users SET person_id = (SELECT p.id FROM people p WHERE p.org_id = zoom_users.org_id AND p.email_norm = zoom_users.email_norm AND p.active = ?), updated_at = ?
		WHERE org_id = ? AND COALESCE(person_id, 0) <> COALESCE((SELECT p.id FROM people p WHERE p.org_id = zoom_users.org_id AND p.email_norm = zoom_users.email_norm AND p.active = ?), 0)`,
		true, ms(now), orgID, true)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteZoomUser forgets a Zoom user of a connection (user.deleted) and the
// activities of it that no other connection has seen, and returns those.
func (s *Store) DeleteZoomUser(ctx context.Context, connID int64, zoomUserID string) ([]DeletedActivity, error) {
	deleted, err := s.uncover(ctx, connID, zoomUserID)
	if err != nil {
		return nil, err
	}
	_, err = s.exec(ctx, "DELETE FROM zoom_users WHERE connection_id = ? AND zoom_user_id = ?", connID, zoomUserID)
	return deleted, err
}
