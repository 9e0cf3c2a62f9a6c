package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// TestDevelopersPageManagesWebhooks: Owners and Admins (no one else) add an
// endpoint, see its secret once, send a test event and read its delivery;
// an internal URL and a form without its CSRF token change nothing; another
// organization's endpoint is not found; an Owner sees a banner for an
// endpoint disabled after five days of failures.
func TestDevelopersPageManagesWebhooks(t *testing.T) {
	ctx := context.Background()
	srv := startServer(t, "ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8")
	g := newOrg(t, srv, "Dev Co")
	var hits atomic.Int64
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		hits.Add(1)
		io.WriteString(w, "thanks")
	}))
	defer rcv.Close()

	for role, want := range map[string]int{store.RoleOwner: 200, store.RoleAdmin: 200, store.RoleExecutive: 403, store.RoleManager: 403, store.RoleMember: 403} {
		if status, _ := g.clients[role].get("/developers"); status != want {
			t.Errorf("%s: GET /developers %d, want %d", role, status, want)
		}
	}
	admin := g.clients[store.RoleAdmin]
	if status, _ := admin.post("/developers/webhooks", url.Values{"url": {"http://10.0.0.1/hook"}}); status != http.StatusBadRequest {
		t.Fatalf("internal URL: %d, want 400", status)
	}
	if status, _ := admin.postRaw("/developers/webhooks", url.Values{"url": {rcv.URL}, "csrf": {"forged"}}); status != http.StatusForbidden {
		t.Fatalf("forged form: %d, want 403", status)
	}
	if eps, _ := srv.Store.OutboundEndpoints(ctx, g.o.ID); len(eps) != 0 {
		t.Fatalf("refused forms made %d endpoints", len(eps))
	}

	status, body := admin.post("/developers/webhooks", url.Values{"url": {rcv.URL + "/hook"}, "description": {"CRM"}, "event_types": {"person.created", "webhook.test"}})
	secret := regexp.MustCompile(`whsec_[A-Za-z0-9+/=]+`).FindString(body)
	if status != http.StatusOK || secret == "" {
		t.Fatalf("create: %d, secret %q", status, secret)
	}
	eps, err := srv.Store.OutboundEndpoints(ctx, g.o.ID)
	if err != nil || len(eps) != 1 || eps[0].URL != rcv.URL+"/hook" || strings.Join(eps[0].EventTypes, " ") != "person.created webhook.test" {
		t.Fatalf("endpoints %+v %v", eps, err)
	}
	ep := eps[0]
	page := "/developers/webhooks/" + itoa(ep.ID)
	if _, body := admin.get(page); strings.Contains(body, secret) || !strings.Contains(body, "CRM") {
		t.Fatal("the endpoint page shows the secret again, or not the endpoint")
	}
	if status, _ := admin.post(page+"/test", nil); status != http.StatusSeeOther {
		t.Fatalf("send test event: %d", status)
	}
	deadline := time.Now().Add(20 * time.Second)
	var ds []store.OutboundDelivery
	for len(ds) == 0 || ds[0].Status != store.DeliveryDelivered {
		if time.Now().After(deadline) {
			t.Fatalf("test event not delivered: %+v", ds)
		}
		time.Sleep(20 * time.Millisecond)
		ds, err = srv.Store.OutboundDeliveries(ctx, g.o.ID, ep.ID, "", 0, 10)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, body := admin.get("/developers/deliveries/" + itoa(ds[0].ID)); !strings.Contains(body, "HTTP 200") || !strings.Contains(body, "thanks") {
		t.Fatal("the delivery page does not show the attempt and its answer")
	}

	other := newOrg(t, srv, "Other Co")
	if status, _ := other.clients[store.RoleOwner].get(page); status != http.StatusNotFound {
		t.Fatalf("another organization's Owner: %d, want 404", status)
	}
	if status, _ := other.clients[store.RoleOwner].post("/developers/deliveries/"+itoa(ds[0].ID)+"/replay", nil); status != http.StatusNotFound {
		t.Fatalf("another organization's replay: %d, want 404", status)
	}

	if _, err := srv.Store.SetOutboundEndpointDisabled(ctx, g.o.ID, ep.ID, "failing", t0); err != nil {
		t.Fatal(err)
	}
	if _, body := g.clients[store.RoleOwner].get("/team"); !strings.Contains(body, "A webhook endpoint was disabled") {
		t.Fatal("the Owner sees no banner for the disabled endpoint")
	}
	if _, body := admin.get("/team"); strings.Contains(body, "A webhook endpoint was disabled") {
		t.Fatal("the banner is the Owner's")
	}
	if hits.Load() != 1 {
		t.Fatalf("the receiver had %d requests, want 1", hits.Load())
	}
}
