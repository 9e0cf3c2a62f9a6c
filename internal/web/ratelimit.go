package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// signinLimit decides whether a sign-in may be tried. Failures are counted
//
//   - per email and client address pair: perPair failures within the window
//     refuse that pair, so guessing someone's password from one place never
//     locks them out from another;
//   - per address across emails: perAddr refuse the address (one place
//     guessing many accounts);
//   - per email across addresses: past perEmail, tries are slowed to one per
//     slowEvery instead of refused, so many places guessing together get few
//     guesses yet cannot lock the person out.
//
// Failures live in the database, so the limits hold across replicas and
// restarts; keys are hashed, so the table holds no email or address in clear.
type signinLimit struct {
	st        *store.Store
	perPair   int
	perAddr   int
	perEmail  int
	slowEvery time.Duration
	window    time.Duration
}

func limitKey(kind, v string) string {
	h := sha256.Sum256([]byte("zoombridge signin " + kind + ":" + v))
	return hex.EncodeToString(h[:])
}

func emailKey(email string) string { return limitKey("email", store.NormEmail(email)) }

func pairKey(email, addr string) string { return limitKey("pair", store.NormEmail(email)+"|"+addr) }

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

// refusal says why a sign-in is not tried now, in words for the person; ""
// means it may be tried.
func (l signinLimit) refusal(ctx context.Context, email, addr string, now time.Time) (string, error) {
	since := now.Add(-l.window)
	locked := fmt.Sprintf("Too many failed sign-ins from here. Wait %d minutes and try again, or ask an Admin to unlock your sign-in.", int(l.window.Minutes()))
	if n, _, err := l.st.SigninFailures(ctx, pairKey(email, addr), since); err != nil || n >= l.perPair {
		return ifLimited(n >= l.perPair, locked), err
	}
	if n, _, err := l.st.SigninFailures(ctx, limitKey("addr", addr), since); err != nil || n >= l.perAddr {
		return ifLimited(n >= l.perAddr, locked), err
	}
	n, last, err := l.st.SigninFailures(ctx, emailKey(email), since)
	if err != nil {
		return "", err
	}
	if wait := last.Add(l.slowEvery).Sub(now); n >= l.perEmail && wait > 0 {
		return fmt.Sprintf("This account has had many failed sign-ins. Wait %d seconds before trying again.", int(wait.Seconds())+1), nil
	}
	return "", nil
}

func ifLimited(limited bool, msg string) string {
	if limited {
		return msg
	}
	return ""
}

// failed records one failure against the pair, the email and the address.
func (l signinLimit) failed(ctx context.Context, email, addr string, now time.Time) error {
	e := emailKey(email)
	for _, k := range []struct{ key, email string }{{pairKey(email, addr), e}, {e, e}, {limitKey("addr", addr), ""}} {
		if err := l.st.RecordSigninFailure(ctx, k.key, k.email, now); err != nil {
			return err
		}
	}
	return nil
}

// succeeded forgets the pair's failures; not the address's (one good
// password must not reset a guessing run against other accounts), nor the
// email's from elsewhere (they keep slowing a guesser down).
func (l signinLimit) succeeded(ctx context.Context, email, addr string) error {
	return l.st.ClearSigninFailures(ctx, pairKey(email, addr))
}

// unlock forgets every failure of an email, from every address (an Admin's unlock).
func (l signinLimit) unlock(ctx context.Context, email string) (int64, error) {
	return l.st.ClearEmailSigninFailures(ctx, emailKey(email))
}
