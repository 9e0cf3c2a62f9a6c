package store

import (
	"context"
	"database/sql"
	"strings"
)

// PendingInboxIDs returns those of ids whose events are not processed yet.
// It reads outside any write transaction, so a processing job whose events
// another job already processed finds that out without taking the writer.
func (s *Store) PendingInboxIDs(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.query(ctx, "SELECT id FROM webhook_inbox WHERE processed_at = 0 AND id IN (?"+strings.Repeat(", ?", len(ids)-1)+") ORDER BY id", int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	return collectIDs(rows)
}

// PendingInboxIDsAfter returns, in id order, up to limit ids of events not
// processed yet with an id above after. It reads outside any write
// transaction, so skipping over processed events does not hold the writer.
func (s *Store) PendingInboxIDsAfter(ctx context.Context, after int64, limit int) ([]int64, error) {
	rows, err := s.query(ctx, "SELECT id FROM webhook_inbox WHERE processed_at = 0 AND id > ? ORDER BY id LIMIT ?", after, limit)
	if err != nil {
		return nil, err
	}
	return collectIDs(rows)
}

// MaxInboxID returns the largest event id stored (0 when none).
func (s *Store) MaxInboxID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := s.queryRow(ctx, "SELECT MAX(id) FROM webhook_inbox").Scan(&id)
	return id.Int64, err
}

// ClaimInboxEvents returns, in id order, the events among ids that are not
// processed yet, for processing in the caller's transaction (call it inside
// InTx). On SQLite the single writer keeps two claims apart. On PostgreSQL
// the rows stay locked until the transaction ends, so two processors never
// apply one event at once: a claim waits for rows another holds (and leaves
// them out if that one processed them), or with skipLocked passes them by.
func (s *Store) ClaimInboxEvents(ctx context.Context, ids []int64, skipLocked bool) ([]InboxEvent, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	lock := ""
	switch {
	case s.dialect == Postgres && skipLocked:
		lock = " FOR UPDATE SKIP LOCKED"
	case s.dialect == Postgres:
		lock = " FOR UPDATE"
	}
	rows, err := s.query(ctx, "SELECT "+inboxCols+" FROM webhook_inbox WHERE processed_at = 0 AND id IN (?"+strings.Repeat(", ?", len(ids)-1)+") ORDER BY id"+lock, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanInbox)
}

func collectIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}
