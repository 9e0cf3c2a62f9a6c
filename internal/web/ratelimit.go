package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// signinLimit refuses sign-ins after too many failures for one email or from
// one address within a window. Failures live in the database, so the limit
// holds across replicas and restarts; keys are hashed, so the table holds no
// email in clear.
type signinLimit struct {
	st       *store.Store
	perEmail int
	perAddr  int
	window   time.Duration
}

func limitKey(kind, v string) string {
	h := sha256.Sum256([]byte("zoombridge signin " + kind + ":" + v))
	return hex.EncodeToString(h[:])
}

// clientAddr is the peer address without port. Forwarded headers are not
// trusted: behind a proxy every client shares its address, which makes the
// per-address limit stricter, never looser.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// blocked reports whether this email or address has used up its failures.
func (l signinLimit) blocked(ctx context.Context, email, addr string, now time.Time) (bool, error) {
	since := now.Add(-l.window)
	n, err := l.st.SigninFailures(ctx, limitKey("email", store.NormEmail(email)), since)
	if err != nil || n >= l.perEmail {
		return n >= l.perEmail, err
	}
	n, err = l.st.SigninFailures(ctx, limitKey("addr", addr), since)
	return n >= l.perAddr, err
}

// failed records one failure against the email and the address.
func (l signinLimit) failed(ctx context.Context, email, addr string, now time.Time) error {
	if err := l.st.RecordSigninFailure(ctx, limitKey("email", store.NormEmail(email)), now); err != nil {
		return err
	}
	return l.st.RecordSigninFailure(ctx, limitKey("addr", addr), now)
}

// succeeded forgets the email's failures (not the address's: one good
// password must not reset a guessing run against other accounts).
func (l signinLimit) succeeded(ctx context.Context, email string) error {
	return l.st.ClearSigninFailures(ctx, limitKey("email", store.NormEmail(email)))
}
