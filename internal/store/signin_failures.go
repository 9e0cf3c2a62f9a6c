package store

import (
	"context"
	"time"
)

// RecordSigninFailure notes one failed sign-in under key (a hash, never an email).
func (s *Store) RecordSigninFailure(ctx context.Context, keyHash string, at time.Time) error {
	_, err := s.exec(ctx, "INSERT INTO signin_failures (key_hash, at) VALUES (?, ?)", keyHash, ms(at))
	return err
}

// SigninFailures counts the failures under key since a time.
func (s *Store) SigninFailures(ctx context.Context, keyHash string, since time.Time) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT COUNT(*) FROM signin_failures WHERE key_hash = ? AND at >= ?", keyHash, ms(since)).Scan(&n)
	return n, err
}

// ClearSigninFailures forgets the failures under key (after a successful sign-in).
func (s *Store) ClearSigninFailures(ctx context.Context, keyHash string) error {
	_, err := s.exec(ctx, "DELETE FROM signin_failures WHERE key_hash = ?", keyHash)
	return err
}

// PruneSigninFailures forgets failures older than a time and returns how many.
func (s *Store) PruneSigninFailures(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.exec(ctx, "DELETE FROM signin_failures WHERE at < ?", ms(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
