package connect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// ErrDisconnected is returned for a connection that no longer exists
// (disconnected or deauthorized). errors.Is(err, store.ErrNotFound) holds too.
var ErrDisconnected = fmt.Errorf("zoom connection was disconnected: %w", store.ErrNotFound)

// flight is one connection's refresh gate and cached access token in this
// process. It is shared by every Service on the same database handle, so two
// services built by mistake still refresh one at a time; another replica (or
// another store handle) has its own, and the row lock orders them.
type flight struct {
	gate     chan struct{} // capacity 1: holding it means "I may refresh"
	access   string        // plaintext, only in memory
	expires  time.Time
	rejected string // the last token Zoom refused; never handed out again
	// After a transient refresh failure, a token that still works is used
	// without asking Zoom again until retryAt, so callers do not hammer a
	// struggling token endpoint; the pause doubles with each failure.
	retryAt  time.Time
	failures int
}

type flightKey struct {
	db *sql.DB
	id int64
}

var flights sync.Map // flightKey -> *flight

func (s *Service) flight(id int64) *flight {
	k := flightKey{s.st.DB(), id}
	if f, ok := flights.Load(k); ok {
		return f.(*flight)
	}
	f, _ := flights.LoadOrStore(k, &flight{gate: make(chan struct{}, 1)})
	return f.(*flight)
}

func (s *Service) forget(id int64) { flights.Delete(flightKey{s.st.DB(), id}) }

func (f *flight) lock(ctx context.Context) error {
	select {
	case f.gate <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *flight) unlock() { <-f.gate }

// tokenSource implements zoom.TokenSource for one connection.
type tokenSource struct {
	s  *Service
	id int64
}

// TokenSource is the zoom.TokenSource of a connection: tokens come from the
// vault, are refreshed ahead of expiry exactly once at a time, and a dead
// grant turns the connection to needs_reconnect and returns a *Problem
// (errors.Is(err, zoom.ErrNeedsReconnect)).
func (s *Service) TokenSource(connID int64) zoom.TokenSource { return &tokenSource{s: s, id: connID} }

// AccessToken returns a token valid for at least RefreshAhead, refreshing first if needed.
func (t *tokenSource) AccessToken(ctx context.Context) (string, error) {
	f := t.s.flight(t.id)
	if err := f.lock(ctx); err != nil {
		return "", err
	}
	defer f.unlock()
	if f.access != "" && f.access != f.rejected {
		if now := t.s.now(); t.s.fresh(f.expires) || (now.Before(f.retryAt) && now.Before(f.expires)) {
			return f.access, nil
		}
	}
	return t.s.renew(ctx, f, t.id, t.s.expiring(f))
}

// TokenRejected makes the next AccessToken refresh unless someone already replaced token.
func (t *tokenSource) TokenRejected(ctx context.Context, token string) {
	f := t.s.flight(t.id)
	if err := f.lock(ctx); err != nil {
		return
	}
	defer f.unlock()
	f.rejected = token
	if f.access == token {
		f.access = ""
	}
}

// RefreshIdle refreshes a connection whose last refresh is older than
// before, so its refresh token never ages out (the idle job calls it). A
// replica that refreshed it meanwhile makes this a no-op.
func (s *Service) RefreshIdle(ctx context.Context, connID int64, before time.Time) error {
	f := s.flight(connID)
	if err := f.lock(ctx); err != nil {
		return err
	}
	defer f.unlock()
	_, err := s.renew(ctx, f, connID, func(c store.Connection, _ string) bool {
		return c.RefreshedAt.Before(before)
	})
	return err
}

func (s *Service) fresh(expires time.Time) bool {
	return s.now().Add(s.cfg.RefreshAhead).Before(expires)
}

// staleFunc decides, on a freshly read row, whether it must be refreshed;
// access is its access token in plaintext.
type staleFunc func(c store.Connection, access string) bool

// expiring is the usual rule: refresh when the token is near expiry or is
// the one Zoom just refused.
func (s *Service) expiring(f *flight) staleFunc {
	return func(c store.Connection, access string) bool {
		return access == "" || access == f.rejected || !s.fresh(c.TokenExpiresAt)
	}
}

// renew re-reads the connection and refreshes it if stale says so. The
// caller holds f's gate. Transient failures are tried again with backoff;
// while they last, a token that still works is handed out.
func (s *Service) renew(ctx context.Context, f *flight, id int64, stale staleFunc) (string, error) {
	backoff := s.cfg.RetryBackoff
	for attempt := 0; ; attempt++ {
		access, exp, err := s.renewOnce(ctx, id, stale)
		if err == nil {
			f.access, f.expires, f.failures, f.retryAt = access, exp, 0, time.Time{}
			return access, nil
		}
		if !transient(err) || ctx.Err() != nil {
			f.access = ""
			return "", err
		}
		if c, rerr := s.st.ConnectionByID(ctx, id); rerr == nil {
			if tok, oerr := s.vault.OpenString(c.AccessTokenEnc, aad(colAccessToken, c.ID)); oerr == nil &&
				tok != "" && tok != f.rejected && s.now().Before(c.TokenExpiresAt) {
				s.log.Warn("zoom token refresh failed; using the current token until it expires", "connection_id", id, "err", err)
				f.failures++
				f.access, f.expires, f.retryAt = tok, c.TokenExpiresAt, s.now().Add(s.cfg.RetryBackoff<<min(f.failures, 10))
				return tok, nil
			}
		}
		if attempt >= s.cfg.Retries {
			s.log.Warn("zoom token refresh failed", "connection_id", id, "attempts", attempt+1, "err", err)
			return "", err
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return "", ctx.Err()
		}
		backoff *= 2
	}
}

// renewOnce is one attempt: read (and on PostgreSQL lock) the row, use its
// token if another goroutine or replica already refreshed it, otherwise ask
// Zoom and save the answer in the same transaction.
func (s *Service) renewOnce(ctx context.Context, id int64, stale staleFunc) (string, time.Time, error) {
	if s.st.Dialect() == store.Postgres {
		return s.renewLocked(ctx, id, stale)
	}
	return s.renewSerial(ctx, id, stale)
}

// renewLocked holds the row lock (SELECT ... FOR UPDATE) across the call to
// Zoom, so a second replica waits, then re-reads the rotated tokens.
func (s *Service) renewLocked(ctx context.Context, id int64, stale staleFunc) (string, time.Time, error) {
	var access string
	var exp time.Time
	var issued *zoom.Token
	var conn store.Connection
	var final error
	err := s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		c, tok, needed, err := s.readForRefresh(ctx, tx, id, stale)
		if err != nil || !needed {
			access, exp, final = tok, c.TokenExpiresAt, err
			return nil
		}
		conn = c
		t, err := s.grant(ctx, c)
		if err != nil {
			if transient(err) {
				return err
			}
			final, err = s.markNeedsReconnect(ctx, tx, c, err)
			return err
		}
		issued = &t
		access, exp = t.AccessToken, t.Expiry(s.now())
		return s.saveTokens(ctx, tx, c, t, exp)
	})
	if err != nil && issued != nil {
		// Zoom already rotated the refresh token: losing the new one would
		// kill the connection, so save it on its own.
		err = s.saveAfterFailedCommit(ctx, conn, *issued, exp, err)
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return access, exp, final
}

// renewSerial is SQLite's way: one process owns the file and the flight gate
// already serializes refreshes, so Zoom is called outside any transaction
// (holding the single writer across an HTTP call would stall every write,
// webhooks included) and the answer is saved in a short one.
func (s *Service) renewSerial(ctx context.Context, id int64, stale staleFunc) (string, time.Time, error) {
	c, tok, needed, err := s.readForRefresh(ctx, s.st, id, stale)
	if err != nil || !needed {
		return tok, c.TokenExpiresAt, err
	}
	t, err := s.grant(ctx, c)
	if err != nil {
		if transient(err) {
			return "", time.Time{}, err
		}
		var final error
		cause := err
		if err := s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) (err error) {
			final, err = s.markNeedsReconnect(ctx, tx, c, cause)
			return err
		}); err != nil {
			return "", time.Time{}, err
		}
		return "", time.Time{}, final
	}
	exp := t.Expiry(s.now())
	err = s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error { return s.saveTokens(ctx, tx, c, t, exp) })
	if err != nil {
		err = s.saveAfterFailedCommit(ctx, c, t, exp, err)
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return t.AccessToken, exp, nil
}

// readForRefresh reads the row and decides: tok is its usable access token
// when needed is false; err is a final answer (gone, needs reconnect).
func (s *Service) readForRefresh(ctx context.Context, st *store.Store, id int64, stale staleFunc) (c store.Connection, tok string, needed bool, err error) {
	c, err = st.ConnectionForRefresh(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return c, "", false, ErrDisconnected
	}
	if err != nil {
		return c, "", false, err
	}
	if c.Status != store.StatusActive {
		reason := c.StatusReason
		if reason == "" {
			reason = reconnectReason(c.Kind, nil)
		}
		return c, "", false, NeedsReconnect(reason)
	}
	tok, err = s.vault.OpenString(c.AccessTokenEnc, aad(colAccessToken, c.ID))
	if err != nil {
		return c, "", false, fmt.Errorf("connection %d: access token: %w", id, err)
	}
	return c, tok, stale(c, tok), nil
}

// grant asks Zoom for new tokens: a refresh for OAuth connections, the
// account_credentials grant for Server-to-Server ones.
func (s *Service) grant(ctx context.Context, c store.Connection) (zoom.Token, error) {
	app, err := s.appFor(c)
	if err != nil {
		return zoom.Token{}, fmt.Errorf("connection %d: client secret: %w", c.ID, err)
	}
	if c.Kind == store.KindS2S {
		return app.AccountCredentials(ctx, c.ZoomAccountID)
	}
	rt, err := s.vault.OpenString(c.RefreshTokenEnc, aad(colRefreshToken, c.ID))
	if err != nil {
		return zoom.Token{}, fmt.Errorf("connection %d: refresh token: %w", c.ID, err)
	}
	if rt == "" {
		return zoom.Token{}, &zoom.OAuthError{Status: 400, Kind: "invalid_grant", Reason: "no refresh token stored"}
	}
	t, err := app.Refresh(ctx, rt)
	if err == nil && t.RefreshToken == "" {
		t.RefreshToken = rt // Zoom always rotates; keep the old one if it ever does not
	}
	return t, err
}

// saveTokens seals and stores tokens Zoom just issued, in tx.
func (s *Service) saveTokens(ctx context.Context, tx *store.Store, c store.Connection, t zoom.Token, exp time.Time) error {
	accessEnc, err := s.vault.SealString(t.AccessToken, aad(colAccessToken, c.ID))
	if err != nil {
		return err
	}
	refreshEnc, err := s.vault.SealString(t.RefreshToken, aad(colRefreshToken, c.ID))
	if err != nil {
		return err
	}
	scopes := t.Scope
	if scopes == "" {
		scopes = c.Scopes
	}
	return tx.SaveTokens(ctx, c.ID, accessEnc, refreshEnc, exp, s.now(), scopes)
}

func (s *Service) saveAfterFailedCommit(ctx context.Context, c store.Connection, t zoom.Token, exp time.Time, cause error) error {
	s.log.Error("saving rotated zoom tokens failed; trying again on its own", "connection_id", c.ID, "err", cause)
	var err error
	for range 3 {
		if err = s.st.InTx(context.WithoutCancel(ctx), func(tx *store.Store, _ *sql.Tx) error {
			return s.saveTokens(ctx, tx, c, t, exp)
		}); err == nil {
			return nil
		}
	}
	s.log.Error("rotated zoom tokens lost; the connection will need a reconnect", "connection_id", c.ID, "err", err)
	return err
}

// markNeedsReconnect records, in tx, that Zoom refused the grant for good,
// with a reason a person understands, and returns the Problem to hand out
// (or the database error that kept it from being recorded).
func (s *Service) markNeedsReconnect(ctx context.Context, tx *store.Store, c store.Connection, cause error) (*Problem, error) {
	reason := reconnectReason(c.Kind, cause)
	s.log.Warn("zoom connection needs reconnect", "connection_id", c.ID, "org_id", c.OrgID, "err", cause)
	now := s.now()
	if err := tx.SetConnectionStatus(ctx, c.ID, store.StatusNeedsReconnect, reason, now); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, store.AuditEntry{OrgID: c.OrgID, Actor: "zoom", Action: AuditNeedsReconnect,
		Target: connTarget(c.ID), Detail: reason, At: now}); err != nil {
		return nil, err
	}
	c.Status, c.StatusReason = store.StatusNeedsReconnect, reason
	if err := outbound.Publish(ctx, tx, c.OrgID, "connection.needs_reconnect", outbound.Connection(c), now); err != nil {
		return nil, err
	}
	p := NeedsReconnect(reason)
	p.Err = fmt.Errorf("%w: %w", zoom.ErrNeedsReconnect, cause)
	return p, nil
}

// transient reports whether a refresh failure may pass if tried again:
// Zoom unreachable or overloaded, or a database hiccup; never a refusal, a
// vanished connection or an undecryptable secret.
func transient(err error) bool {
	if _, ok := AsProblem(err); ok || errors.Is(err, ErrDisconnected) || errors.Is(err, vault.ErrOpen) {
		return false
	}
	return zoom.IsTransient(err)
}
