package store

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"
)

// AddSetupToken records a first-run link's token hash (once; adding it again
// is harmless, so a restart can keep printing the same link).
func (s *Store) AddSetupToken(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := s.exec(ctx, "INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?) ON CONFLICT (token_hash) DO NOTHING", tokenHash, ms(now))
	if err != nil {
		return fmt.Errorf("add set-up token: %w", err)
	}
	return nil
}

// SetupTokenValid reports whether a first-run link's token hash is still usable.
func (s *Store) SetupTokenValid(ctx context.Context, tokenHash string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM setup_tokens WHERE token_hash = ?", tokenHash).Scan(&n); err != nil {
		return false, fmt.Errorf("check set-up token: %w", err)
	}
	return n > 0, nil
}

// TakeSetupTokens deletes every first-run token and reports whether
// tokenHash was one of them. Deleting all in one statement makes two
// set-ups racing with different links wait on each other: the second finds
// its row gone. An empty tokenHash (the admin command) just clears them.
func (s *Store) TakeSetupTokens(ctx context.Context, tokenHash string) (bool, error) {
	rows, err := s.q.QueryContext(ctx, "DELETE FROM setup_tokens RETURNING token_hash")
	if err != nil {
		return false, fmt.Errorf("take set-up tokens: %w", err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return false, fmt.Errorf("take set-up tokens: %w", err)
		}
		if tokenHash != "" && subtle.ConstantTimeCompare([]byte(h), []byte(tokenHash)) == 1 {
			found = true
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("take set-up tokens: %w", err)
	}
	return found, nil
}

// HasOwner reports whether any organization has an active Owner; once one
// does, first-run set-up is over.
func (s *Store) HasOwner(ctx context.Context) (bool, error) {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM people WHERE role = ? AND active = ?", RoleOwner, true).Scan(&n); err != nil {
		return false, fmt.Errorf("look for an owner: %w", err)
	}
	return n > 0, nil
}
