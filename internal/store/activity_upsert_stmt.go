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
	tell        bool
}

// PrepareActivityUpsert prepares UpsertActivity on the store's transaction
// (or database); Close it when done. Unless tell, a write is reported as
// Written, which spares the RETURNING.
func (s *Store) PrepareActivityUpsert(ctx context.Context, tell bool) (*ActivityUpserter, error) {
	prep, ok := s.q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if !ok {
		return &ActivityUpserter{s: s, tell: tell}, nil
	}
	query := upsertActivitySQL
	if tell {
		query = upsertActivityOneSQL
	}
	stmt, err := prep.PrepareContext(ctx, s.rebind(query))
	if err != nil {
		return nil, err
	}
	cover, err := prep.PrepareContext(ctx, s.rebind(coverActivitySQL))
	if err != nil {
		stmt.Close()
		return nil, err
	}
	return &ActivityUpserter{s: s, stmt: stmt, cover: cover, tell: tell}, nil
}

// Upsert is UpsertActivity through the prepared statement.
func (u *ActivityUpserter) Upsert(ctx context.Context, a Activity, now time.Time) (Write, error) {
	if u.stmt == nil {
		return u.s.upsertActivity(ctx, a, now, u.tell)
	}
	args := upsertArgs(a, now)
	w, err := runUpsert(u.tell,
		func() *sql.Row { return u.stmt.QueryRowContext(ctx, args...) },
		func() (sql.Result, error) { return u.stmt.ExecContext(ctx, args...) })
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
