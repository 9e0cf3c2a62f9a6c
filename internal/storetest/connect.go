package storetest

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RunConnect runs the behaviours internal/connect relies on: connect flows
// in progress (oauth_states) and the token columns of zoom_connections.
func RunConnect(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"OAuthStateWorksOnceAndExpires", oauthStateOnce},
		{"ConnectionForRefreshLocksTheRow", refreshLock},
		{"IdleConnectionsAreActiveOAuthOnly", idleConnections},
		{"RenewingAConnectionKeepsItsRows", renewKeepsRows},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

func oauthStateOnce(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "oauthstate")
	in := store.OAuthState{StateHash: "h-" + f.org.Slug, OrgID: f.org.ID, Kind: store.KindUserOAuth, PersonID: f.bob.ID,
		VerifierEnc: []byte{9, 8, 7}, ReconnectID: f.conn.ID, CreatedAt: t0, ExpiresAt: t0.Add(10 * time.Minute)}
	must(t, st.CreateOAuthState(f.ctx, in))
	got, err := st.TakeOAuthState(f.ctx, in.StateHash, t0.Add(time.Minute))
	must(t, err)
	if got.OrgID != in.OrgID || got.Kind != in.Kind || got.PersonID != in.PersonID || string(got.VerifierEnc) != string(in.VerifierEnc) ||
		got.ReconnectID != in.ReconnectID || !got.ExpiresAt.Equal(in.ExpiresAt) {
		t.Fatalf("took %+v, stored %+v", got, in)
	}
	_, err = st.TakeOAuthState(f.ctx, in.StateHash, t0.Add(time.Minute))
	wantErr(t, err, store.ErrNotFound)

	old := in
	old.StateHash = "h-old-" + f.org.Slug
	must(t, st.CreateOAuthState(f.ctx, old))
	_, err = st.TakeOAuthState(f.ctx, old.StateHash, t0.Add(10*time.Minute))
	wantErr(t, err, store.ErrNotFound) // expired: refused, and gone

	for _, h := range []string{"h-a-" + f.org.Slug, "h-b-" + f.org.Slug} {
		s := in
		s.StateHash = h
		if h[2] == 'b' {
			s.ExpiresAt = t0.Add(time.Hour)
		}
		must(t, st.CreateOAuthState(f.ctx, s))
	}
	n, err := st.PruneOAuthStates(f.ctx, t0.Add(30*time.Minute))
	must(t, err)
	if n < 1 {
		t.Fatalf("pruned %d abandoned flows", n)
	}
	if _, err := st.TakeOAuthState(f.ctx, "h-b-"+f.org.Slug, t0.Add(30*time.Minute)); err != nil {
		t.Fatalf("a flow still in time was pruned: %v", err)
	}
}

// refreshLock: on PostgreSQL a second transaction reading a connection for
// refresh waits for the first to commit, then sees what it saved.
func refreshLock(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "refreshlock")
	if c, err := st.ConnectionForRefresh(f.ctx, f.conn.ID); err != nil || c.ID != f.conn.ID {
		t.Fatalf("outside a transaction: %+v, %v", c, err)
	}
	if st.Dialect() != store.Postgres {
		return // SQLite: one process owns the file; internal/connect serializes in memory
	}
	second := make(chan store.Connection, 1)
	err := st.InTx(f.ctx, func(tx *store.Store, _ *sql.Tx) error {
		if _, err := tx.ConnectionForRefresh(f.ctx, f.conn.ID); err != nil {
			return err
		}
		go func() {
			var c store.Connection
			// A failure leaves c empty, which the test reports.
			_ = st.InTx(context.Background(), func(tx2 *store.Store, _ *sql.Tx) (err error) {
				c, err = tx2.ConnectionForRefresh(context.Background(), f.conn.ID)
				return err
			})
			second <- c
		}()
		if err := waitForLockWaiter(st); err != nil {
			return err // fail only after the transaction has let go
		}
		return tx.SaveTokens(f.ctx, f.conn.ID, []byte("new-a"), []byte("new-r"), t0.Add(2*time.Hour), t0, "s")
	})
	c := <-second
	must(t, err)
	if string(c.RefreshTokenEnc) != "new-r" {
		t.Fatalf("the waiting transaction read %q, want the refresh token saved before it got the lock", c.RefreshTokenEnc)
	}
}

// waitForLockWaiter returns once a backend of this database waits on a row lock.
func waitForLockWaiter(st *store.Store) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		err := st.DB().QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if err != nil || n > 0 {
			return err
		}
		time.Sleep(5 * time.Millisecond) // polling PostgreSQL's own view of waiters; there is no signal to wait on
	}
	return errors.New("the second transaction never waited for the row lock")
}

func idleConnections(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "idle")
	mk := func(kind, status string, refreshed time.Time) store.Connection {
		c, err := st.CreateConnection(f.ctx, store.Connection{OrgID: f.org.ID, Kind: kind, Status: status, RefreshedAt: refreshed}, t0)
		must(t, err)
		return c
	}
	old := t0.Add(-30 * 24 * time.Hour)
	want := mk(store.KindUserOAuth, store.StatusActive, old)
	mk(store.KindS2S, store.StatusActive, old)               // no refresh token to keep alive
	mk(store.KindUserOAuth, store.StatusNeedsReconnect, old) // nothing to refresh with
	mk(store.KindAccountOAuth, store.StatusActive, t0)       // used recently
	got, err := st.IdleConnections(f.ctx, t0.Add(-7*24*time.Hour))
	must(t, err)
	var mine []int64
	for _, c := range got {
		if c.OrgID == f.org.ID {
			mine = append(mine, c.ID)
		}
	}
	// The fixture's connection was never refreshed: idle too, and first.
	if len(mine) != 2 || mine[0] != f.conn.ID || mine[1] != want.ID {
		t.Fatalf("idle connections %v, want %d then %d", mine, f.conn.ID, want.ID)
	}
}

func renewKeepsRows(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "renew")
	f.upsert(f.meeting("m1", "zu-alice", f.alice.ID, t0))
	c := f.conn
	c.ZoomUserID, c.Email, c.PlanType, c.PhoneLicensed, c.Scopes = "zu-admin", "admin@renew.example", 2, true, "a b"
	must(t, st.UpdateConnectionProfile(f.ctx, c, t0))
	must(t, st.SaveSecrets(f.ctx, c.ID, []byte("cs"), []byte("ws"), t0))
	got, err := st.ConnectionByZoomUser(f.ctx, f.org.ID, store.KindAccountOAuth, c.ZoomAccountID, "")
	must(t, err)
	if got.ID != c.ID || got.Email != c.Email || !got.PhoneLicensed || got.Scopes != "a b" || string(got.ClientSecretEnc) != "cs" ||
		string(got.WebhookSecretEnc) != "ws" || string(got.RefreshTokenEnc) != string(f.conn.RefreshTokenEnc) {
		t.Fatalf("renewed connection %+v", got)
	}
	if _, err := st.ConnectionByZoomUser(f.ctx, f.org.ID, store.KindAccountOAuth, c.ZoomAccountID, "someone-else"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("lookup by another Zoom user: %v", err)
	}
	if left, _ := st.ConnectionActivities(f.ctx, c.ID); len(left) != 1 {
		t.Fatalf("renewing dropped synced rows: %d left", len(left))
	}
}
