package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Account is a sign-in identity; it is a person in one or more organizations.
type Account struct {
	ID           int64
	Email        string // normalized
	Name         string
	PasswordHash string // bcrypt; empty means the account cannot sign in with a password
	// MustChangePassword: the password is an Admin's temporary one, to be
	// changed at the next sign-in before anything else.
	MustChangePassword bool
	CreatedAt          time.Time
}

const accountCols = "id, email_norm, name, password_hash, must_change_password, created_at"

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var created int64
	err := row.Scan(&a.ID, &a.Email, &a.Name, &a.PasswordHash, &a.MustChangePassword, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	a.CreatedAt = fromMS(created)
	return a, err
}

// CreateAccount adds a sign-in account; the normalized email must be new.
func (s *Store) CreateAccount(ctx context.Context, email, name, passwordHash string, now time.Time) (Account, error) {
	id, err := s.insertID(ctx, "INSERT INTO accounts (email_norm, name, password_hash, created_at) VALUES (?, ?, ?, ?)",
		NormEmail(email), name, passwordHash, ms(now))
	if err != nil {
		return Account{}, wrap(err, "create account")
	}
	return s.AccountByID(ctx, id)
}

// AccountByID returns one account.
func (s *Store) AccountByID(ctx context.Context, id int64) (Account, error) {
	return scanAccount(s.queryRow(ctx, "SELECT "+accountCols+" FROM accounts WHERE id = ?", id))
}

// AccountByEmail returns the account with this email (compared normalized).
func (s *Store) AccountByEmail(ctx context.Context, email string) (Account, error) {
	return scanAccount(s.queryRow(ctx, "SELECT "+accountCols+" FROM accounts WHERE email_norm = ?", NormEmail(email)))
}

// SetAccountPassword replaces an account's password hash; mustChange marks
// it temporary (an Admin's reset), to be changed at the next sign-in.
func (s *Store) SetAccountPassword(ctx context.Context, id int64, passwordHash string, mustChange bool) error {
	res, err := s.exec(ctx, "UPDATE accounts SET password_hash = ?, must_change_password = ? WHERE id = ?", passwordHash, mustChange, id)
	return wrap(mustAffect(res, err), "set password of account %d", id)
}

// LinkPersonAccount lets a person sign in with an account (or unlinks it with 0).
func (s *Store) LinkPersonAccount(ctx context.Context, orgID, personID, accountID int64, now time.Time) error {
	res, err := s.exec(ctx, "UPDATE people SET account_id = ?, updated_at = ? WHERE id = ? AND org_id = ?", nullID(accountID), ms(now), personID, orgID)
	return wrap(mustAffect(res, err), "link person %d to account %d", personID, accountID)
}

// Membership returns the active person an account is in an organization; an
// account without one is not a member and sees nothing of it.
func (s *Store) Membership(ctx context.Context, accountID, orgID int64) (Person, error) {
	return scanPerson(s.queryRow(ctx, "SELECT "+personCols+" FROM people WHERE account_id = ? AND org_id = ? AND active = ?", accountID, orgID, true))
}
