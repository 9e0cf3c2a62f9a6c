package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser. Only a hash of its cookie value is stored,
// so a copy of the database does not sign anyone in.
type Session struct {
	TokenHash string
	AccountID int64
	OrgID     int64 // the organization being viewed; 0 before one is chosen
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ses Session) error {
	_, err := s.exec(ctx, "INSERT INTO sessions (token_hash, account_id, org_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		ses.TokenHash, ses.AccountID, nullID(ses.OrgID), ses.CSRFToken, ms(ses.CreatedAt), ms(ses.ExpiresAt))
	return wrap(err, "create session of account %d", ses.AccountID)
}

// SessionByHash returns the unexpired session with this token hash.
func (s *Store) SessionByHash(ctx context.Context, tokenHash string, now time.Time) (Session, error) {
	var ses Session
	var org sql.NullInt64
	var created, expires int64
	err := s.queryRow(ctx, "SELECT token_hash, account_id, org_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?",
		tokenHash, ms(now)).Scan(&ses.TokenHash, &ses.AccountID, &org, &ses.CSRFToken, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return ses, ErrNotFound
	}
	ses.OrgID, ses.CreatedAt, ses.ExpiresAt = org.Int64, fromMS(created), fromMS(expires)
	return ses, err
}

// SetSessionOrg records which organization a session is viewing.
func (s *Store) SetSessionOrg(ctx context.Context, tokenHash string, orgID int64) error {
	res, err := s.exec(ctx, "UPDATE sessions SET org_id = ? WHERE token_hash = ?", nullID(orgID), tokenHash)
	return wrap(mustAffect(res, err), "switch session to org %d", orgID)
}

// DeleteSession signs a session out; deleting a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash)
	return wrap(err, "delete session")
}

// DeleteAccountSessions signs an account out everywhere (after a password change).
func (s *Store) DeleteAccountSessions(ctx context.Context, accountID int64) error {
	_, err := s.exec(ctx, "DELETE FROM sessions WHERE account_id = ?", accountID)
	return wrap(err, "end sessions of account %d", accountID)
}

// DeleteOtherAccountSessions signs an account out everywhere except the
// session keep (after changing one's own password).
func (s *Store) DeleteOtherAccountSessions(ctx context.Context, accountID int64, keep string) error {
	if _, err := s.exec(ctx, "DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?", accountID, keep); err != nil {
		return fmt.Errorf("end other sessions of account %d: %w", accountID, err)
	}
	return nil
}

// PruneSessions deletes expired sessions and returns how many.
func (s *Store) PruneSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.exec(ctx, "DELETE FROM sessions WHERE expires_at <= ?", ms(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
