package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SyncError is one per-record error of a pass: recorded, skipped, shown on
// the integration page; never fatal to the pass.
type SyncError struct {
	ID           int64
	ConnectionID int64
	PassID       int64
	Stream       string // users | meetings | webinars | calls
	ZoomUserID   string
	Ref          string // what failed: a meeting UUID, a date window
	Code         int    // Zoom's error code, 0 when not from Zoom
	Message      string
	At           time.Time
}

const syncErrorCols = "e.id, e.connection_id, e.pass_id, e.stream, e.zoom_user_id, e.ref, e.code, e.message, e.at"

func scanSyncError(row interface{ Scan(...any) error }) (SyncError, error) {
	var e SyncError
	var at int64
	err := row.Scan(&e.ID, &e.ConnectionID, &e.PassID, &e.Stream, &e.ZoomUserID, &e.Ref, &e.Code, &e.Message, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	e.At = fromMS(at)
	return e, err
}

// RecordSyncError stores a per-record error and counts it on its pass.
func (s *Store) RecordSyncError(ctx context.Context, e SyncError) error {
	_, err := s.exec(ctx, `INSERT INTO sync_errors (connection_id, pass_id, stream, zoom_user_id, ref, code, message, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ConnectionID, e.PassID, e.Stream, e.ZoomUserID, e.Ref, e.Code, e.Message, ms(e.At))
	if err != nil || e.PassID == 0 {
		return err
	}
	_, err = s.exec(ctx, "UPDATE sync_passes SET errors = errors + 1, last_error = ? WHERE id = ?", e.Message, e.PassID)
	return err
}

// SyncErrors lists a connection's latest per-record errors, newest first,
// only if the connection belongs to the organization.
func (s *Store) SyncErrors(ctx context.Context, orgID, connID int64, limit int) ([]SyncError, error) {
	rows, err := s.query(ctx, "SELECT "+syncErrorCols+` FROM sync_errors e JOIN zoom_connections c ON c.id = e.connection_id
		WHERE e.connection_id = ? AND c.org_id = ? ORDER BY e.id DESC LIMIT ?`, connID, orgID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanSyncError)
}

// PruneSyncErrors deletes a connection's errors older than before.
func (s *Store) PruneSyncErrors(ctx context.Context, connID int64, before time.Time) error {
	_, err := s.exec(ctx, "DELETE FROM sync_errors WHERE connection_id = ? AND at < ?", connID, ms(before))
	return err
}

// SkipSyncUser makes a stream leave a Zoom user alone until until: Zoom said
// the stream does not apply to them (no Phone licence, no webinar add-on).
func (s *Store) SkipSyncUser(ctx context.Context, connID int64, stream, zoomUserID, reason string, until time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO sync_skips (connection_id, stream, zoom_user_id, reason, until_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, stream, zoom_user_id) DO UPDATE SET reason = excluded.reason, until_at = excluded.until_at`,
		connID, stream, zoomUserID, reason, ms(until))
	return err
}

// SyncSkips lists the Zoom users a stream leaves alone at now, with the reason.
func (s *Store) SyncSkips(ctx context.Context, connID int64, stream string, now time.Time) (map[string]string, error) {
	rows, err := s.query(ctx, "SELECT zoom_user_id, reason FROM sync_skips WHERE connection_id = ? AND stream = ? AND until_at > ?", connID, stream, ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return nil, err
		}
		out[id] = reason
	}
	return out, rows.Err()
}

// ClearSyncSkip lets a stream list a Zoom user again (they got the licence).
func (s *Store) ClearSyncSkip(ctx context.Context, connID int64, stream, zoomUserID string) error {
	_, err := s.exec(ctx, "DELETE FROM sync_skips WHERE connection_id = ? AND stream = ? AND zoom_user_id = ?", connID, stream, zoomUserID)
	return err
}
