package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// sessionTTL is how long a sign-in lasts; there is no "remember me" beyond it.
const sessionTTL = 12 * time.Hour

// newToken is 32 random bytes, URL-safe: a session id or a CSRF token.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the sessions table keeps instead of the cookie value.
func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// startSession signs an account in with a brand-new session id (never one
// the browser brought, so a planted id is worthless) and ends the old one.
func (a *App) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, acct store.Account, orgID int64) error {
	if old, err := r.Cookie(a.cookie); err == nil {
		// The old session may be gone already; a failure leaves it to expire.
		if err := a.st.DeleteSession(ctx, hashToken(old.Value)); err != nil {
			a.log.Warn("sign-in: end the previous session", "err", err)
		}
	}
	tok, now := newToken(), a.wall()
	ses := store.Session{TokenHash: hashToken(tok), AccountID: acct.ID, OrgID: orgID, CSRFToken: newToken(), CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}
	if err := a.st.CreateSession(ctx, ses); err != nil {
		return err
	}
	a.setCookie(w, a.cookie, tok, sessionTTL)
	return nil
}

func (a *App) setCookie(w http.ResponseWriter, name, value string, ttl time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode}
	if ttl > 0 {
		c.MaxAge = int(ttl / time.Second)
	} else {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// session returns the browser's unexpired session, or store.ErrNotFound.
func (a *App) session(r *http.Request) (store.Session, error) {
	c, err := r.Cookie(a.cookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return store.Session{}, store.ErrNotFound
	}
	return a.st.SessionByHash(r.Context(), hashToken(c.Value), a.wall())
}

// endSession signs the browser out.
func (a *App) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(a.cookie); err == nil {
		if err := a.st.DeleteSession(r.Context(), hashToken(c.Value)); err != nil && !errors.Is(err, store.ErrNotFound) {
			a.log.Warn("sign-out: delete session", "err", err)
		}
	}
	a.setCookie(w, a.cookie, "", 0)
}

// SessionOf is the signed-in session a request comes from: its token's hash
// and the organization it views ("" and 0 when signed out). Zoom's OAuth
// callback, outside the web app, uses it to bind a flow to its browser.
func (a *App) SessionOf(r *http.Request) (tokenHash string, orgID int64) {
	ses, err := a.session(r)
	if err != nil {
		return "", 0
	}
	return ses.TokenHash, ses.OrgID
}
