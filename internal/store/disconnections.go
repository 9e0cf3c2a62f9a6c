package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Disconnection records that a connection ended (feature C7): who ended it,
// when, and how many rows went with it.
type Disconnection struct {
	ID            int64
	OrgID         int64
	ConnectionID  int64
	Kind          string
	ZoomAccountID string
	ZoomUserID    string
	Email         string
	Actor         string // "account:<id>" or "zoom"
	ActorName     string // the person who clicked, by name or email; "" for Zoom
	Purged
	// EchoPending: zoombridge revoked the grant, so Zoom's app_deauthorized
	// for this installation is still to come and ends nothing more.
	EchoPending bool
	At          time.Time
}

const disconnectionCols = "id, org_id, connection_id, kind, zoom_account_id, zoom_user_id, email, actor, actor_name, activities, zoom_users, echo_pending, at"

func scanDisconnection(row interface{ Scan(...any) error }) (Disconnection, error) {
	var d Disconnection
	var at int64
	err := row.Scan(&d.ID, &d.OrgID, &d.ConnectionID, &d.Kind, &d.ZoomAccountID, &d.ZoomUserID, &d.Email, &d.Actor, &d.ActorName,
		&d.Activities, &d.ZoomUsers, &d.EchoPending, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	d.At = fromMS(at)
	return d, err
}

// RecordDisconnection stores a disconnection.
func (s *Store) RecordDisconnection(ctx context.Context, d Disconnection) error {
	_, err := s.exec(ctx, `INSERT INTO zoom_disconnections (org_id, connection_id, kind, zoom_account_id, zoom_user_id, email, actor, actor_name,
		activities, zoom_users, echo_pending, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.OrgID, d.ConnectionID, d.Kind, d.ZoomAccountID, d.ZoomUserID, d.Email, d.Actor, d.ActorName, d.Activities, d.ZoomUsers, d.EchoPending, ms(d.At))
	return err
}

// LastDisconnection returns an organization's latest disconnection of one
// of kinds (every kind when none is given).
func (s *Store) LastDisconnection(ctx context.Context, orgID int64, kinds ...string) (Disconnection, error) {
	q, args := "SELECT "+disconnectionCols+" FROM zoom_disconnections WHERE org_id = ?", []any{orgID}
	if len(kinds) > 0 {
		q += " AND kind IN (?" + strings.Repeat(", ?", len(kinds)-1) + ")"
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	return scanDisconnection(s.queryRow(ctx, q+" ORDER BY at DESC, id DESC LIMIT 1", args...))
}

// TakeDeauthEcho reports whether the app_deauthorized stored as inboxID
// answers a revoke zoombridge made for this organization's installation by
// a Zoom user since a time, and claims that revoke for it: each revoke
// answers one event, and asking again for the same event answers the same.
func (s *Store) TakeDeauthEcho(ctx context.Context, orgID int64, zoomAccountID, zoomUserID string, since time.Time, inboxID int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM zoom_disconnections WHERE org_id = ? AND echo_inbox_id = ?", orgID, inboxID).Scan(&n)
	if err != nil || n > 0 {
		return n > 0, err
	}
	res, err := s.exec(ctx, `UPDATE zoom_disconnections SET echo_pending = ?, echo_inbox_id = ? WHERE id = (SELECT MIN(id) FROM zoom_disconnections
		WHERE org_id = ? AND zoom_account_id = ? AND zoom_user_id = ? AND echo_pending = ? AND at >= ?)`,
		false, inboxID, orgID, zoomAccountID, zoomUserID, true, ms(since))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k > 0, err
}

// Disconnect purges d's connection (PurgeConnection) and records it: the
// disconnection with its counts, and an audit entry whose detail ends with
// how many rows went. Run it in a transaction.
func (s *Store) Disconnect(ctx context.Context, d Disconnection, action, detail string) (Disconnection, error) {
	var err error
	if d.Purged, err = s.PurgeConnection(ctx, d.ConnectionID); err != nil {
		return d, err
	}
	if err := s.RecordDisconnection(ctx, d); err != nil {
		return d, err
	}
	detail += fmt.Sprintf("; removed %d activities and %d Zoom users no other connection covers", d.Activities, d.ZoomUsers)
	return d, s.Audit(ctx, AuditEntry{OrgID: d.OrgID, Actor: d.Actor, Action: action, Target: "connection:" + strconv.FormatInt(d.ConnectionID, 10),
		Detail: detail, At: d.At})
}

// DisconnectionOf is the disconnection of a connection about to be purged.
func DisconnectionOf(c Connection, actor string, at time.Time) Disconnection {
	return Disconnection{OrgID: c.OrgID, ConnectionID: c.ID, Kind: c.Kind, ZoomAccountID: c.ZoomAccountID, ZoomUserID: c.ZoomUserID,
		Email: c.Email, Actor: actor, At: at}
}
