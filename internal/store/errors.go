package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrConflict is returned when a write would break a unique key: the row
// exists already (two requests raced to create it, or a check missed it).
// Callers turn it into a 409 or a form error, never a 500.
var ErrConflict = errors.New("conflict: a row with this key exists already")

// conflictError is a unique-key violation: errors.Is(err, ErrConflict)
// holds, and the driver's error stays in the chain for the log.
type conflictError struct{ driver error }

func (e *conflictError) Error() string        { return ErrConflict.Error() + ": " + e.driver.Error() }
func (e *conflictError) Is(target error) bool { return target == ErrConflict }
func (e *conflictError) Unwrap() error        { return e.driver }

// asConflict types a driver's unique-key violation as ErrConflict and
// returns any other error as it is.
func asConflict(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return &conflictError{err}
	}
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return &conflictError{err}
	}
	return err
}

// wrap says what was being done when err happened (nil stays nil); the
// cause stays in the chain for errors.Is (ErrNotFound, ErrConflict).
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
