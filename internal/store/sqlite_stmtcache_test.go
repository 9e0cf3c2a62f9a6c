package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// The statement cache must be invisible: the same results as preparing each
// statement afresh, whatever the interleaving of rows, errors and prepares.

func openCached(t *testing.T) *sql.DB {
	t.Helper()
	db, err := openSQLiteDB("file:" + filepath.Join(t.TempDir(), "c.db") + "?_pragma=journal_mode(WAL)&_pragma=temp_store(MEMORY)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection, as the writer: every call meets the same cache
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close with cached statements: %v", err)
		}
	})
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := db.ExecContext(ctx, "INSERT INTO kv (k, v) VALUES (?, ?)", i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func values(t *testing.T, rows *sql.Rows) []string {
	t.Helper()
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStmtCacheSameQueryNestedWhileRowsOpen(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT v FROM kv WHERE k >= ? ORDER BY k"
	outer, err := tx.QueryContext(ctx, q, 4)
	if err != nil {
		t.Fatal(err)
	}
	// The outer rows hold the cached statement: the inner call must get its own.
	var got [][]string
	for outer.Next() {
		var v string
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.QueryContext(ctx, q, 5)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, append([]string{v}, values(t, inner)...))
	}
	outer.Close()
	if fmt.Sprint(got) != "[[v4 v5] [v5 v5]]" {
		t.Fatalf("nested reads of one query: %v", got)
	}
	// Once the rows are closed the statement serves again, with new arguments.
	if v := values(t, must(tx.QueryContext(ctx, q, 2))); fmt.Sprint(v) != "[v2 v3 v4 v5]" {
		t.Fatalf("reused statement: %v", v)
	}
}

func TestStmtCacheErrorsDoNotPoisonTheStatement(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	const ins = "INSERT INTO kv (k, v) VALUES (?, ?)"
	if _, err := db.ExecContext(ctx, ins, 10, "v1"); err == nil {
		t.Fatal("duplicate v accepted")
	}
	if _, err := db.ExecContext(ctx, ins, 10, "v10"); err != nil {
		t.Fatalf("same statement after a constraint error: %v", err)
	}
	// A RETURNING insert through Query, rolled back, then again committed.
	const ret = "INSERT INTO kv (k, v) VALUES (?, ?) RETURNING k"
	for _, commit := range []bool{false, true} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var k int
		if err := tx.QueryRowContext(ctx, ret, 11, "v11").Scan(&k); err != nil || k != 11 {
			t.Fatalf("returning: %d %v", k, err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if v := values(t, must(db.QueryContext(ctx, "SELECT v FROM kv WHERE k > ? ORDER BY k", 9))); fmt.Sprint(v) != "[v10 v11]" {
		t.Fatalf("rows after errors and a rollback: %v", v)
	}
}

func TestStmtCachePreparedStatementsAreLentAndGivenBack(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	const up = "UPDATE kv SET v = v || ? WHERE k = ?"
	for round := range 2 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := tx.PrepareContext(ctx, up)
		if err != nil {
			t.Fatal(err)
		}
		// While lent, the same text run directly must not disturb it.
		if _, err := tx.ExecContext(ctx, up, "!", 1); err != nil {
			t.Fatal(err)
		}
		for k := 1; k <= 3; k++ {
			if _, err := st.ExecContext(ctx, fmt.Sprint(round), k); err != nil {
				t.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if v := values(t, must(db.QueryContext(ctx, "SELECT v FROM kv WHERE k <= 3 ORDER BY k"))); fmt.Sprint(v) != "[v1!0!1 v201 v301]" {
		t.Fatalf("after two rounds of a lent statement: %v", v)
	}
}

func TestStmtCacheEvictionWhileRowsOpen(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	held, err := tx.QueryContext(ctx, "SELECT v FROM kv ORDER BY k")
	if err != nil {
		t.Fatal(err)
	}
	// More distinct statements than the cache holds push the held one out.
	for i := range stmtCacheSize + 10 {
		var n int
		if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) + %d FROM kv", i)).Scan(&n); err != nil || n != 5+i {
			t.Fatalf("statement %d: %d %v", i, n, err)
		}
	}
	if v := values(t, held); len(v) != 5 || v[0] != "v1" {
		t.Fatalf("rows of an evicted statement: %v", v)
	}
	if v := values(t, must(tx.QueryContext(ctx, "SELECT v FROM kv ORDER BY k"))); len(v) != 5 {
		t.Fatalf("evicted statement prepared again: %v", v)
	}
}

func TestStmtCacheTooLongQueriesStillRun(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	q := "SELECT count(*) FROM kv WHERE k IN (1"
	for i := 2; len(q) <= stmtCacheMaxQuery; i++ {
		q += fmt.Sprintf(", %d", i)
	}
	q += ")"
	var n int
	if err := db.QueryRowContext(context.Background(), q).Scan(&n); err != nil || n != 5 {
		t.Fatalf("long query: %d %v", n, err)
	}
}

func must(rows *sql.Rows, err error) *sql.Rows {
	if err != nil {
		panic(err)
	}
	return rows
}
