package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RecordSigninFailure notes one failed sign-in under key (a hash, never an
// email); emailHash (also a hash, or "") groups the rows of one email.
func (s *Store) RecordSigninFailure(ctx context.Context, keyHash, emailHash string, at time.Time) error {
	_, err := s.exec(ctx, "INSERT INTO signin_failures (key_hash, email_hash, at) VALUES (?, ?, ?)", keyHash, emailHash, ms(at))
	if err != nil {
		return fmt.Errorf("record failed sign-in: %w", err)
	}
	return nil
}

// SigninFailures counts the failures under key since a time, and returns the latest.
func (s *Store) SigninFailures(ctx context.Context, keyHash string, since time.Time) (int, time.Time, error) {
	var n int
	var last sql.NullInt64
	err := s.queryRow(ctx, "SELECT COUNT(*), MAX(at) FROM signin_failures WHERE key_hash = ? AND at >= ?", keyHash, ms(since)).Scan(&n, &last)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("count failed sign-ins: %w", err)
	}
	return n, fromMS(last.Int64), nil
}

// ClearSigninFailures forgets the failures under key (after a successful sign-in).
func (s *Store) ClearSigninFailures(ctx context.Context, keyHash string) error {
	if _, err := s.exec(ctx, "DELETE FROM signin_failures WHERE key_hash = ?", keyHash); err != nil {
		return fmt.Errorf("clear failed sign-ins: %w", err)
	}
	return nil
}

// ClearEmailSigninFailures forgets every failure of one email, from every
// address (an Admin's unlock), and returns how many.
func (s *Store) ClearEmailSigninFailures(ctx context.Context, emailHash string) (int64, error) {
	res, err := s.exec(ctx, "DELETE FROM signin_failures WHERE email_hash = ?", emailHash)
	if err != nil {
		return 0, fmt.Errorf("unlock sign-in: %w", err)
	}
	return res.RowsAffected()
}

// PruneSigninFailures forgets failures older than a time and returns how many.
func (s *Store) PruneSigninFailures(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.exec(ctx, "DELETE FROM signin_failures WHERE at < ?", ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune failed sign-ins: %w", err)
	}
	return res.RowsAffected()
}
