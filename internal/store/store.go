// Package store is zoombridge's one data access layer over SQLite (the embedded
// default) and PostgreSQL (for several replicas), with one code path for both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect names the database behind a Store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned by getters when no row matches.
var ErrNotFound = errors.New("not found")

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store holds the database handles. A Store returned by InTx is bound to
// that transaction, so every method can run inside or outside one.
type Store struct {
	dialect Dialect
	db      *sql.DB // writes (on SQLite the single writer connection)
	rdb     *sql.DB // reads (on SQLite a pool of readers; WAL lets them run beside the writer)
	pool    *pgxpool.Pool
	q       querier // db, or the transaction
	rq      querier // rdb, or the transaction
	tx      *sql.Tx
}

// Open opens the database: SQLite at path when url is empty, PostgreSQL otherwise.
// It checks the database answers but does not migrate.
func Open(ctx context.Context, url, sqlitePath string) (*Store, error) {
	if url != "" {
		return openPostgres(ctx, url)
	}
	return openSQLite(ctx, sqlitePath)
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("data dir %s: %w", filepath.Dir(path), unwrapPathErr(err))
	}
	// WAL lets readers run beside the one writer; synchronous(FULL) makes each
	// commit durable before it returns, which the webhook inbox's 200 relies on.
	// temp_store(MEMORY) keeps statement journals (savepoints, multi-row
	// upserts) off disk: a temporary file opened, written and closed per
	// statement cost about a third of a webhook commit.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	w, err := openSQLiteDB(dsn) // with a prepared-statement cache per connection
	if err != nil {
		return nil, err
	}
	// SQLite allows one writer; River's SQLite driver needs a single connection
	// to avoid SQLITE_BUSY, and so do our own write transactions.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	// A write probe: an unwritable data dir fails here, at start, not on first use.
	if _, err := w.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	r, err := openSQLiteDB("file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	s := &Store{dialect: SQLite, db: w, rdb: r}
	s.q, s.rq = w, r
	return s, nil
}

func openPostgres(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %v", err)
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	// An acknowledged webhook must survive a crash: insist on synchronous commit.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database url: %v", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres %s:%d: %v", cfg.ConnConfig.Host, cfg.ConnConfig.Port, errors.Unwrap(err))
	}
	db := stdlib.OpenDBFromPool(pool)
	s := &Store{dialect: Postgres, db: db, rdb: db, pool: pool}
	s.q, s.rq = db, db
	return s, nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Dialect reports which database the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB is the writer handle, for the job queue's driver.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes every handle.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// InTx runs fn in one transaction; fn gets a Store bound to it and the raw
// *sql.Tx (for enqueueing jobs in the same commit). Nested calls reuse it.
func (s *Store) InTx(ctx context.Context, fn func(s *Store, tx *sql.Tx) error) error {
	if s.tx != nil {
		return fn(s, s.tx)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	ts := *s
	ts.q, ts.rq, ts.tx = tx, tx, tx
	if err := fn(&ts, tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// rebind turns ? placeholders into PostgreSQL's $n. Queries in this package
// are written with ?, and never contain a literal question mark.
func (s *Store) rebind(query string) string {
	if s.dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := s.q.ExecContext(ctx, s.rebind(query), args...)
	return res, asConflict(err)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.rq.QueryContext(ctx, s.rebind(query), args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.rq.QueryRowContext(ctx, s.rebind(query), args...)
}

// insertID runs an INSERT ... RETURNING id on the writer.
func (s *Store) insertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, s.rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, asConflict(err)
}

// ms and fromMS convert between time.Time and the schema's epoch milliseconds.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// NormEmail is how emails are compared everywhere: trimmed, lower case.
func NormEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
