package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

const testPassword = "correct horse battery"

// t0 is a fixed Monday morning; the server's clock is pinned to it so
// timelines and windows are the same on every run.
var t0 = time.Date(2026, 11, 2, 10, 30, 0, 0, time.UTC)

// startServer runs a whole zoombridge process (server.Open, as serve does)
// on a fresh SQLite database, with extra environment in env.
func startServer(t testing.TB, env ...string) *server.Server {
	t.Helper()
	return startServerAt(t, func() time.Time { return t0 }, env...)
}

// startServerAt is startServer with its own clock (the emulator's, in the
// live tests).
func startServerAt(t testing.TB, now func() time.Time, env ...string) *server.Server {
	t.Helper()
	vars := append([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir(),
		"ZOOMBRIDGE_ENCRYPTION_KEY=" + strings.Repeat("cd", 32),
		// Nothing listens there: a Zoom call made by a test fails at once, never reaches zoom.us.
		"ZOOMBRIDGE_ZOOM_OAUTH_URL=http://127.0.0.1:9", "ZOOMBRIDGE_ZOOM_API_URL=http://127.0.0.1:9/v2",
		"ZOOMBRIDGE_ZOOM_CLIENT_ID=test-client", "ZOOMBRIDGE_ZOOM_CLIENT_SECRET=test-secret"}, env...)
	cfg, err := config.Load(vars)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ShutdownTimeout = 2 * time.Second
	srv, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv
}

// client is a browser without JavaScript: a cookie jar, no redirects
// followed, and the session's CSRF token read from the pages it loads.
type client struct {
	t        testing.TB
	base     string
	hc       *http.Client
	csrf     string
	location string // the last response's Location header
}

func newClient(t testing.TB, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request and returns the status and body; pages update the CSRF token.
func (c *client) do(req *http.Request) (int, string) {
	c.t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	c.location = resp.Header.Get("Location")
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, string(b)
}

func (c *client) get(path string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post sends a form with the session's CSRF token.
func (c *client) post(path string, form url.Values) (int, string) {
	if form == nil {
		form = url.Values{}
	}
	if c.csrf == "" {
		c.get("/accounts")
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	return c.postRaw(path, form)
}

// postRaw sends a form exactly as given.
func (c *client) postRaw(path string, form url.Values) (int, string) {
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signIn signs in through the sign-in form and fails the test if refused.
func (c *client) signIn(email, password string) {
	c.t.Helper()
	if status := c.trySignIn(email, password); status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d", email, status)
	}
	c.get("/accounts")
}

func (c *client) trySignIn(email, password string) int {
	c.t.Helper()
	c.get("/signin")
	status, _ := c.postRaw("/signin", url.Values{"email": {email}, "password": {password}, "csrf": {c.csrf}})
	return status
}

// org is an organization with one signed-in person per access level.
type org struct {
	o       store.Organization
	people  map[string]store.Person // by role, and "target"/"other" for people to act on
	clients map[string]*client
	conn    store.Connection
}

// newOrg bootstraps an organization with a person of each access level who
// can sign in, a Sales target and a Support person, a connection, Zoom users
// and a day of activity.
func newOrg(t testing.TB, srv *server.Server, name string) *org {
	t.Helper()
	ctx := context.Background()
	slug := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	mail := func(who string) string { return who + "@" + slug + ".example" }
	o, owner, err := web.Bootstrap(ctx, srv.Store, name, mail("owner"), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	g := &org{o: o, people: map[string]store.Person{store.RoleOwner: owner}, clients: map[string]*client{}}
	for _, role := range []string{store.RoleAdmin, store.RoleExecutive, store.RoleManager, store.RoleMember} {
		p, err := web.AddMember(ctx, srv.Store, o.ID, people.Input{Email: mail(role), Name: name + " " + role, Team: "Sales", Role: role}, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		g.people[role] = p
	}
	for who, team := range map[string]string{"target": "Sales", "other": "Support"} {
		p, err := web.AddMember(ctx, srv.Store, o.ID, people.Input{Email: mail(who), Name: name + " " + who, Team: team}, "")
		if err != nil {
			t.Fatal(err)
		}
		g.people[who] = p
	}
	g.conn = addConnection(t, srv.Store, o.ID, "acct-"+slug)
	for who, p := range g.people {
		addZoomUser(t, srv.Store, g.conn, "zu-"+slug+"-"+who, p.Email, true)
	}
	addDay(t, srv.Store, g.conn, g.people["target"], "zu-"+slug+"-target", name)
	addDay(t, srv.Store, g.conn, g.people["other"], "zu-"+slug+"-other", name)
	for _, role := range store.Roles {
		c := newClient(t, srv.URL())
		c.signIn(mail(role), testPassword)
		g.clients[role] = c
	}
	return g
}

func addConnection(t testing.TB, st *store.Store, orgID int64, zoomAccount string) store.Connection {
	t.Helper()
	c, err := st.CreateConnection(context.Background(), store.Connection{OrgID: orgID, Kind: store.KindAccountOAuth, ZoomAccountID: zoomAccount,
		Email: "admin@" + zoomAccount + ".zoom", DisplayName: "Zoom Admin", PlanType: 2, PhoneLicensed: true,
		Scopes: "user:read:list_users:admin meeting:read:past_meeting:admin phone:read:list_call_logs:admin"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func addZoomUser(t testing.TB, st *store.Store, c store.Connection, zoomID, email string, phone bool) {
	t.Helper()
	if _, err := st.UpsertZoomUser(context.Background(), store.ZoomUser{OrgID: c.OrgID, ConnectionID: c.ID, ZoomUserID: zoomID,
		ZoomAccountID: c.ZoomAccountID, Email: email, DisplayName: email, UserType: 2, Status: "active", PhoneLicensed: phone}, t0); err != nil {
		t.Fatal(err)
	}
}

// addDay gives a person a meeting, an inbound call and a webinar on t0's day,
// titled with the organization's name so a leak is easy to spot.
func addDay(t testing.TB, st *store.Store, c store.Connection, p store.Person, zoomUser, tag string) {
	t.Helper()
	day := time.Date(t0.Year(), t0.Month(), t0.Day(), 0, 0, 0, 0, time.UTC)
	acts := []store.Activity{
		{Kind: store.ActivityMeeting, ZoomID: "m-" + zoomUser, ZoomNumber: "81234567890", Title: tag + " pipeline review",
			StartAt: day.Add(9 * time.Hour), EndAt: day.Add(9*time.Hour + 45*time.Minute), DurationSeconds: 2700, ParticipantsCount: 5},
		{Kind: store.ActivityCall, ZoomID: "c-" + zoomUser, StartAt: day.Add(11 * time.Hour), EndAt: day.Add(11*time.Hour + 7*time.Minute),
			DurationSeconds: 420, Direction: "inbound", CallerName: tag + " Customer Line", Device: "Zoom Phone mobile app"},
		{Kind: store.ActivityWebinar, ZoomID: "w-" + zoomUser, ZoomNumber: "91234567890", Title: tag + " product webinar",
			StartAt: day.Add(14 * time.Hour), EndAt: day.Add(15 * time.Hour), DurationSeconds: 3600},
	}
	for _, a := range acts {
		a.OrgID, a.ConnectionID, a.PersonID, a.ZoomUserID, a.Source = c.OrgID, c.ID, p.ID, zoomUser, "sync"
		if _, err := st.UpsertActivity(context.Background(), a, t0); err != nil {
			t.Fatal(err)
		}
	}
}

func bootstrap(st *store.Store, name, email string) (store.Organization, store.Person, error) {
	return web.Bootstrap(context.Background(), st, name, email, testPassword)
}
