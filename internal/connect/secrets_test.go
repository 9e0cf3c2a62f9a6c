package connect_test

import (
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// exercise connects all three flows, refreshes every token, and turns one
// connection to needs_reconnect, so tokens and secrets have passed through
// every path that stores or logs them.
func exercise(t *testing.T, e *env) {
	member := e.member()
	user := e.connectUser(e.person(member), member)
	conns := []store.Connection{e.connectAccount(), user, e.connectS2S()}
	e.sim.Advance(61 * time.Minute)
	for _, c := range conns {
		must(t, e.call(e.svc, c))
	}
	must(t, e.sim.RevokeUser(member.ID))
	if err := e.call(e.svc, user); err == nil {
		t.Fatal("a revoked connection still works")
	}
}

// secrets lists everything that must never be found at rest or in logs.
func secrets(t *testing.T, e *env) []string {
	info := e.sim.Info()
	out := append(e.spy.tokens(), info.S2SClientSecret, info.ClientSecret, info.WebhookSecret)
	if len(out) < 3+8 {
		t.Fatalf("only %d secrets seen: the spy missed the token traffic", len(out))
	}
	return out
}

// findSecrets reports every secret found in text, as is or hex-encoded (how
// PostgreSQL dumps bytea).
func findSecrets(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, s := range secrets {
		if strings.Contains(text, s) || strings.Contains(lower, hex.EncodeToString([]byte(s))) {
			t.Errorf("%s holds a token or secret in plaintext (%.12s…)", where, s)
		}
	}
}

// TestNoPlaintextSecretsInSQLiteFileOrLogs reads the SQLite database and its
// write-ahead log byte by byte, and the log output.
func TestNoPlaintextSecretsInSQLiteFileOrLogs(t *testing.T) {
	t.Parallel()
	path := testdb.SQLitePath(t)
	st, err := store.Open(context.Background(), "", path)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	_, err = st.Migrate(context.Background())
	must(t, err)
	e := newEnv(t, st, startSim(t, startOpts(store.SQLite)), "atrest")
	exercise(t, e)
	var files strings.Builder
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		files.Write(b)
	}
	// The search works: what is stored in clear is found.
	if owner := e.sim.Users()[0].Email; !strings.Contains(files.String(), owner) {
		t.Fatalf("the database files do not hold %q: the search is looking in the wrong place", owner)
	}
	findSecrets(t, "the SQLite database", files.String(), secrets(t, e))
	findSecrets(t, "the log", e.logs.String(), secrets(t, e))
	if !strings.Contains(e.logs.String(), "needs reconnect") {
		t.Fatal("the log holds no needs-reconnect line: the error paths were not logged")
	}
}

// TestNoPlaintextSecretsInPostgresDump dumps every table with pg_dump.
func TestNoPlaintextSecretsInPostgresDump(t *testing.T) {
	t.Parallel()
	url := testdb.NewPostgresURL(t)
	st, err := store.Open(context.Background(), url, "")
	must(t, err)
	t.Cleanup(func() { st.Close() })
	_, err = st.Migrate(context.Background())
	must(t, err)
	e := newEnv(t, st, startSim(t, startOpts(store.Postgres)), "atrest")
	exercise(t, e)
	out, err := exec.Command("pg_dump", "--data-only", "--dbname="+url).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	dump := string(out)
	if owner := e.sim.Users()[0].Email; !strings.Contains(dump, owner) || !strings.Contains(dump, "zoom_connections") {
		t.Fatalf("the dump does not hold the connections: the search is looking in the wrong place")
	}
	findSecrets(t, "the PostgreSQL dump", dump, secrets(t, e))
	findSecrets(t, "the log", e.logs.String(), secrets(t, e))
}
