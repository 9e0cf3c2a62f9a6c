package outbound_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// TestZoomWebhooksPublishActivityEvents: a meeting's started and ended
// webhooks reach a subscribed endpoint as activity.created then
// activity.updated, the activity as the API shows it, and the host's
// user.deleted as activity.deleted; an organization with no endpoint gets
// no activity event rows at all (what keeps webhook ingest cheap).
func TestZoomWebhooksPublishActivityEvents(t *testing.T) {
	const zoomSecret = "zoom-webhook-secret"
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		c := &clock{now: time.Now().UTC().Truncate(time.Second)}
		srv := startServer(t, d, c, "ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET="+zoomSecret)
		rcv := newReceiver(t, c)
		seed := func(slug string) store.Organization {
			org, err := srv.Store.CreateOrganization(ctx, slug, slug, t0)
			must(t, err)
			_, err = srv.Store.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: "host@" + slug + ".example"}, t0)
			must(t, err)
			conn, err := srv.Store.CreateConnection(ctx, store.Connection{OrgID: org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: "acct-" + slug}, t0)
			must(t, err)
			_, err = srv.Store.UpsertZoomUser(ctx, store.ZoomUser{OrgID: org.ID, ConnectionID: conn.ID, ZoomUserID: "host-" + slug, Email: "host@" + slug + ".example"}, t0)
			must(t, err)
			return org
		}
		subscribed, quiet := seed("subscribed"), seed("quiet")
		_, _, err := srv.Outbound.CreateEndpoint(ctx, subscribed.ID, "test", outbound.Endpoint{URL: rcv.URL, EventTypes: []string{"activity.created", "activity.updated", "activity.deleted"}})
		must(t, err)

		post := func(event, body string) {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/webhooks/zoom", strings.NewReader(body))
			req.Header.Set(webhook.HeaderTimestamp, ts)
			req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(zoomSecret), ts, []byte(body)))
			resp, err := http.DefaultClient.Do(req)
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", event, resp.StatusCode)
			}
		}
		send := func(slug, event, extra string) {
			post(event, `{"event":"`+event+`","event_ts":`+strconv.FormatInt(time.Now().UnixMilli(), 10)+`,"payload":{"account_id":"acct-`+slug+
				`","object":{"id":"8123","uuid":"u-`+slug+`==","host_id":"host-`+slug+`","topic":"Pipeline review","type":2,"start_time":"2026-11-02T09:00:00Z","duration":30`+extra+`}}}`)
		}
		for _, slug := range []string{"quiet", "subscribed"} {
			send(slug, "meeting.started", "")
		}
		rcv.wait(t, 1)
		for _, slug := range []string{"quiet", "subscribed"} {
			send(slug, "meeting.ended", `,"end_time":"2026-11-02T09:31:10Z"`)
		}
		rcv.wait(t, 2)
		post("user.deleted", `{"event":"user.deleted","event_ts":`+strconv.FormatInt(time.Now().UnixMilli(), 10)+
			`,"payload":{"account_id":"acct-subscribed","object":{"id":"host-subscribed"}}}`)
		rcv.wait(t, 3)

		type event struct {
			Type string
			Data struct {
				ID              int64
				PersonID        int64 `json:"person_id"`
				Kind, ZoomID    string
				Title           string
				End             *string
				DurationSeconds int `json:"duration_seconds"`
			}
		}
		var evs []event
		for _, r := range rcv.requests() {
			var e event
			must(t, json.Unmarshal(r.body, &e))
			contracttest.Event(t, r.body)
			evs = append(evs, e)
		}
		if evs[0].Type != "activity.created" || evs[0].Data.Kind != "meeting" || evs[0].Data.Title != "Pipeline review" || evs[0].Data.End != nil {
			t.Fatalf("first event %+v", evs[0])
		}
		if evs[1].Type != "activity.updated" || evs[1].Data.End == nil || *evs[1].Data.End != "2026-11-02T09:31:10Z" {
			t.Fatalf("second event %+v", evs[1])
		}
		if evs[2].Type != "activity.deleted" || evs[2].Data.ID != evs[0].Data.ID || evs[2].Data.ZoomID != evs[0].Data.ZoomID {
			t.Fatalf("third event %+v, want the activity deleted", evs[2])
		}
		got, err := srv.Store.OutboundEvents(ctx, quiet.ID, 0, 100)
		must(t, err)
		for _, e := range got {
			if strings.HasPrefix(e.Type, "activity.") {
				t.Fatalf("an %s event row for an organization without endpoints", e.Type)
			}
		}
	})
}
