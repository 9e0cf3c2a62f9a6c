// Package testdb gives tests real databases: a fresh SQLite file, or a fresh
// PostgreSQL database created for the test and dropped after it.
//
// PostgreSQL is found at ZOOMBRIDGE_TEST_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/test). When it is unreachable a test fails
// if ZOOMBRIDGE_TEST_REQUIRE_POSTGRES=1 (as in CI) and is skipped otherwise;
// skips are appended to the file ZOOMBRIDGE_SKIP_LOG names, so `make test` can
// say loudly what did not run.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for admin statements

	"github.com/zoombridge/zoombridge/internal/store"
)

// AdminURL is the PostgreSQL server used to create test databases.
func AdminURL() string {
	if u := os.Getenv("ZOOMBRIDGE_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

var (
	pgOnce sync.Once
	pgErr  error
)

// NewPostgresURL creates an empty database for t and returns its URL; the
// database is dropped when t ends.
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", AdminURL())
	if err == nil {
		pgOnce.Do(func() { pgErr = admin.PingContext(context.Background()) })
		err = pgErr
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		msg := fmt.Sprintf("PostgreSQL not reachable at %s: %v", AdminURL(), err)
		if os.Getenv("ZOOMBRIDGE_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("%s (ZOOMBRIDGE_TEST_REQUIRE_POSTGRES=1)", msg)
		}
		logSkip(t.Name(), msg)
		t.Skipf("SKIPPED: %s; set ZOOMBRIDGE_TEST_REQUIRE_POSTGRES=1 to fail instead", msg)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "zbtest_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
		admin.Close()
	})
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

func logSkip(test, msg string) {
	path := os.Getenv("ZOOMBRIDGE_SKIP_LOG")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s: %s\n", test, strings.Join(strings.Fields(msg), " ")) // one line per skip
}

// SQLitePath returns a database file path in a fresh temporary directory.
func SQLitePath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "zoombridge.db")
}

// Open opens and migrates a store of the given dialect for t, closed when t ends.
func Open(t testing.TB, dialect store.Dialect) *store.Store {
	t.Helper()
	var st *store.Store
	var err error
	if dialect == store.Postgres {
		st, err = store.Open(context.Background(), NewPostgresURL(t), "")
	} else {
		st, err = store.Open(context.Background(), "", SQLitePath(t))
	}
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return st
}

// Dialects are the databases every store-backed behaviour runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn as a subtest per dialect, named after it.
func Each(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}
