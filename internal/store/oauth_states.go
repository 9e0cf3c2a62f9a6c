package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// OAuthState is a connect flow waiting for Zoom's redirect (internal/connect).
type OAuthState struct {
	StateHash   string // SHA-256 hex of the state handed to Zoom
	OrgID       int64
	Kind        string // KindAccountOAuth or KindUserOAuth
	PersonID    int64  // the person connecting their own Zoom (user OAuth)
	ActorID     int64  // the signed-in account that started the flow
	VerifierEnc []byte // PKCE verifier, vault ciphertext
	ReconnectID int64  // connection being renewed, 0 for a new one
	SessionHash string // the browser session that started the flow (its token's hash)
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// CreateOAuthState records a flow that has just been sent to Zoom.
func (s *Store) CreateOAuthState(ctx context.Context, st OAuthState) error {
	_, err := s.exec(ctx, `INSERT INTO oauth_states (state_hash, org_id, kind, person_id, actor_id, verifier_enc, reconnect_id, session_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.StateHash, st.OrgID, st.Kind, nullID(st.PersonID), nullID(st.ActorID), st.VerifierEnc, st.ReconnectID, st.SessionHash, ms(st.CreatedAt), ms(st.ExpiresAt))
	if err != nil {
		return wrap(err, "record oauth flow")
	}
	return nil
}

// TakeOAuthState removes and returns a flow's row, so a state works once:
// a replayed callback finds nothing. An expired row is removed and reported
// as ErrNotFound too.
func (s *Store) TakeOAuthState(ctx context.Context, stateHash string, now time.Time) (OAuthState, error) {
	var st OAuthState
	var person, actor sql.NullInt64
	var created, expires int64
	err := s.q.QueryRowContext(ctx, s.rebind(`DELETE FROM oauth_states WHERE state_hash = ?
		RETURNING state_hash, org_id, kind, person_id, actor_id, verifier_enc, reconnect_id, session_hash, created_at, expires_at`), stateHash).
		Scan(&st.StateHash, &st.OrgID, &st.Kind, &person, &actor, &st.VerifierEnc, &st.ReconnectID, &st.SessionHash, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return OAuthState{}, ErrNotFound
	}
	if err != nil {
		return OAuthState{}, wrap(err, "take oauth flow")
	}
	st.PersonID, st.ActorID, st.CreatedAt, st.ExpiresAt = person.Int64, actor.Int64, fromMS(created), fromMS(expires)
	if !now.Before(st.ExpiresAt) {
		return OAuthState{}, ErrNotFound
	}
	return st, nil
}

// PruneOAuthStates removes flows that were never completed.
func (s *Store) PruneOAuthStates(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.exec(ctx, "DELETE FROM oauth_states WHERE expires_at <= ?", ms(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
