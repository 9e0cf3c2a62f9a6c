package webhook_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// A personal installation's app_deauthorized never takes the account-level
// connection with it: not after zoombridge's own revoke (the personal
// connection is already gone; the recorded disconnection expects the echo),
// nor when the person who installed the account-level app removes their
// personal one in Zoom. Zoom's event for the account installation does.
func TestPersonalDeauthorizationKeepsTheAccountLevelConnection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d, func(c *webhook.Config) { c.DeploymentClientID = "ABCDEFGHIJKLMNOPQRST!V" })
		f := h.fixture("deauth-personal")
		h.deliver(example(t, "meeting.ended"))
		h.processAll()
		acts := h.activities(f.meetings)
		if len(acts) == 0 {
			t.Fatal("setup: no activity")
		}
		// The account-level connection was installed by Zoom user admin-1, who
		// also connects their own Zoom.
		personal := func() store.Connection {
			c, err := h.st.CreateConnection(h.ctx, store.Connection{OrgID: f.org.ID, Kind: store.KindUserOAuth, PersonID: f.jill.ID,
				ZoomAccountID: "AAAAAABBBB", ZoomUserID: "admin-1"}, t0)
			must(t, err)
			return c
		}
		deauth := func(signature string) {
			t.Helper()
			// Each removal is its own event (its own signature), by admin-1.
			h.now.Add(1000)
			body := strings.NewReplacer("abcD3ojfdbjfg", "admin-1", "827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000", signature).
				Replace(string(example(t, "app_deauthorized")))
			if code := h.deliver([]byte(body)); code != 200 {
				t.Fatal(code)
			}
			h.processAll()
		}
		alive := func(c store.Connection) bool {
			_, err := h.st.ConnectionByID(h.ctx, c.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}

		// 1. zoombridge disconnected the personal connection and revoked it;
		// Zoom's answer arrives after the connection is gone.
		mine := personal()
		err := h.st.InTx(h.ctx, func(tx *store.Store, _ *sql.Tx) error {
			dis := store.DisconnectionOf(mine, "account:1", h.clock())
			dis.EchoPending = true
			_, err := tx.Disconnect(h.ctx, dis, "connection.disconnected", "test")
			return err
		})
		must(t, err)
		deauth("sig-1")
		if !alive(f.meetings) || len(h.activities(f.meetings)) != len(acts) {
			t.Fatal("zoombridge's own revoke of a personal connection purged the account-level one")
		}

		// 2. The same person removes their personal installation in Zoom.
		mine = personal()
		deauth("sig-2")
		if alive(mine) || !alive(f.meetings) {
			t.Fatalf("personal removal: personal alive %v, account-level alive %v; want false, true", alive(mine), alive(f.meetings))
		}

		// 3. Then the account installation: that event ends the account-level connection.
		deauth("sig-3")
		if alive(f.meetings) {
			t.Fatal("the account installation's app_deauthorized left the account-level connection")
		}
	})
}
