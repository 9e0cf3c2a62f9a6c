package web

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/http"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Passwords: everyone changes their own (which signs them out everywhere
// else); an Admin unlocks a person's sign-in or resets their password to a
// temporary one that must be changed at the next sign-in.

// passwordPath is the change-password page.
const passwordPath = "/account/password"

type passwordData struct {
	Must  bool // an Admin's temporary password: change it before anything else
	Error string
}

func (a *App) passwordPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	a.renderPassword(w, r, v, http.StatusOK, "")
	return nil
}

func (a *App) renderPassword(w http.ResponseWriter, r *http.Request, v *viewer, status int, msg string) {
	a.render(w, r, v, status, "password", page{Title: "Change password", Data: passwordData{Must: v.acct.MustChangePassword, Error: msg}})
}

// passwordChange sets the viewer's new password after checking the current
// one, and ends every other session of the account.
func (a *App) passwordChange(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	cur, pw := r.PostFormValue("current"), r.PostFormValue("password")
	switch {
	case !checkPassword(v.acct.PasswordHash, cur):
		a.renderPassword(w, r, v, http.StatusBadRequest, "Your current password is not right.")
		return nil
	case pw != r.PostFormValue("password2"):
		a.renderPassword(w, r, v, http.StatusBadRequest, "The two new passwords differ.")
		return nil
	case pw == cur:
		a.renderPassword(w, r, v, http.StatusBadRequest, "Choose a new password, not the current one.")
		return nil
	}
	hash, err := HashPassword(pw)
	if err != nil {
		a.renderPassword(w, r, v, http.StatusBadRequest, err.Error())
		return nil
	}
	err = a.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.SetAccountPassword(ctx, v.acct.ID, hash, false); err != nil {
			return err
		}
		if err := tx.DeleteOtherAccountSessions(ctx, v.acct.ID, v.ses.TokenHash); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "password.changed",
			Target: "person:" + itoa(v.me.ID), Detail: "other sessions ended", At: a.now()})
	})
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return a.done(w, r, "/", "Password changed. You were signed out everywhere else.")
}

// signinAccount is the sign-in account of a person the viewer may manage.
func (a *App) signinAccount(ctx context.Context, r *http.Request, v *viewer) (store.Person, store.Account, error) {
	p, err := a.editable(r, v)
	if err != nil {
		return p, store.Account{}, err
	}
	if p.AccountID == 0 {
		return p, store.Account{}, badRequest(displayName(p) + " cannot sign in yet: allow sign-in first.")
	}
	acct, err := a.st.AccountByID(ctx, p.AccountID)
	if err != nil {
		return p, acct, err
	}
	return p, acct, nil
}

// personUnlock forgets the person's failed sign-ins, from every address.
func (a *App) personUnlock(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	p, acct, err := a.signinAccount(ctx, r, v)
	if err != nil {
		return err
	}
	n, err := a.limit.unlock(ctx, acct.Email)
	if err != nil {
		return err
	}
	if err := a.st.Audit(ctx, store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "person.signin_unlocked",
		Target: "person:" + itoa(p.ID), Detail: fmt.Sprintf("%d failed sign-ins forgotten", n), At: a.now()}); err != nil {
		return fmt.Errorf("audit unlock: %w", err)
	}
	return a.done(w, r, personPath(p.ID)+"/edit", displayName(p)+"'s sign-in is unlocked.")
}

type resetData struct {
	P        store.Person
	Password string
}

// personReset gives the person a temporary password, shown once to the
// Admin, which must be changed at the next sign-in; their sessions end and
// their failed sign-ins are forgotten.
func (a *App) personReset(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	p, acct, err := a.signinAccount(ctx, r, v)
	if err != nil {
		return err
	}
	orgs, err := a.st.PeopleOfAccount(ctx, acct.ID)
	if err != nil {
		return err
	}
	if len(orgs) > 1 {
		return badRequest(displayName(p) + " also signs in to another organization, so only they can change their password (Change password, in their menu).")
	}
	temp := temporaryPassword()
	hash, err := HashPassword(temp)
	if err != nil {
		return err
	}
	err = a.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.SetAccountPassword(ctx, acct.ID, hash, true); err != nil {
			return err
		}
		if err := tx.DeleteAccountSessions(ctx, acct.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "person.password_reset",
			Target: "person:" + itoa(p.ID), Detail: "temporary password; sessions ended", At: a.now()})
	})
	if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	if _, err := a.limit.unlock(ctx, acct.Email); err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "password_reset", page{Title: "Temporary password", Section: "people", Data: resetData{P: p, Password: temp}})
	return nil
}

// temporaryPassword is 16 letters and digits in four groups, easy to read
// out; about 80 bits, and it must be changed at first use.
func temporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789" // no 0/o, 1/l/i
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return out.String()
}
