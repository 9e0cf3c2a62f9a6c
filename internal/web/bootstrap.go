package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Bootstrap creates an organization with its first Owner, who can sign in
// with ownerEmail and password. The demo, first-run set-up and tests use it.
func Bootstrap(ctx context.Context, st *store.Store, orgName, ownerEmail, password string) (store.Organization, store.Person, error) {
	var org store.Organization
	var owner store.Person
	now := time.Now()
	err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		slug, err := freeSlug(ctx, tx, orgName)
		if err != nil {
			return err
		}
		if org, err = tx.CreateOrganization(ctx, strings.TrimSpace(orgName), slug, now); err != nil {
			return err
		}
		if err := tx.Audit(ctx, store.AuditEntry{OrgID: org.ID, Actor: "system", Action: "organization.created", Target: "organization:" + itoa(org.ID), Detail: org.Name, At: now}); err != nil {
			return err
		}
		owner, err = AddMember(ctx, tx, org.ID, people.Input{Email: ownerEmail, Name: nameFromEmail(ownerEmail), Role: store.RoleOwner}, password)
		return err
	})
	return org, owner, err
}

// AddMember adds a person to an organization as zoombridge itself (no access
// check: callers are set-up code and tests) and, with a password, lets them
// sign in.
func AddMember(ctx context.Context, st *store.Store, orgID int64, in people.Input, password string) (store.Person, error) {
	var p store.Person
	err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		var err error
		if p, err = people.New(tx, nil).Add(ctx, people.System(orgID), in); err != nil {
			return err
		}
		if password == "" {
			return nil
		}
		_, err = EnableSignIn(ctx, tx, orgID, p.ID, password, time.Now())
		return err
	})
	if err != nil {
		return p, err
	}
	return st.PersonByID(ctx, orgID, p.ID)
}

// EnableSignIn lets a person sign in. A new account gets the password; an
// existing account (the same email in another organization) is only linked,
// never given a new password, so an admin of one organization cannot take
// over an account that opens another. linked reports that case.
func EnableSignIn(ctx context.Context, st *store.Store, orgID, personID int64, password string, now time.Time) (linked bool, err error) {
	err = st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		p, err := tx.PersonByID(ctx, orgID, personID)
		if err != nil {
			return err
		}
		acct, err := tx.AccountByEmail(ctx, p.Email)
		switch {
		case err == nil:
			linked = true
		case errors.Is(err, store.ErrNotFound):
			hash, err := HashPassword(password)
			if err != nil {
				return err
			}
			if acct, err = tx.CreateAccount(ctx, p.Email, p.Name, hash, now); err != nil {
				return err
			}
		default:
			return err
		}
		return tx.LinkPersonAccount(ctx, orgID, p.ID, acct.ID, now)
	})
	return linked, err
}

var slugJunk = regexp.MustCompile(`[^a-z0-9]+`)

// freeSlug makes a URL name from the organization's name, numbered when taken.
func freeSlug(ctx context.Context, st *store.Store, name string) (string, error) {
	base := strings.Trim(slugJunk.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if base == "" {
		base = "org"
	}
	if len(base) > 40 {
		base = base[:40]
	}
	for i := 1; i < 1000; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		_, err := st.OrganizationBySlug(ctx, slug)
		if errors.Is(err, store.ErrNotFound) {
			return slug, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", errors.New("no free organization slug for " + name)
}

// nameFromEmail is "Ada Lovelace" from ada.lovelace@example.com.
func nameFromEmail(email string) string {
	local, _, _ := strings.Cut(strings.TrimSpace(email), "@")
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, " ")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
