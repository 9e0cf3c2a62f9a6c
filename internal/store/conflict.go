package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrConflict is returned when a write would break a unique key: the row
// exists already. Callers tell it apart with errors.Is (the API answers 409).
var ErrConflict = errors.New("conflict: the row exists already")

// conflictErr turns a unique-key violation of either database into
// ErrConflict (joined with the driver's error, for the log); other errors
// pass unchanged.
func conflictErr(err error) error {
	var pg *pgconn.PgError
	var lite *sqlite.Error
	switch {
	case errors.As(err, &pg) && pg.Code == "23505", // unique_violation
		errors.As(err, &lite) && (lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY):
		return errors.Join(ErrConflict, err)
	}
	return err
}
