package outbound_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// apiClient calls the server's REST API with one organization's key.
type apiClient struct {
	t         *testing.T
	base, key string
}

func (c apiClient) do(method, path, body string, want int, out any) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := contracttest.Client(c.t).Do(req)
	must(c.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
	}
	if out != nil {
		must(c.t, json.Unmarshal(b, out))
	}
}

// startServer runs the whole server on a database, with loopback allowed for
// webhooks, on the emulated clock c.
func startServer(t *testing.T, d store.Dialect, c *clock, env ...string) *server.Server {
	t.Helper()
	dbURL := ""
	if d == store.Postgres {
		dbURL = testdb.NewPostgresURL(t)
	}
	cfg, err := config.Load(append([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir(), "ZOOMBRIDGE_DATABASE_URL=" + dbURL,
		"ZOOMBRIDGE_ENCRYPTION_KEY=" + strings.Repeat("ab", 32), "ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8"}, env...))
	must(t, err)
	srv, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: c.Now})
	must(t, err)
	must(t, srv.Start(context.Background()))
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv
}

// TestAPIEndpointsReceiveSignedEvents: a host product registers an endpoint
// through the API, gets its secret once, receives a person's creation signed
// with it, rotates the secret (both sign for 24 hours), reads the delivery
// log, replays, disables; internal URLs and other organizations' endpoints
// are refused.
func TestAPIEndpointsReceiveSignedEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		c := &clock{now: t0}
		srv := startServer(t, d, c)
		rcv := newReceiver(t, c)
		org, err := srv.Store.CreateOrganization(ctx, "Acme", "acme", t0)
		must(t, err)
		owner, err := people.New(srv.Store, c.Now).Add(ctx, people.System(org.ID), people.Input{Email: "ada@example.com", Name: "Ada", Role: store.RoleOwner})
		must(t, err)
		key, err := api.NewKeys(srv.Store, c.Now).Create(ctx, people.ActorOf(owner), "host", api.ScopeRead, api.ScopeWrite)
		must(t, err)
		cl := apiClient{t, srv.URL(), key.Plaintext}

		var bad struct{ Error struct{ Parameter string } }
		cl.do("POST", "/api/v1/webhook-endpoints", `{"url":"http://169.254.169.254/latest"}`, http.StatusBadRequest, &bad)
		if bad.Error.Parameter != "url" {
			t.Fatalf("metadata URL refused with %+v", bad)
		}
		var ep api.WebhookEndpoint
		cl.do("POST", "/api/v1/webhook-endpoints", `{"url":"`+rcv.URL+`/hook","event_types":["person.created"]}`, http.StatusCreated, &ep)
		if !strings.HasPrefix(ep.Secret, "whsec_") || !ep.Enabled || len(ep.EventTypes) != 1 {
			t.Fatalf("created %+v", ep)
		}
		var again api.WebhookEndpoint
		cl.do("GET", "/api/v1/webhook-endpoints/"+itoa(ep.ID), "", http.StatusOK, &again)
		if again.Secret != "" {
			t.Fatal("the secret is shown again after creation")
		}

		// A change publishes its event; the endpoint gets it signed with its secret.
		_, err = people.New(srv.Store, c.Now).Add(ctx, people.ActorOf(owner), people.Input{Email: "bob@example.com", Name: "Bob"})
		must(t, err)
		rcv.wait(t, 1)
		got := rcv.requests()[0]
		var ev struct {
			Type string
			Data struct{ Email string }
		}
		must(t, json.Unmarshal(got.body, &ev))
		if ev.Type != "person.created" || ev.Data.Email != "bob@example.com" {
			t.Fatalf("event %s", got.body)
		}
		if want, _ := outbound.Signature([]string{ep.Secret}, got.header.Get("webhook-id"), got.signedAt(), got.body); got.header.Get("webhook-signature") != want {
			t.Fatalf("signature %q, want it under the secret the API gave", got.header.Get("webhook-signature"))
		}

		// Rotation: for 24 hours deliveries carry both signatures.
		var rotated api.WebhookEndpoint
		cl.do("POST", "/api/v1/webhook-endpoints/"+itoa(ep.ID)+"/rotate-secret", "", http.StatusOK, &rotated)
		var test api.WebhookDelivery
		cl.do("POST", "/api/v1/webhook-endpoints/"+itoa(ep.ID)+"/test", "", http.StatusAccepted, &test)
		rcv.wait(t, 2)
		got = rcv.requests()[1]
		sigs := strings.Fields(got.header.Get("webhook-signature"))
		newSig, _ := outbound.Signature([]string{rotated.Secret}, got.header.Get("webhook-id"), got.signedAt(), got.body)
		oldSig, _ := outbound.Signature([]string{ep.Secret}, got.header.Get("webhook-id"), got.signedAt(), got.body)
		if rotated.Secret == ep.Secret || len(sigs) != 2 || sigs[0] != newSig || sigs[1] != oldSig {
			t.Fatalf("signatures during rotation %q", sigs)
		}
		c.Set(t0.Add(outbound.RotationOverlap + time.Minute))
		cl.do("POST", "/api/v1/webhook-endpoints/"+itoa(ep.ID)+"/test", "", http.StatusAccepted, nil)
		rcv.wait(t, 3)
		if sigs := strings.Fields(rcv.requests()[2].header.Get("webhook-signature")); len(sigs) != 1 {
			t.Fatalf("a day after the rotation %d signatures, want the new one only", len(sigs))
		}

		for _, got := range rcv.requests() {
			contracttest.Event(t, got.body)
		}

		// The log, one delivery's attempts, and a replay with the same webhook-id.
		var log struct{ Data []api.WebhookDelivery }
		cl.do("GET", "/api/v1/webhook-endpoints/"+itoa(ep.ID)+"/deliveries", "", http.StatusOK, &log)
		if len(log.Data) != 3 || log.Data[2].EventType != "person.created" {
			t.Fatalf("delivery log %+v", log.Data)
		}
		var one api.WebhookDelivery
		cl.do("GET", "/api/v1/webhook-deliveries/"+itoa(log.Data[2].ID), "", http.StatusOK, &one)
		if len(one.Log) != 1 || *one.Log[0].Status != 200 {
			t.Fatalf("attempt log %+v", one.Log)
		}
		cl.do("POST", "/api/v1/webhook-deliveries/"+itoa(one.ID)+"/replay", "", http.StatusAccepted, nil)
		rcv.wait(t, 4)
		if rcv.requests()[3].header.Get("webhook-id") != one.MessageID {
			t.Fatal("a replay has another webhook-id")
		}

		// Another organization's key sees none of it.
		org2, err := srv.Store.CreateOrganization(ctx, "Other", "other", t0)
		must(t, err)
		eve, err := people.New(srv.Store, c.Now).Add(ctx, people.System(org2.ID), people.Input{Email: "eve@example.com", Role: store.RoleOwner})
		must(t, err)
		key2, err := api.NewKeys(srv.Store, c.Now).Create(ctx, people.ActorOf(eve), "other", api.ScopeRead, api.ScopeWrite)
		must(t, err)
		other := apiClient{t, srv.URL(), key2.Plaintext}
		other.do("GET", "/api/v1/webhook-endpoints/"+itoa(ep.ID), "", http.StatusNotFound, nil)
		other.do("POST", "/api/v1/webhook-deliveries/"+itoa(one.ID)+"/replay", "", http.StatusNotFound, nil)

		// Disabled: nothing more is sent, a test event is refused.
		var off api.WebhookEndpoint
		cl.do("PATCH", "/api/v1/webhook-endpoints/"+itoa(ep.ID), `{"enabled":false}`, http.StatusOK, &off)
		if off.Enabled || off.DisabledReason == nil || *off.DisabledReason != outbound.DisabledManual {
			t.Fatalf("after disabling %+v", off)
		}
		cl.do("POST", "/api/v1/webhook-endpoints/"+itoa(ep.ID)+"/test", "", http.StatusConflict, nil)
		cl.do("DELETE", "/api/v1/webhook-endpoints/"+itoa(ep.ID), "", http.StatusNoContent, nil)
		if n := len(rcv.requests()); n != 4 {
			t.Fatalf("%d requests, want 4", n)
		}
	})
}
