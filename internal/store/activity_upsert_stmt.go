package store

import (
	"context"
	"database/sql"
	"time"
)

// ActivityUpserter is UpsertActivity prepared once for many rows in one
// transaction: parsing the merge statement costs more than running it, and a
// webhook batch upserts hundreds of activities.
type ActivityUpserter struct {
	s    *Store
	stmt *sql.Stmt
}

// PrepareActivityUpsert prepares UpsertActivity on the store's transaction
// (or database); Close it when done.
func (s *Store) PrepareActivityUpsert(ctx context.Context) (*ActivityUpserter, error) {
	prep, ok := s.q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if !ok {
		return &ActivityUpserter{s: s}, nil
	}
	stmt, err := prep.PrepareContext(ctx, s.rebind(upsertActivitySQL))
	if err != nil {
		return nil, err
	}
	return &ActivityUpserter{s: s, stmt: stmt}, nil
}

// Upsert is UpsertActivity through the prepared statement.
func (u *ActivityUpserter) Upsert(ctx context.Context, a Activity, now time.Time) (bool, error) {
	if u.stmt == nil {
		return u.s.UpsertActivity(ctx, a, now)
	}
	res, err := u.stmt.ExecContext(ctx, a.OrgID, a.ConnectionID, nullID(a.PersonID), a.ZoomUserID, a.Kind, a.ZoomID, a.ZoomNumber,
		a.Title, ms(a.StartAt), ms(a.EndAt), a.DurationSeconds, a.ParticipantsCount, a.Direction, a.CallerName, a.Device, a.Source, ms(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Close releases the statement.
func (u *ActivityUpserter) Close() error {
	if u.stmt == nil {
		return nil
	}
	return u.stmt.Close()
}
