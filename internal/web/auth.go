package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Passwords: bcrypt reads at most 72 bytes, so longer ones are refused rather
// than silently truncated.
const (
	minPassword = 8
	maxPassword = 72
)

// passwordCost is bcrypt's work factor (tests lower it to keep suites fast).
var passwordCost = bcrypt.DefaultCost

// HashPassword checks a new password's length and returns its bcrypt hash.
func HashPassword(pw string) (string, error) {
	if utf8.RuneCountInString(pw) < minPassword {
		return "", badRequest(fmt.Sprintf("The password must be at least %d characters.", minPassword))
	}
	if len(pw) > maxPassword {
		return "", badRequest(fmt.Sprintf("The password must be at most %d bytes.", maxPassword))
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), passwordCost)
	return string(h), err
}

var (
	dummyOnce sync.Once
	dummyHash []byte
)

// checkPassword compares in bcrypt's constant time; an unknown account is
// compared against a dummy hash so its answer takes as long as a real one.
func checkPassword(hash, pw string) bool {
	if hash == "" {
		dummyOnce.Do(func() { dummyHash, _ = bcrypt.GenerateFromPassword([]byte(newToken()), passwordCost) })
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(pw)) // for its time only
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

type signinData struct {
	Email, Next, Error string
	CSRF               string
}

func (a *App) signinPage(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	if _, err := a.viewer(r); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	a.renderSignin(w, r, http.StatusOK, signinData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (a *App) renderSignin(w http.ResponseWriter, r *http.Request, status int, d signinData) {
	d.CSRF = a.preToken(w, r)
	a.render(w, r, nil, status, "signin", page{Title: "Sign in", Data: d})
}

// signin checks the form's token, the failure limit and the password, then
// starts a fresh session in the account's first organization.
func (a *App) signin(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx, now := r.Context(), a.wall()
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	d := signinData{Email: email, Next: safeNext(r.PostFormValue("next"))}
	if !a.preOK(r) {
		d.Error = errBadCSRF.msg
		a.renderSignin(w, r, http.StatusForbidden, d)
		return
	}
	addr := clientAddr(r)
	refusal, err := a.limit.refusal(ctx, email, addr, now)
	if err != nil {
		a.renderError(w, r, nil, err)
		return
	}
	if refusal != "" {
		d.Error = refusal
		a.renderSignin(w, r, http.StatusTooManyRequests, d)
		return
	}
	acct, err := a.st.AccountByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.renderError(w, r, nil, err)
		return
	}
	if !checkPassword(acct.PasswordHash, pw) {
		a.signinFailed(ctx, acct, email, addr)
		d.Error = "That email and password do not match an account."
		a.renderSignin(w, r, http.StatusUnauthorized, d)
		return
	}
	if err := a.signinOK(ctx, w, r, acct); err != nil {
		a.renderError(w, r, nil, err)
		return
	}
	if acct.MustChangePassword {
		d.Next = passwordPath
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

func (a *App) signinFailed(ctx context.Context, acct store.Account, email, addr string) {
	now := a.wall()
	if err := a.limit.failed(ctx, email, addr, now); err != nil {
		a.log.Warn("sign-in: record failure", "err", err)
	}
	if acct.ID == 0 {
		return
	}
	members, err := a.st.PeopleOfAccount(ctx, acct.ID)
	if err != nil {
		a.log.Warn("sign-in: find the account's organizations to audit a failure", "err", err)
	}
	for _, p := range members {
		if err := a.st.Audit(ctx, store.AuditEntry{OrgID: p.OrgID, Actor: fmt.Sprintf("account:%d", acct.ID), Action: "signin.failed",
			Target: fmt.Sprintf("person:%d", p.ID), Detail: "wrong password from " + addr, At: now}); err != nil {
			a.log.Warn("sign-in: audit a failure", "org_id", p.OrgID, "err", err)
		}
	}
}

func (a *App) signinOK(ctx context.Context, w http.ResponseWriter, r *http.Request, acct store.Account) error {
	if err := a.limit.succeeded(ctx, acct.Email, clientAddr(r)); err != nil {
		return err
	}
	a.prune(ctx)
	members, err := a.st.PeopleOfAccount(ctx, acct.ID)
	if err != nil {
		return err
	}
	var orgID int64
	if len(members) > 0 {
		orgID = members[0].OrgID
		if err := a.st.Audit(ctx, store.AuditEntry{OrgID: orgID, Actor: fmt.Sprintf("account:%d", acct.ID), Action: "signin",
			Target: fmt.Sprintf("person:%d", members[0].ID), Detail: "from " + clientAddr(r), At: a.now()}); err != nil {
			return fmt.Errorf("audit sign-in: %w", err)
		}
	}
	return a.startSession(ctx, w, r, acct, orgID)
}

func (a *App) signout(w http.ResponseWriter, r *http.Request, v *viewer) error {
	a.endSession(w, r)
	if v.org.ID != 0 {
		// The session is gone already; a lost audit line must not keep anyone signed in.
		if err := a.st.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "signout", At: a.now()}); err != nil {
			a.log.Warn("sign-out: audit", "err", err)
		}
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// prune forgets expired sessions and failures older than the limit's window.
// Sign-ins are rare and both deletes use an index, so doing it here keeps
// the tables small without a job of its own.
func (a *App) prune(ctx context.Context) {
	now := a.wall()
	if _, err := a.st.PruneSessions(ctx, now); err != nil {
		a.log.Warn("web: prune sessions", "err", err)
	}
	if _, err := a.st.PruneSigninFailures(ctx, now.Add(-a.limit.window)); err != nil {
		a.log.Warn("web: prune failed sign-ins", "err", err)
	}
}
