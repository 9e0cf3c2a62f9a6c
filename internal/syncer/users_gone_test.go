package syncer_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
)

// A Zoom user gone from the account is forgotten by the next pass with the
// activities only it had, and each of those is published as activity.deleted
// with the pass's writes, for an endpoint that subscribes to it.
func TestUserGoneFromZoomPublishesActivityDeleted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 6, plan: "business", seed: 23})
		e.runPass(e.ctx, "")
		acts, err := e.st.ConnectionActivities(e.ctx, e.conn.ID)
		must(t, err)
		byUser := map[string][]int64{}
		for _, a := range acts {
			byUser[a.ZoomUserID] = append(byUser[a.ZoomUserID], a.ID)
		}
		var gone string
		for _, u := range e.sim.Users() {
			if u.Role != "owner" && len(byUser[u.ID]) > len(byUser[gone]) {
				gone = u.ID
			}
		}
		if gone == "" {
			t.Fatal("no member has activity")
		}
		v, err := vault.New(bytes.Repeat([]byte{3}, vault.KeySize))
		must(t, err)
		svc := outbound.New(outbound.Config{Store: e.st, Vault: v, Guard: &outbound.Guard{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}})
		// No job queue works this database: the deliveries wait in the outbox.
		_, _, err = svc.CreateEndpoint(e.ctx, e.org.ID, "test", outbound.Endpoint{URL: "http://127.0.0.1:9/hook", EventTypes: []string{"activity.deleted"}})
		must(t, err)

		must(t, e.sim.DeleteUser(gone))
		must(t, e.st.RequestSweep(e.ctx, e.conn.ID, e.sim.Now()))
		e.runPass(e.ctx, store.PassSweep)
		if _, err := e.st.ZoomUserByZoomID(e.ctx, e.conn.ID, gone); err != store.ErrNotFound {
			t.Fatalf("the Zoom user gone from the account is still stored (%v)", err)
		}
		evs, err := e.st.OutboundEvents(e.ctx, e.org.ID, 0, 10000)
		must(t, err)
		var published []int64
		for _, ev := range evs {
			if ev.Type != "activity.deleted" {
				continue
			}
			var body struct{ Data outbound.ActivityDeletedData }
			must(t, json.Unmarshal([]byte(ev.Payload), &body))
			published = append(published, body.Data.ID)
		}
		slices.Sort(published)
		slices.Sort(byUser[gone])
		if fmt.Sprint(published) != fmt.Sprint(byUser[gone]) {
			t.Fatalf("activity.deleted for %v, want the %d activities of the user gone %v", published, len(byUser[gone]), byUser[gone])
		}
	})
}
