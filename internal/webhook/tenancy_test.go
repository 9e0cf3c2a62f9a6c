package webhook_test

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

func TestAppDeauthorizedPurgesTheConnectionAndAudits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d, func(c *webhook.Config) { c.DeploymentClientID = "ABCDEFGHIJKLMNOPQRST!V" })
		f := h.fixture("deauth")
		h.deliver(example(t, "meeting.ended"))
		h.deliver(example(t, "phone.caller_ended"))
		h.processAll()
		if len(h.activities(f.meetings)) == 0 {
			t.Fatal("setup: no activity to purge")
		}
		// Another app's deauthorization (other client_id) purges nothing.
		other := bytes.Replace(example(t, "app_deauthorized"), []byte("ABCDEFGHIJKLMNOPQRST!V"), []byte("another-app"), 1)
		h.deliver(other)
		h.processAll()
		if _, err := h.st.ConnectionByID(h.ctx, f.meetings.ID); err != nil {
			t.Fatalf("another app's app_deauthorized purged the connection: %v", err)
		}
		// The Zoom admin who removes the app is Jill, a person of the directory.
		_, err := h.st.UpsertZoomUser(h.ctx, store.ZoomUser{OrgID: f.org.ID, ConnectionID: f.meetings.ID, ZoomUserID: "abcD3ojfdbjfg",
			ZoomAccountID: "AAAAAABBBB", Email: f.jill.Email, PersonID: f.jill.ID, UserType: 2, Status: "active"}, t0)
		must(t, err)
		if code := h.deliver(example(t, "app_deauthorized")); code != http.StatusOK {
			t.Fatal(code)
		}
		h.processAll()
		if _, err := h.st.ConnectionByID(h.ctx, f.meetings.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("connection still there: %v", err)
		}
		if n := len(h.activities(f.meetings)); n != 0 {
			t.Fatalf("%d activities synced through the purged connection remain", n)
		}
		users, err := h.st.ZoomUsersOfConnection(h.ctx, f.meetings.ID)
		must(t, err)
		if len(users) != 0 {
			t.Fatalf("%d Zoom users of the purged connection remain", len(users))
		}
		if len(h.activities(f.phone)) == 0 {
			t.Fatal("a connection of another Zoom account was purged too")
		}
		log, err := h.st.AuditLog(h.ctx, f.org.ID, 10)
		must(t, err)
		if len(log) != 1 || log[0].Action != "connection.purged" || log[0].Actor != "zoom" || !strings.Contains(log[0].Detail, "removed in Zoom by "+f.jill.Email) || strings.Contains(log[0].Detail, "abcD3ojfdbjfg") {
			t.Fatalf("audit log %+v", log)
		}
		// Delivered again (Zoom retried), it changes nothing and is not an error.
		h.now.Add(60_000)
		h.deliver(example(t, "app_deauthorized"))
		h.processAll()
	})
}

// An organization's Server-to-Server app posts to its own path, signed with
// its own secret (sealed in the vault); its events reach only that
// organization's S2S connection, and another secret is refused there.
func TestOrganizationAppIsVerifiedAndRoutedToItsOwnConnection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d)
		v, err := vault.New(bytes.Repeat([]byte{7}, 32))
		must(t, err)
		a, b := h.fixture("tenant-a"), h.fixture("tenant-b")
		// Tenant B also connected the same Zoom account with its own S2S app;
		// its secret is sealed bound to the connection's row.
		s2s, err := h.st.CreateConnection(h.ctx, store.Connection{OrgID: b.org.ID, Kind: store.KindS2S, ZoomAccountID: "AAAAAABBBB", ClientID: "b-s2s"}, t0)
		must(t, err)
		sealed, err := v.Seal([]byte("tenant-b-secret"), webhook.WebhookSecretAAD(s2s.ID))
		must(t, err)
		setWebhookSecret(t, h, s2s.ID, sealed)
		_, err = h.st.UpsertZoomUser(h.ctx, store.ZoomUser{OrgID: b.org.ID, ConnectionID: s2s.ID, ZoomUserID: "x1yCzABCDEfg23HiJKl4mN",
			ZoomAccountID: "AAAAAABBBB", Email: "alice@example.com"}, t0)
		must(t, err)

		mux := http.NewServeMux()
		mux.Handle("POST /webhooks/zoom/org/{org}", h.svc.Receiver.Handler(webhook.OrgApps(h.st, v)))
		url := newServer(t, mux)
		body := example(t, "meeting.ended")
		post := func(path, key string) int {
			ts := strconv.FormatInt(h.clock().Unix(), 10)
			req, _ := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
			req.Header.Set(webhook.HeaderTimestamp, ts)
			req.Header.Set(webhook.HeaderSignature, zoomSign(key, ts, body))
			code, _ := do(t, req)
			return code
		}
		if code := post(webhook.OrgPath("tenant-b"), secret); code != http.StatusUnauthorized {
			t.Fatalf("deployment secret on tenant B's path: %d, want 401", code)
		}
		if code := post(webhook.OrgPath("tenant-a"), "tenant-b-secret"); code != http.StatusNotFound {
			t.Fatalf("tenant A has no S2S app: %d, want 404", code)
		}
		if code := post(webhook.OrgPath("nobody"), "tenant-b-secret"); code != http.StatusNotFound {
			t.Fatalf("unknown organization: %d, want 404", code)
		}
		if code := post(webhook.OrgPath("tenant-b"), "tenant-b-secret"); code != http.StatusOK {
			t.Fatalf("tenant B's own secret: %d, want 200", code)
		}
		h.processAll()
		if n := len(h.activities(s2s)); n != 1 {
			t.Fatalf("tenant B's S2S connection got %d activities, want 1", n)
		}
		for _, c := range []store.Connection{a.meetings, b.meetings} {
			if n := len(h.activities(c)); n != 0 {
				t.Fatalf("an S2S app's event reached OAuth connection %d of org %d", c.ID, c.OrgID)
			}
		}
		// The deployment app's copy of the same event is a separate event and
		// reaches both tenants' OAuth connections, never the S2S one.
		h.deliver(body)
		h.processAll()
		if len(h.activities(a.meetings)) != 1 || len(h.activities(b.meetings)) != 1 || len(h.activities(s2s)) != 1 {
			t.Fatal("deployment app event routed wrong")
		}
	})
}

func setWebhookSecret(t *testing.T, h *harness, connID int64, sealed []byte) {
	t.Helper()
	q := "UPDATE zoom_connections SET webhook_secret_enc = ? WHERE id = ?"
	if h.st.Dialect() == store.Postgres {
		q = "UPDATE zoom_connections SET webhook_secret_enc = $1 WHERE id = $2"
	}
	_, err := h.st.DB().Exec(q, sealed, connID)
	must(t, err)
}
