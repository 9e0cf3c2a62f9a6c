package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ActivityUpserter is UpsertActivity prepared once for many rows in one
// transaction: parsing the merge statement costs more than running it, and a
// webhook batch upserts hundreds of activities.
type ActivityUpserter struct {
	s           *Store
	stmt, cover *sql.Stmt
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
	stmt, err := prep.PrepareContext(ctx, s.rebind(upsertActivityOneSQL))
	if err != nil {
		return nil, err
	}
	cover, err := prep.PrepareContext(ctx, s.rebind(coverActivitySQL))
	if err != nil {
		stmt.Close()
		return nil, err
	}
	return &ActivityUpserter{s: s, stmt: stmt, cover: cover}, nil
}

// Upsert is UpsertActivity through the prepared statement.
func (u *ActivityUpserter) Upsert(ctx context.Context, a Activity, now time.Time) (Write, error) {
	if u.stmt == nil {
		return u.s.UpsertActivity(ctx, a, now)
	}
	var revision int64
	err := u.stmt.QueryRowContext(ctx, upsertArgs(a, now)...).Scan(&revision)
	w, err := writeOf(revision, err)
	if err != nil {
		return w, err
	}
	_, err = u.cover.ExecContext(ctx, coverArgs(a)...)
	return w, err
}

// Close releases the statement.
func (u *ActivityUpserter) Close() error {
	if u.stmt == nil {
		return nil
	}
	return errors.Join(u.stmt.Close(), u.cover.Close())
}
