package store

import (
	"context"
	"database/sql"
	"time"
)

// AuditEntry records who did what (feature X3).
type AuditEntry struct {
	ID     int64
	OrgID  int64
	Actor  string
	Action string
	Target string
	Detail string
	At     time.Time
}

// Audit appends an entry; call it in the transaction of the change it records.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	_, err := s.exec(ctx, "INSERT INTO audit_log (org_id, actor, action, target, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
		nullID(e.OrgID), e.Actor, e.Action, e.Target, e.Detail, ms(e.At))
	return wrap(err, "audit %s", e.Action)
}

// AuditLog lists an organization's entries, newest first.
func (s *Store) AuditLog(ctx context.Context, orgID int64, limit int) ([]AuditEntry, error) {
	rows, err := s.query(ctx, "SELECT id, org_id, actor, action, target, detail, at FROM audit_log WHERE org_id = ? ORDER BY at DESC, id DESC LIMIT ?", orgID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAudit)
}

func scanAudit(r interface{ Scan(...any) error }) (AuditEntry, error) {
	var e AuditEntry
	var org sql.NullInt64
	var at int64
	err := r.Scan(&e.ID, &org, &e.Actor, &e.Action, &e.Target, &e.Detail, &at)
	e.OrgID, e.At = org.Int64, fromMS(at)
	return e, err
}

// RecordHousekeeping notes one housekeeping run.
func (s *Store) RecordHousekeeping(ctx context.Context, runner string, pruned int64, at time.Time) error {
	_, err := s.exec(ctx, "INSERT INTO housekeeping_runs (ran_at, runner, pruned) VALUES (?, ?, ?)", ms(at), runner, pruned)
	return wrap(err, "record housekeeping run")
}

// HousekeepingRuns returns when housekeeping ran and on which process, oldest first.
func (s *Store) HousekeepingRuns(ctx context.Context) (at []time.Time, runners []string, err error) {
	rows, err := s.query(ctx, "SELECT ran_at, runner FROM housekeeping_runs ORDER BY ran_at")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t int64
		var r string
		if err := rows.Scan(&t, &r); err != nil {
			return nil, nil, err
		}
		at, runners = append(at, fromMS(t)), append(runners, r)
	}
	return at, runners, rows.Err()
}
