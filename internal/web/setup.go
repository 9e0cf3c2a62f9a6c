package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// First run: while no organization has an Owner, `serve` prints a one-time
// link to /setup (its token also in SetupFile in the data directory), and
// that page creates the organization and its Owner. `zoombridge admin
// create-owner` does the same from a shell. Both end with CreateFirstOwner,
// which refuses once an Owner exists.

// SetupFile is the name of the first-run token's file in the data directory.
const SetupFile = "setup-token"

// SetupPath is the first-run page.
const SetupPath = "/setup"

var (
	// ErrAlreadySetUp means an Owner exists: first-run set-up is over.
	ErrAlreadySetUp = errors.New("zoombridge is already set up: an organization has an Owner")
	// ErrSetupLinkUsed means the link's token is not (or no longer) valid.
	ErrSetupLinkUsed = errors.New("this set-up link is not valid or has been used")
)

// SetupToken returns the first-run link's token, or "" once an Owner exists
// (and then removes a stale token file). The token in file is kept while it
// is still valid, so a restart prints the same link; otherwise a new one is
// recorded and written to file with mode 0600.
func SetupToken(ctx context.Context, st *store.Store, file string, now time.Time) (string, error) {
	owned, err := st.HasOwner(ctx)
	if err != nil {
		return "", err
	}
	if owned {
		if err := os.Remove(file); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("remove the used set-up token file: %w", err)
		}
		return "", nil
	}
	if b, err := os.ReadFile(file); err == nil {
		tok := strings.TrimSpace(string(b))
		if ok, err := st.SetupTokenValid(ctx, hashToken(tok)); err != nil || ok {
			return tok, err
		}
	}
	tok := newToken()
	if err := writeSecretFile(file, tok+"\n"); err != nil {
		return "", fmt.Errorf("write the set-up token file: %w", err)
	}
	if err := st.AddSetupToken(ctx, hashToken(tok), now); err != nil {
		return "", err
	}
	return tok, nil
}

// writeSecretFile replaces file atomically with content, readable by the owner only.
func writeSecretFile(file, content string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".setup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// CreateFirstOwner creates the first organization and its Owner, in one
// transaction that also consumes every set-up link. With a token (the set-up
// page), it must be a valid one; without (the admin command), none is
// needed. Once an Owner exists it returns ErrAlreadySetUp and changes nothing.
func CreateFirstOwner(ctx context.Context, st *store.Store, token, orgName, email, password string) (store.Organization, store.Person, error) {
	var org store.Organization
	var owner store.Person
	if strings.TrimSpace(orgName) == "" {
		return org, owner, badRequest("Enter the organization's name.")
	}
	if len(orgName) > 100 {
		return org, owner, badRequest("The organization's name must be at most 100 characters.")
	}
	err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		hash := ""
		if token != "" {
			hash = hashToken(token)
		}
		found, err := tx.TakeSetupTokens(ctx, hash)
		if err != nil {
			return err
		}
		owned, err := tx.HasOwner(ctx)
		switch {
		case err != nil:
			return err
		case owned:
			return ErrAlreadySetUp
		}
		if token != "" && !found {
			return ErrSetupLinkUsed
		}
		org, owner, err = Bootstrap(ctx, tx, orgName, email, password)
		return err
	})
	return org, owner, err
}

type setupData struct {
	Token, OrgName, Email, Error string
	CSRF                         string
	Closed                       bool // the link cannot be used: set up already, or a bad token
}

func (a *App) setupPage(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	d := setupData{Token: r.URL.Query().Get("token")}
	status, err := a.setupOpen(r.Context(), d.Token)
	if err != nil {
		a.renderError(w, r, nil, err)
		return
	}
	a.renderSetup(w, r, status, d)
}

// setupOpen is 200 while token can set zoombridge up, and otherwise the
// status that says why not (410 once an Owner exists, 404 for a bad link).
func (a *App) setupOpen(ctx context.Context, token string) (int, error) {
	owned, err := a.st.HasOwner(ctx)
	if err != nil || owned {
		return http.StatusGone, err
	}
	ok, err := a.st.SetupTokenValid(ctx, hashToken(token))
	if err != nil || token == "" || !ok {
		return http.StatusNotFound, err
	}
	return http.StatusOK, nil
}

func (a *App) renderSetup(w http.ResponseWriter, r *http.Request, status int, d setupData) {
	switch status {
	case http.StatusGone:
		d.Closed, d.Error = true, "zoombridge is already set up. Sign in, or ask an Owner of your organization to add you."
	case http.StatusNotFound:
		d.Closed, d.Error = true, "This set-up link is not valid. Use the link zoombridge printed when it started (also in the file "+SetupFile+" in its data directory)."
	}
	d.CSRF = a.preToken(w, r)
	a.render(w, r, nil, status, "setup", page{Title: "Set up zoombridge", Data: d})
}

// setup creates the organization and its Owner from the first-run form and
// signs the Owner in, on the Zoom integration page, ready to connect.
func (a *App) setup(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx := r.Context()
	d := setupData{Token: r.PostFormValue("token"), OrgName: r.PostFormValue("org"), Email: r.PostFormValue("email")}
	if !a.preOK(r) {
		d.Error = errBadCSRF.msg
		a.renderSetup(w, r, http.StatusForbidden, d)
		return
	}
	if pw := r.PostFormValue("password"); pw != r.PostFormValue("password2") {
		d.Error = "The two passwords differ."
		a.renderSetup(w, r, http.StatusBadRequest, d)
		return
	}
	org, _, err := CreateFirstOwner(ctx, a.st, d.Token, d.OrgName, d.Email, r.PostFormValue("password"))
	switch status, msg, known := publicError(err); {
	case errors.Is(err, ErrAlreadySetUp):
		a.renderSetup(w, r, http.StatusGone, d)
		return
	case errors.Is(err, ErrSetupLinkUsed):
		a.renderSetup(w, r, http.StatusNotFound, d)
		return
	case err != nil && known:
		d.Error = msg
		a.renderSetup(w, r, status, d)
		return
	case err != nil:
		a.renderError(w, r, nil, err)
		return
	}
	if a.setupFile != "" {
		if err := os.Remove(a.setupFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			a.log.Warn("setup: remove the used token file", "err", err)
		}
	}
	a.log.Info("first-run set-up done", "org_id", org.ID)
	acct, err := a.st.AccountByEmail(ctx, d.Email)
	if err == nil {
		err = a.startSession(ctx, w, r, acct, org.ID)
	}
	if err != nil {
		a.renderError(w, r, nil, err)
		return
	}
	_ = a.done(w, r, "/services/zoom", "zoombridge is set up and "+org.Name+" created. Connect Zoom to start.") // a redirect; never fails
}
