package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// TestBrowserDevelopersPage: in Chromium an Owner adds a webhook endpoint
// pointing at a receiver on loopback and sees its whsec_ secret once (gone
// when the page is opened again); "Send test event" arrives signed under that
// secret (checked with outbound.Signature, the signing the deliveries use);
// the delivery shows in the endpoint's log with its status, and a replay
// arrives with the same webhook-id. An Admin uses the page too; a Manager or
// a Member is refused by the server, whatever the browser shows. The API
// reference lists every operation and event type of the OpenAPI document.
func TestBrowserDevelopersPage(t *testing.T) {
	requireBrowser(t)
	srv := startServerAt(t, time.Now, "ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8")
	g := newOrg(t, srv, "Hook Co")
	ctx := context.Background()
	rcv := newHookReceiver(t)

	b := newTab(t, srv.URL())
	b.signIn(g.people[store.RoleOwner].Email, testPassword)
	b.open("/developers")
	if b.count(`a[href="/api/v1/openapi.json"]`) == 0 || b.count(`a[href="/developers/api"]`) == 0 {
		t.Fatal("the Developers page does not link the OpenAPI document and the API reference")
	}
	b.do("fill the endpoint form",
		chromedp.SendKeys(chromedp.CSS(`form[action="/developers/webhooks"] input[name="url"]`), rcv.URL+"/hook", chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`form[action="/developers/webhooks"] input[name="description"]`), "CRM"))
	b.follow(`form[action="/developers/webhooks"] button`)
	secret := b.text("code.secret")
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("no whsec_ secret shown after adding the endpoint: %q", secret)
	}
	eps, err := srv.Store.OutboundEndpoints(ctx, g.o.ID)
	must(t, err)
	if len(eps) != 1 || eps[0].URL != rcv.URL+"/hook" {
		t.Fatalf("endpoints %+v", eps)
	}
	endpoint := "/developers/webhooks/" + itoa(eps[0].ID)
	b.open("/developers")
	if b.count("code.secret") != 0 || eval[bool](b, "document.body.innerHTML.includes("+jsString(secret)+")") {
		t.Fatal("the secret is shown again when the page is opened again")
	}
	b.follow(`a[href="` + endpoint + `"]`)
	if eval[bool](b, "document.body.innerHTML.includes("+jsString(secret)+")") {
		t.Fatal("the endpoint page shows the secret")
	}
	checkLayoutAt(t, b, "developers-owner", "")

	// Send test event: it arrives, signed under the secret the page showed.
	b.follow(`form[action="` + endpoint + `/test"] button`)
	first := rcv.next(t)
	if first.Header.Get("webhook-signature") != signature(t, secret, first) {
		t.Fatalf("webhook-signature %q does not verify under the secret shown", first.Header.Get("webhook-signature"))
	}
	if ts, _ := strconv.ParseInt(first.Header.Get("webhook-timestamp"), 10, 64); time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		t.Fatalf("webhook-timestamp %d is not now", ts)
	}
	contracttest.Event(t, first.Body)
	if !strings.Contains(string(first.Body), `"type":"webhook.test"`) {
		t.Fatalf("test event body %s", first.Body)
	}

	// The log shows it delivered, with the answer's status.
	msgID := first.Header.Get("webhook-id")
	row := `tr[data-message="` + msgID + `"]`
	waitFor(t, "the delivery to show as delivered", func() bool {
		b.open(endpoint)
		return b.count(row+`[data-status="delivered"]`) == 1
	})
	if !strings.Contains(b.text(row), "HTTP 200") {
		t.Fatalf("the log's row does not show the answer's status: %q", b.text(row))
	}

	// Replay from the delivery's page: the same message, the same webhook-id.
	b.follow(row + ` a[href^="/developers/deliveries/"]`)
	checkLayoutAt(t, b, "developers-delivery", "")
	b.follow(`form[action$="/replay"] button`)
	again := rcv.next(t)
	if again.Header.Get("webhook-id") != msgID || string(again.Body) != string(first.Body) || again.Header.Get("webhook-signature") != signature(t, secret, again) {
		t.Fatalf("replay: webhook-id %q body %s, want %q and the first body, signed", again.Header.Get("webhook-id"), again.Body, msgID)
	}
	waitFor(t, "both deliveries to show as delivered", func() bool {
		b.open(endpoint)
		return b.count(row+`[data-status="delivered"]`) == 2
	})

	// An Admin uses the page; a Manager or a Member is refused by the server.
	admin := newTab(t, srv.URL())
	admin.signIn(g.people[store.RoleAdmin].Email, testPassword)
	admin.open(endpoint)
	admin.follow(`form[action="` + endpoint + `/test"] button`)
	if got := rcv.next(t); got.Header.Get("webhook-id") == msgID || got.Header.Get("webhook-signature") != signature(t, secret, got) {
		t.Fatal("the Admin's test event is not a new, signed message")
	}
	for _, role := range []string{store.RoleManager, store.RoleMember} {
		c := g.clients[role]
		for _, path := range []string{"/developers", "/developers/api", endpoint} {
			if status, _ := c.get(path); status != http.StatusForbidden {
				t.Errorf("%s: GET %s answered %d, want 403", role, path, status)
			}
		}
		for _, path := range []string{"/developers/webhooks", endpoint + "/test", endpoint + "/rotate"} {
			if status, _ := c.post(path, url.Values{"url": {rcv.URL + "/other"}}); status != http.StatusForbidden {
				t.Errorf("%s: POST %s answered %d, want 403", role, path, status)
			}
		}
	}
	if eps, _ := srv.Store.OutboundEndpoints(ctx, g.o.ID); len(eps) != 1 || eps[0].SecretEnc == nil || len(eps[0].PrevSecretEnc) != 0 {
		t.Fatalf("refused requests changed the endpoints: %+v", eps)
	}
	rcv.none(t, 500*time.Millisecond)

	// The reference lists every operation and event type of the document.
	b.open("/developers/api")
	doc := contracttest.Document()
	var want []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			want = append(want, method+" "+path)
		}
	}
	got := eval[[]string](b, `[...document.querySelectorAll(".ref-op[data-method]")].map(e => e.dataset.method + " " + e.dataset.path)`)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the reference lists %d operations, the document %d:\nlisted %v\ndocument %v", len(got), len(want), got, want)
	}
	var events []string
	for name := range doc.Webhooks {
		events = append(events, name)
	}
	gotEvents := eval[[]string](b, `[...document.querySelectorAll(".ref-op[data-event]")].map(e => e.dataset.event)`)
	slices.Sort(events)
	slices.Sort(gotEvents)
	if !slices.Equal(gotEvents, events) {
		t.Errorf("the reference lists events %v, the document %v", gotEvents, events)
	}
	// An operation shows its parameters, body fields and responses; an event its payload.
	for sel, want := range map[string]string{
		`#op-createPerson`:               "Idempotency-Key",
		`#op-createPerson .ref-body`:     "access_level",
		`#op-listActivities`:             "updated_since",
		`#op-getPerson`:                  "304",
		`[data-event="person.created"]`:  "Person",
		`[data-event="booking.created"]`: "booker_email",
	} {
		// textContent: the parts are there while the operation is closed.
		if got := eval[string](b, "document.querySelector("+jsString(sel)+").textContent"); !strings.Contains(got, want) {
			t.Errorf("%s does not show %q: %.300q", sel, want, got)
		}
	}
	checkLayoutAt(t, b, "developers-api", `(() => { document.querySelectorAll("details").forEach(d => d.open = true); return true })()`)
}

// checkLayoutAt checks the open page on a phone (checkLayout in
// browser_layout_test.go), after the script prepare (returning true) when one is given, then
// returns the tab to a laptop's width.
func checkLayoutAt(t *testing.T, b *tab, name, prepare string) {
	t.Helper()
	path := b.path()
	b.viewport(390, 844, true)
	b.open(path)
	if prepare != "" {
		eval[bool](b, prepare)
	}
	checkLayout(t, b, 390, name+"-390")
	b.viewport(1280, 800, false)
	b.open(path)
}

// signature is the webhook-signature a request carries when signed under secret.
func signature(t *testing.T, secret string, r hookRequest) string {
	t.Helper()
	ts, err := strconv.ParseInt(r.Header.Get("webhook-timestamp"), 10, 64)
	must(t, err)
	sig, err := outbound.Signature([]string{secret}, r.Header.Get("webhook-id"), time.Unix(ts, 0), r.Body)
	must(t, err)
	return sig
}

// hookReceiver is a host product's webhook endpoint on loopback.
type hookReceiver struct {
	*httptest.Server
	got chan hookRequest
}

type hookRequest struct {
	Header http.Header
	Body   []byte
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{got: make(chan hookRequest, 16)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		// The org's connection syncs in the background and publishes
		// sync.completed whenever a pass ends; this test is about test
		// events only, so the others are acknowledged and not kept.
		if strings.Contains(string(body), `"type":"webhook.test"`) {
			r.got <- hookRequest{Header: req.Header.Clone(), Body: body}
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) next(t *testing.T) hookRequest {
	t.Helper()
	select {
	case got := <-r.got:
		return got
	case <-time.After(30 * time.Second):
		t.Fatal("the receiver got nothing within 30 s")
		return hookRequest{}
	}
}

// none checks that no more test events arrive for d.
func (r *hookReceiver) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case got := <-r.got:
		t.Fatalf("the receiver got another test event: %s", got.Body)
	case <-time.After(d):
	}
}
