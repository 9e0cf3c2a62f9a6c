package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestDeliveryLogAfterRetention: the server's retention job (every
// housekeeping period, a second here) prunes the outbox; afterwards the
// Developers page still lists and shows a delivery newer than the 30 days
// kept, and one older is gone from the list and its page.
func TestDeliveryLogAfterRetention(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		var mu sync.Mutex
		now := t0
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		set := func(at time.Time) { mu.Lock(); now = at; mu.Unlock() }
		env := []string{"ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8", "ZOOMBRIDGE_HOUSEKEEPING_INTERVAL=1s", "ZOOMBRIDGE_OUTBOUND_RETENTION=30d"}
		if d == store.Postgres {
			env = append(env, "ZOOMBRIDGE_DATABASE_URL="+testdb.NewPostgresURL(t))
		}
		srv := startServerAt(t, clock, env...)
		g := newOrg(t, srv, "Retain Co")
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		defer rcv.Close()
		ep, _, err := srv.Outbound.CreateEndpoint(ctx, g.o.ID, "test", outbound.Endpoint{URL: rcv.URL})
		if err != nil {
			t.Fatal(err)
		}
		old := sendTestEvent(t, srv, g.o.ID, ep.ID)
		set(t0.Add(20 * 24 * time.Hour))
		recent := sendTestEvent(t, srv, g.o.ID, ep.ID)
		set(t0.Add(31 * 24 * time.Hour))

		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			_, err := srv.Store.OutboundDelivery(ctx, g.o.ID, old)
			if errors.Is(err, store.ErrNotFound) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the delivery from a month ago is still there (%v): the retention job did not run", err)
			}
		}
		admin := newClient(t, srv.URL()) // a month on, the sessions have ended
		admin.signIn(g.people[store.RoleAdmin].Email, testPassword)
		status, body := admin.get("/developers/webhooks/" + itoa(ep.ID))
		link := func(id int64) string { return `href="/developers/deliveries/` + itoa(id) + `"` }
		if status != http.StatusOK || !strings.Contains(body, link(recent)) || strings.Contains(body, link(old)) {
			t.Fatalf("endpoint page %d: lists the recent delivery %v, the old one %v; want only the recent one",
				status, strings.Contains(body, link(recent)), strings.Contains(body, link(old)))
		}
		if status, body := admin.get("/developers/deliveries/" + itoa(recent)); status != http.StatusOK || !strings.Contains(body, "HTTP 200") {
			t.Fatalf("the recent delivery's page: %d, without its attempt", status)
		}
		if status, _ := admin.get("/developers/deliveries/" + itoa(old)); status != http.StatusNotFound {
			t.Fatalf("the pruned delivery's page: %d, want 404", status)
		}
	})
}

// sendTestEvent sends a test event to the endpoint, and returns its delivery
// once delivered.
func sendTestEvent(t *testing.T, srv *server.Server, orgID, endpointID int64) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := srv.Outbound.SendTest(ctx, orgID, endpointID)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		dl, err := srv.Store.OutboundDelivery(ctx, orgID, id)
		if err != nil {
			t.Fatal(err)
		}
		if as, err := srv.Store.OutboundAttempts(ctx, id); err == nil && dl.Status == store.DeliveryDelivered && len(as) == 1 {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("test event not delivered: %+v", dl)
		}
	}
}
