package store

import (
	"context"
	"time"
)

// ConnectionForRefresh reads a connection to refresh its tokens. Inside InTx
// on PostgreSQL it takes the row lock (SELECT ... FOR UPDATE), so replicas
// refreshing the same connection queue up and each re-reads what the one
// before it saved; Zoom rotates refresh tokens, and a second concurrent
// refresh would kill the connection. SQLite has no row locks; there the caller
// serializes refreshes itself (one process owns a SQLite file).
func (s *Store) ConnectionForRefresh(ctx context.Context, id int64) (Connection, error) {
	q := "SELECT " + connCols + " FROM zoom_connections WHERE id = ?"
	if s.dialect == Postgres && s.tx != nil {
		q += " FOR UPDATE"
	}
	return scanConn(s.queryRow(ctx, q, id))
}

// UpdateConnectionProfile stores what Zoom says about a connection's user
// and grant when it is connected again (Reconnect), keeping its id and so
// every row synced through it.
func (s *Store) UpdateConnectionProfile(ctx context.Context, c Connection, now time.Time) error {
	res, err := s.exec(ctx, `UPDATE zoom_connections SET zoom_account_id = ?, zoom_user_id = ?, email = ?, display_name = ?,
		plan_type = ?, phone_licensed = ?, scopes = ?, client_id = ?, updated_at = ? WHERE id = ?`,
		c.ZoomAccountID, c.ZoomUserID, c.Email, c.DisplayName, c.PlanType, c.PhoneLicensed, c.Scopes, c.ClientID, ms(now), c.ID)
	return mustAffect(res, err)
}

// SaveSecrets stores a Server-to-Server app's secrets (vault ciphertext).
func (s *Store) SaveSecrets(ctx context.Context, id int64, clientSecretEnc, webhookSecretEnc []byte, now time.Time) error {
	res, err := s.exec(ctx, "UPDATE zoom_connections SET client_secret_enc = ?, webhook_secret_enc = ?, updated_at = ? WHERE id = ?",
		clientSecretEnc, webhookSecretEnc, ms(now), id)
	return mustAffect(res, err)
}

// IdleConnections lists active connections with a refresh token whose last
// refresh is older than before: they must be refreshed before Zoom lets
// their refresh token age out.
func (s *Store) IdleConnections(ctx context.Context, before time.Time) ([]Connection, error) {
	rows, err := s.query(ctx, "SELECT "+connCols+` FROM zoom_connections
		WHERE status = ? AND kind <> ? AND refreshed_at < ? ORDER BY refreshed_at, id`, StatusActive, KindS2S, ms(before))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanConn)
}

// ConnectionByZoomUser finds an organization's connection of a kind for a
// Zoom account and, when zoomUserID is not empty, one Zoom user of it, so
// connecting again renews it instead of adding a duplicate. ErrNotFound when
// there is none.
func (s *Store) ConnectionByZoomUser(ctx context.Context, orgID int64, kind, zoomAccountID, zoomUserID string) (Connection, error) {
	q := "SELECT " + connCols + " FROM zoom_connections WHERE org_id = ? AND kind = ? AND zoom_account_id = ?"
	args := []any{orgID, kind, zoomAccountID}
	if zoomUserID != "" {
		q += " AND zoom_user_id = ?"
		args = append(args, zoomUserID)
	}
	return scanConn(s.queryRow(ctx, q+" ORDER BY id LIMIT 1", args...))
}
