package connect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/zoom"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

var testKey = bytes.Repeat([]byte{0x5a}, vault.KeySize)

// browser follows no redirects, so a test sees where Zoom sends it.
var browser = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func startSim(t testing.TB, o zoomsim.Options) *zoomsim.Server {
	t.Helper()
	if o.Users == 0 {
		o.Users = 12
	}
	if o.Days == 0 {
		o.Days = 1
	}
	o.AutoApprove = true
	sim, err := zoomsim.Start(o, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// spy is a real transport that also remembers every token Zoom issued and
// counts token requests by grant, so tests can look for the tokens at rest
// and count refreshes.
type spy struct {
	next    http.RoundTripper
	mu      sync.Mutex
	secrets []string
	grants  map[string]*atomic.Int64
}

func newSpy() *spy {
	return &spy{next: http.DefaultTransport, grants: map[string]*atomic.Int64{}}
}

func (s *spy) count(grant string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.grants[grant]; c != nil {
		return c.Load()
	}
	return 0
}

func (s *spy) tokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.secrets...)
}

func (s *spy) RoundTrip(r *http.Request) (*http.Response, error) {
	grant := ""
	if r.URL.Path == "/oauth/token" && r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		f, _ := url.ParseQuery(string(b))
		grant = f.Get("grant_type")
	}
	resp, err := s.next.RoundTrip(r)
	if err != nil || grant == "" {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var tok zoom.Token
	json.Unmarshal(body, &tok)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grants[grant] == nil {
		s.grants[grant] = &atomic.Int64{}
	}
	if resp.StatusCode == 200 {
		s.grants[grant].Add(1)
	}
	for _, v := range []string{tok.AccessToken, tok.RefreshToken} {
		if v != "" {
			s.secrets = append(s.secrets, v)
		}
	}
	return resp, nil
}

// logBuffer collects every log line of a test, at debug level.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// env is one organization with an admin, on a database, against an emulator.
type env struct {
	t     testing.TB
	ctx   context.Context
	st    *store.Store
	sim   *zoomsim.Server
	svc   *connect.Service
	spy   *spy
	logs  *logBuffer
	org   store.Organization
	admin store.Person
	acct  store.Account
}

func newEnv(t testing.TB, st *store.Store, sim *zoomsim.Server, slug string) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), st: st, sim: sim, spy: newSpy(), logs: &logBuffer{}}
	e.svc = e.service(st)
	var err error
	now := sim.Now()
	e.org, err = st.CreateOrganization(e.ctx, "Org "+slug, slug, now)
	must(t, err)
	e.acct, err = st.CreateAccount(e.ctx, "admin@"+slug+".example", "Admin", "", now)
	must(t, err)
	e.admin, err = st.CreatePerson(e.ctx, store.Person{OrgID: e.org.ID, Email: "admin@" + slug + ".example", Name: "Admin", Role: store.RoleAdmin}, now)
	must(t, err)
	return e
}

// browser is the admin's signed-in browser session, viewing the org.
func (e *env) browser() connect.Browser {
	return connect.Browser{Session: "session-of-" + e.acct.Email, OrgID: e.org.ID}
}

// service builds a connect.Service on st (a replica, when st is another
// handle on the same database) whose clock is the emulator's.
func (e *env) service(st *store.Store) *connect.Service {
	e.t.Helper()
	v, err := vault.New(testKey)
	must(e.t, err)
	info := e.sim.Info()
	hc := &http.Client{Transport: e.spy, Timeout: 20 * time.Second}
	svc, err := connect.New(connect.Config{
		Store: st, Vault: v, Now: e.sim.Now,
		Log:      slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OAuthURL: info.URL, APIURL: info.APIBase,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, RedirectURL: "http://127.0.0.1:1/oauth/zoom/callback",
		HTTP: hc, API: zoom.NewClient(info.APIBase, hc, nil), RetryBackoff: time.Millisecond,
	})
	must(e.t, err)
	return svc
}

// authorize plays the browser at Zoom's consent page and returns the query
// Zoom redirects back with.
func (e *env) authorize(consentURL string) url.Values {
	e.t.Helper()
	resp, err := browser.Get(consentURL)
	must(e.t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("authorize: status %d, want a redirect", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(e.t, err)
	return loc.Query()
}

// connectAccount runs the admin's account-level flow as the account owner.
func (e *env) connectAccount() store.Connection {
	e.t.Helper()
	u, err := e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
	must(e.t, err)
	c, err := e.svc.Callback(e.ctx, e.browser(), e.authorize(u))
	must(e.t, err)
	return c
}

// connectUser runs a person's own flow as the given Zoom user (a member,
// so the grant is user-level).
func (e *env) connectUser(p store.Person, zoomUser zoomsim.User) store.Connection {
	e.t.Helper()
	must(e.t, e.sim.SetAuthorizeAs(zoomUser.ID))
	defer e.sim.SetAuthorizeAs(e.sim.Users()[0].ID)
	u, err := e.svc.StartUserOAuth(e.ctx, e.browser(), p.ID, e.acct.ID)
	must(e.t, err)
	c, err := e.svc.Callback(e.ctx, e.browser(), e.authorize(u))
	must(e.t, err)
	return c
}

func (e *env) s2sCreds() connect.S2SCredentials {
	info := e.sim.Info()
	return connect.S2SCredentials{AccountID: info.AccountID, ClientID: info.S2SClientID, ClientSecret: info.S2SClientSecret, WebhookSecret: info.WebhookSecret}
}

func (e *env) connectS2S() store.Connection {
	e.t.Helper()
	c, err := e.svc.ConnectS2S(e.ctx, e.org.ID, e.acct.ID, e.s2sCreds())
	must(e.t, err)
	return c
}

// member is a Zoom user who is not an admin (a user-level installer).
func (e *env) member() zoomsim.User { return e.memberWhere(func(zoomsim.User) bool { return true }) }

// memberWhere is the first active member that ok accepts.
func (e *env) memberWhere(ok func(zoomsim.User) bool) zoomsim.User {
	for _, u := range e.sim.Users() {
		if u.Role == "member" && u.Status == "active" && ok(u) {
			return u
		}
	}
	e.t.Fatal("the emulated account has no such active member")
	return zoomsim.User{}
}

// person adds a person to the org for a Zoom user.
func (e *env) person(u zoomsim.User) store.Person {
	p, err := e.st.CreatePerson(e.ctx, store.Person{OrgID: e.org.ID, Email: u.Email, Name: u.FirstName}, e.sim.Now())
	must(e.t, err)
	return p
}

// call makes a real API call through the connection's token source: GET
// /users/me, or for Server-to-Server (no "me") the first page of users.
func (e *env) call(svc *connect.Service, c store.Connection) error {
	conn := svc.Conn(c)
	if c.Kind == store.KindS2S {
		var page zoom.UsersPage
		return conn.Get(e.ctx, "/users", url.Values{"page_size": {"1"}}, zoom.Medium, &page)
	}
	_, err := conn.Me(e.ctx)
	return err
}

func (e *env) reload(c store.Connection) store.Connection {
	e.t.Helper()
	c, err := e.st.ConnectionByID(e.ctx, c.ID)
	must(e.t, err)
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func eachDB(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		fn(t, d)
	})
}

func containsAll(t *testing.T, what, text string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Errorf("%s %q does not say %q", what, text, w)
		}
	}
}

var errNeedsReconnect = zoom.ErrNeedsReconnect

func startOpts(store.Dialect) zoomsim.Options { return zoomsim.Options{Seed: 7} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustVault(t *testing.T) *vault.Vault {
	v, err := vault.New(testKey)
	must(t, err)
	return v
}
