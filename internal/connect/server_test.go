package connect_test

import (
	"context"
	"errors"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/web"
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

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signedIn is a browser (a cookie jar; redirects not followed) signed in to
// the web app at base with the sign-in form.
func signedIn(t *testing.T, base, email, password string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	must(t, err)
	b := &http.Client{Jar: jar, Timeout: time.Minute, CheckRedirect: browser.CheckRedirect} // bcrypt is slow under -race on a busy machine
	resp := postForm(t, b, base, "/signin", "/signin", url.Values{"email": {email}, "password": {password}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || strings.HasPrefix(loc, "/signin") {
		t.Fatalf("sign-in as %s: %d to %q", email, resp.StatusCode, loc)
	}
	return b
}

// postForm loads page in browser b, posts form with the page's token to action.
func postForm(t *testing.T, b *http.Client, base, page, action string, form url.Values) *http.Response {
	t.Helper()
	resp, err := b.Get(base + page)
	must(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindStringSubmatch(string(body))
	if m == nil {
		t.Fatalf("no form token on %s (%d)", page, resp.StatusCode)
	}
	form.Set("csrf", html.UnescapeString(m[1]))
	resp, err = b.PostForm(base+action, form)
	must(t, err)
	resp.Body.Close()
	return resp
}

// consentCallback clicks "Connect my Zoom" in browser b, consents at the
// emulator, and returns the callback URL Zoom sends the browser back to.
func consentCallback(t *testing.T, b *http.Client, base string) string {
	t.Helper()
	resp := postForm(t, b, base, "/services", "/services/zoom/connect/me", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("Connect my Zoom: %d", resp.StatusCode)
	}
	resp, err := b.Get(resp.Header.Get("Location"))
	must(t, err)
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	if !strings.HasPrefix(callback, base+connect.CallbackPath+"?") {
		t.Fatalf("Zoom sent the browser to %q, want our callback", callback)
	}
	return callback
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

		// The member's browser: signed in, "Connect my Zoom", consent at
		// Zoom, back to our callback, on to the UI.
		_, err = web.EnableSignIn(ctx, st, org.ID, person.ID, "member-pass-1", time.Now())
		must(t, err)
		own := signedIn(t, srv.URL(), member.Email, "member-pass-1")
		must(t, sim.SetAuthorizeAs(member.ID))
		callback := consentCallback(t, own, srv.URL())
		// Zoom's redirect replayed in another signed-in browser (another
		// organization's admin) connects nothing and uses the flow up.
		other, err := st.CreateOrganization(ctx, "Other", "other", sim.Now())
		must(t, err)
		intruder, err := web.AddMember(ctx, st, other.ID, people.Input{Email: "intruder@other.example", Role: store.RoleAdmin}, "intruder-pass-1")
		must(t, err)
		resp, err := signedIn(t, srv.URL(), intruder.Email, "intruder-pass-1").Get(callback)
		must(t, err)
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), `data-code="`+connect.CodeOtherBrowser+`"`) {
			t.Fatalf("callback replayed in another browser: %d %s", resp.StatusCode, page)
		}
		for _, o := range []int64{org.ID, other.ID} {
			if conns, _ := st.Connections(ctx, o); len(conns) != 0 {
				t.Fatalf("org %d has %d connections after a replayed callback", o, len(conns))
			}
		}
		callback = consentCallback(t, own, srv.URL())
		resp, err = own.Get(callback)
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
		// Rows the test seeded itself are left out: the S2S backfill removes a
		// Zoom user that Zoom does not list, with its activities, as it should.
		keptUsers, keptActs := syncedFromZoom(e, s2s.ID)
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
