package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestUpgradeMergesFactsStoredTwice is migration 0015 on a database written
// before it, where a fact seen by two connections was stored once per
// connection: after the upgrade it is one activity (the oldest row) seen by
// both, and a fact seen by one keeps its row and its connection.
func TestUpgradeMergesFactsStoredTwice(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		url, path := "", ""
		if d == store.Postgres {
			url = testdb.NewPostgresURL(t)
		} else {
			path = testdb.SQLitePath(t)
		}
		st, err := store.Open(ctx, url, path)
		must(t, err)
		t.Cleanup(func() { st.Close() })
		ms, err := st.Migrations()
		must(t, err)
		db := st.DB()
		_, err = db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)")
		must(t, err)
		for _, m := range ms {
			if m.Version >= 15 {
				break
			}
			for _, stmt := range strings.Split(m.SQL, ";\n") {
				if body := withoutComments(stmt); body != "" {
					_, err := db.Exec(body)
					must(t, err)
				}
			}
			_, err := db.Exec(rebind(d, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"), m.Version, 0)
			must(t, err)
		}
		// The old schema, written as the old code did.
		exec := func(q string, args ...any) {
			t.Helper()
			_, err := db.Exec(rebind(d, q), args...)
			must(t, err)
		}
		exec("INSERT INTO organizations (id, name, slug, created_at) VALUES (1, 'Old', 'old', 0)")
		exec("INSERT INTO zoom_connections (id, org_id, kind, created_at, updated_at) VALUES (1, 1, 'account_oauth', 0, 0), (2, 1, 'user_oauth', 0, 0)")
		act := "INSERT INTO activities (id, org_id, connection_id, zoom_user_id, kind, zoom_id, start_at, duration_seconds, updated_at) VALUES (?, 1, ?, ?, ?, ?, 0, 60, 0)"
		exec(act, 10, 1, "u-owner", "meeting", "m1")
		exec(act, 11, 2, "u-owner", "meeting", "m1") // the same meeting through the owner's own connection
		exec(act, 12, 1, "u-bob", "meeting", "m2")
		exec(act, 13, 2, "u-owner", "call", "c1")
		_, err = st.Migrate(ctx)
		must(t, err)

		want := map[int64]string{10: "[1 2]", 12: "[1]", 13: "[2]"}
		for _, conn := range []int64{1, 2} {
			as, err := st.ConnectionActivities(ctx, conn)
			must(t, err)
			for _, a := range as {
				cov, err := st.ActivityCoverage(ctx, a.ID)
				must(t, err)
				if got := fmt.Sprint(cov); want[a.ID] != got {
					t.Errorf("activity %d (%s %s) seen by %s, want %q", a.ID, a.Kind, a.ZoomID, got, want[a.ID])
				}
			}
		}
		var n int
		must(t, db.QueryRow("SELECT COUNT(*) FROM activities").Scan(&n))
		if n != 3 {
			t.Fatalf("%d activities after the upgrade, want 3 (m1 once)", n)
		}
		// And one row per fact from now on.
		_, err = st.UpsertActivity(ctx, store.Activity{OrgID: 1, ConnectionID: 2, ZoomUserID: "u-bob", Kind: "meeting", ZoomID: "m2", StartAt: time.UnixMilli(1)}, time.Now())
		must(t, err)
		must(t, db.QueryRow("SELECT COUNT(*) FROM activities").Scan(&n))
		if n != 3 {
			t.Fatalf("%d activities after another connection saw m2, want 3", n)
		}
	})
}

func withoutComments(stmt string) string {
	var keep []string
	for _, line := range strings.Split(stmt, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
			keep = append(keep, line)
		}
	}
	return strings.TrimSuffix(strings.TrimSpace(strings.Join(keep, "\n")), ";")
}

func rebind(d store.Dialect, q string) string {
	if d != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
