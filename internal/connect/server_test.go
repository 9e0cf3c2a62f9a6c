package connect_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// freeAddr picks a loopback port, so the redirect URL registered with Zoom
// can be known before the server starts.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs a whole zoombridge process against the emulator: SQLite
// with a generated key, or PostgreSQL with an explicit one.
func startServer(t *testing.T, d store.Dialect, sim *zoomsim.Server) (*server.Server, *logBuffer) {
	info := sim.Info()
	addr := freeAddr(t)
	env := []string{"ZOOMBRIDGE_ADDR=" + addr, "ZOOMBRIDGE_DATA_DIR=" + filepath.Join(t.TempDir(), "data"),
		"ZOOMBRIDGE_PUBLIC_URL=http://" + addr, "ZOOMBRIDGE_ZOOM_OAUTH_URL=" + info.URL, "ZOOMBRIDGE_ZOOM_API_URL=" + info.APIBase,
		"ZOOMBRIDGE_ZOOM_CLIENT_ID=" + info.ClientID, "ZOOMBRIDGE_ZOOM_CLIENT_SECRET=" + info.ClientSecret,
		"ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET=" + info.WebhookSecret}
	if d == store.Postgres {
		env = append(env, "ZOOMBRIDGE_DATABASE_URL="+testdb.NewPostgresURL(t), "ZOOMBRIDGE_ENCRYPTION_KEY="+strings.Repeat("5a", 32))
	}
	cfg, err := config.Load(env)
	must(t, err)
	logs := &logBuffer{}
	srv, err := server.Open(context.Background(), cfg, server.Options{Now: sim.Now,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	must(t, err)
	must(t, srv.Start(context.Background()))
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv, logs
}

// waitJobs waits on River's completion events until done says so.
func waitJobs(t *testing.T, srv *server.Server, what string, done func() bool) {
	t.Helper()
	events, cancel := srv.Jobs.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	timeout := time.After(60 * time.Second)
	for !done() {
		select {
		case <-events:
		case <-timeout:
			t.Fatalf("jobs finished without %s", what)
		}
	}
}

// TestThroughTheServer drives the wired process: the browser's trip through
// Zoom's consent page to GET /oauth/zoom/callback, the idle refresh job, and
// the real app_deauthorized event from the emulator to the webhook receiver,
// whose processing purges only that connection.
func TestThroughTheServer(t *testing.T) {
	eachDB(t, func(t *testing.T, d store.Dialect) {
		sim := startSim(t, startOpts(d))
		srv, logs := startServer(t, d, sim)
		must(t, sim.SetWebhookURL(srv.URL()+"/webhooks/zoom"))
		ctx, st := context.Background(), srv.Store
		if d == store.SQLite {
			fi, err := os.Stat(filepath.Join(srv.Config.DataDir, vault.KeyFile))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("generated key file: %v, %v", fi, err)
			}
		}
		org, err := st.CreateOrganization(ctx, "Org", "org", sim.Now())
		must(t, err)
		member := sim.Users()[2]
		person, err := st.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: member.Email, Name: member.FirstName}, sim.Now())
		must(t, err)

		// The browser: consent at Zoom, back to our callback, on to the UI.
		must(t, sim.SetAuthorizeAs(member.ID))
		consent, err := srv.Connect.StartUserOAuth(ctx, org.ID, person.ID, 0)
		must(t, err)
		resp, err := browser.Get(consent)
		must(t, err)
		resp.Body.Close()
		callback := resp.Header.Get("Location")
		if !strings.HasPrefix(callback, srv.URL()+connect.CallbackPath+"?") {
			t.Fatalf("Zoom sent the browser to %q, want our callback", callback)
		}
		resp, err = browser.Get(callback)
		must(t, err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/services?zoom=connected" {
			t.Fatalf("callback answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		conns, err := st.Connections(ctx, org.ID)
		must(t, err)
		if len(conns) != 1 || conns[0].ZoomUserID != member.ID || conns[0].PersonID != person.ID {
			t.Fatalf("connections after the callback: %+v", conns)
		}
		user := conns[0]
		s2s, err := srv.Connect.ConnectS2S(ctx, org.ID, 0, connect.S2SCredentials{AccountID: sim.Info().AccountID,
			ClientID: sim.Info().S2SClientID, ClientSecret: sim.Info().S2SClientSecret})
		must(t, err)
		e := &env{t: t, ctx: ctx, st: st, sim: sim}
		seedSynced(e, user, "u@org.example")
		seedSynced(e, s2s, "s@org.example")

		// Eight idle days: the idle job refreshes the OAuth connection.
		sim.Advance(8 * 24 * time.Hour)
		_, err = srv.Jobs.Insert(ctx, connect.RefreshIdleArgs{}, nil)
		must(t, err)
		waitJobs(t, srv, "an idle refresh", func() bool {
			c, err := st.ConnectionByID(ctx, user.ID)
			return err == nil && c.RefreshedAt.Equal(sim.Now().Truncate(time.Millisecond))
		})
		if err := e.call(srv.Connect, e.reload(user)); err != nil {
			t.Fatalf("call after the idle refresh: %v", err)
		}

		// The person removes the app in Zoom: app_deauthorized arrives. The
		// S2S connection's own backfill may still be adding rows; what it held
		// before the purge must all be there after it.
		keptUsers, keptActs := syncedIDs(e, s2s.ID)
		must(t, sim.RevokeUser(member.ID))
		waitJobs(t, srv, "the purge", func() bool {
			_, err := st.ConnectionByID(ctx, user.ID)
			return errors.Is(err, store.ErrNotFound)
		})
		if u, a := synced(e, user.ID); u != 0 || a != 0 {
			t.Fatalf("%d users and %d activities of the deauthorized connection remain", u, a)
		}
		users, acts := syncedIDs(e, s2s.ID)
		for id := range keptUsers {
			if !users[id] {
				t.Fatalf("the other connection lost its Zoom user %d", id)
			}
		}
		for id := range keptActs {
			if !acts[id] {
				t.Fatalf("the other connection lost its activity %d", id)
			}
		}
		log, err := st.AuditLog(ctx, org.ID, 1)
		must(t, err)
		if len(log) != 1 || log[0].Actor != "zoom" || log[0].Action != connect.AuditDeauthorized || log[0].Target != "connection:"+itoa(user.ID) {
			t.Fatalf("audit after app_deauthorized: %+v", log)
		}
		if strings.Contains(logs.String(), sim.Info().S2SClientSecret) || strings.Contains(logs.String(), sim.Info().ClientSecret) {
			t.Fatal("the server log holds a client secret")
		}
	})
}
