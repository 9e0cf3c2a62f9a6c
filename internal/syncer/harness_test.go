package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/syncer"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoom"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// env is one emulated Zoom account connected to one organization: the
// emulator over loopback HTTP, a real database, and a Syncer on the
// emulator's clock.
type env struct {
	t      testing.TB
	ctx    context.Context
	sim    *zoomsim.Server
	st     *store.Store
	org    store.Organization
	conn   store.Connection
	lim    *zoom.RateLimiter
	calls  *countingLimiter
	client *zoom.Client
	hc     *countingTransport
	sy     *syncer.Syncer

	unmapped map[string]bool  // Zoom users no person has the email of
	off      map[string]bool  // Zoom users whose person has the Zoom service off
	person   map[string]int64 // Zoom user id -> person id, for the mapped ones

	// webinarReport: the connection may read GET /report/webinars/{id}, the only
	// source of a past webinar's end, duration and attendance. Reports have only
	// :admin scopes, so a per-person connection leaves them to webinar.ended.
	webinarReport bool
	skew          atomic.Int64 // added to the emulator's clock for the syncer, to tell passes' writes apart
}

type envOpts struct {
	users int
	plan  string // zoomsim plan: "pro" or "business"
	seed  int64
	// every n-th user (from 3) gets no person, every m-th (from 4) has the service off; 0: none
	unmapEvery, offEvery int
	perPerson            bool // a per-person (user-level OAuth) connection of the account owner
	cfg                  syncer.Config
}

func newEnv(t testing.TB, d store.Dialect, o envOpts) *env {
	t.Helper()
	// AutoApprove: a personal connection (perPerson, or beside the
	// account-level one) is authorized by the owner without a consent page.
	so := zoomsim.Options{Seed: o.seed, Users: o.users, Plan: o.plan, AccountID: "acct-" + o.plan, AutoApprove: true}
	if o.perPerson {
		so.AppLevel = "user" // the owner installs the app for themself
	}
	sim, err := zoomsim.Start(so, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	e := &env{t: t, ctx: context.Background(), sim: sim, st: testdb.Open(t, d),
		unmapped: map[string]bool{}, off: map[string]bool{}, person: map[string]int64{},
		webinarReport: !o.perPerson}
	now := sim.Now()
	e.org, err = e.st.CreateOrganization(e.ctx, "Acme", "acme", now)
	must(t, err)
	for i, u := range sim.Users() {
		switch {
		case o.unmapEvery > 0 && i >= 3 && (i-3)%o.unmapEvery == 0:
			e.unmapped[u.ID] = true
			continue
		}
		// People's emails differ in case and spacing from Zoom's: mapping normalizes.
		p, err := e.st.CreatePerson(e.ctx, store.Person{OrgID: e.org.ID, Email: "  " + upperFirst(u.Email), Name: u.FirstName + " " + u.LastName}, now)
		must(t, err)
		if o.offEvery > 0 && i >= 4 && (i-4)%o.offEvery == 0 {
			p.ZoomEnabled = false
			must(t, e.st.UpdatePerson(e.ctx, p, now))
			e.off[u.ID] = true
		}
		e.person[u.ID] = p.ID
	}
	// Someone in the directory with no Zoom user at all.
	_, err = e.st.CreatePerson(e.ctx, store.Person{OrgID: e.org.ID, Email: "contractor@elsewhere.example", Name: "Contractor"}, now)
	must(t, err)
	kind := store.KindS2S
	if o.perPerson {
		kind = store.KindUserOAuth
	}
	e.conn, err = e.st.CreateConnection(e.ctx, store.Connection{OrgID: e.org.ID, Kind: kind, ZoomAccountID: sim.Options().AccountID}, now)
	must(t, err)
	plan := zoom.PlanPro
	if o.plan == "business" {
		plan = zoom.PlanBusiness
	}
	e.lim = zoom.NewRateLimiter(zoom.NewMemoryBudget(), plan)
	e.hc = &countingTransport{base: http.DefaultTransport}
	hc := zoom.NewHTTPClient()
	e.hc.base, hc.Transport = hc.Transport, e.hc
	e.calls = &countingLimiter{Limiter: e.lim, n: map[zoom.Category]int{}}
	e.client = zoom.NewClient(sim.URL()+"/v2", hc, e.calls)
	opts := sim.Options()
	var ts zoom.TokenSource = &s2sTokens{app: &zoom.OAuthApp{BaseURL: sim.URL(), ClientID: opts.S2SClientID, ClientSecret: opts.S2SClientSecret}, account: opts.AccountID, now: sim.Now}
	if o.perPerson {
		ts = userTokens(t, sim)
	}
	cfg := o.cfg
	cfg.Store, cfg.Now = e.st, func() time.Time { return sim.Now().Add(time.Duration(e.skew.Load())) }
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var own zoom.TokenSource // a personal connection beside the account-level one (addPersonal)
	cfg.Conn = func(c store.Connection) *zoom.Conn {
		if c.ID != e.conn.ID && c.Kind == store.KindUserOAuth {
			if own == nil {
				own = userTokens(t, sim)
			}
			return e.client.For(own, c.ZoomAccountID)
		}
		return e.client.For(ts, c.ZoomAccountID)
	}
	e.sy, err = syncer.New(cfg)
	must(t, err)
	if n := len(sim.Users()); n != o.users {
		t.Fatalf("the emulator has %d users, want %d", n, o.users)
	}
	return e
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// runPass runs the connection's pass to its end, waiting out snoozes.
func (e *env) runPass(ctx context.Context, hint string) store.SyncPass {
	e.t.Helper()
	return e.runPassOf(ctx, e.conn.ID, hint)
}

// runPassOf runs a pass of any of the organization's connections to its end.
func (e *env) runPassOf(ctx context.Context, connID int64, hint string) store.SyncPass {
	e.t.Helper()
	for range 200 {
		out, err := e.sy.Run(ctx, connID, hint)
		must(e.t, err)
		if out.Done {
			return out.Pass
		}
		wait(ctx, time.Until(out.RetryAt))
	}
	e.t.Fatal("pass did not finish in 200 runs")
	return store.SyncPass{}
}

// wait sleeps out a snooze (real time: the emulator's rate-limit windows are real).
func wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// synced is whether a Zoom user's activity should be ingested.
func (e *env) synced(zoomUserID string) bool {
	return !e.unmapped[zoomUserID] && !e.off[zoomUserID]
}

// key identifies an activity by the shared data rule.
type key struct{ kind, zoomID, user string }

func (e *env) stored() map[key]store.Activity {
	e.t.Helper()
	acts, err := e.st.ConnectionActivities(e.ctx, e.conn.ID)
	must(e.t, err)
	out := map[key]store.Activity{}
	for _, a := range acts {
		k := key{a.Kind, a.ZoomID, a.ZoomUserID}
		if _, dup := out[k]; dup {
			e.t.Fatalf("duplicate activity %+v", k)
		}
		out[k] = a
	}
	return out
}

// expected is the emulator's ground truth for the pass window, as activities.
func (e *env) expected(from time.Time, kinds ...string) map[key]store.Activity {
	tr := e.sim.Truth()
	day := from.UTC().Truncate(24 * time.Hour)
	synced := e.synced
	want := map[key]store.Activity{}
	has := func(k string) bool {
		for _, x := range kinds {
			if x == k {
				return true
			}
		}
		return len(kinds) == 0
	}
	for _, m := range tr.Meetings {
		if has(store.ActivityMeeting) && synced(m.HostID) && !m.Start.Before(day) {
			want[key{store.ActivityMeeting, m.UUID, m.HostID}] = store.Activity{PersonID: e.person[m.HostID], ZoomNumber: fmt.Sprint(m.ID),
				Title: m.Topic, StartAt: m.Start, EndAt: m.End, DurationSeconds: int(m.End.Sub(m.Start) / time.Second), ParticipantsCount: m.ParticipantsCount}
		}
	}
	for _, w := range tr.Webinars {
		if has(store.ActivityWebinar) && synced(w.HostID) && !w.Start.Before(day) {
			a := store.Activity{PersonID: e.person[w.HostID], ZoomNumber: fmt.Sprint(w.ID), Title: w.Topic, StartAt: w.Start}
			if e.webinarReport {
				a.EndAt, a.DurationSeconds, a.ParticipantsCount = w.End, int(w.End.Sub(w.Start)/time.Second), w.ParticipantsCount
			}
			want[key{store.ActivityWebinar, w.UUID, w.HostID}] = a
		}
	}
	for _, c := range tr.Calls {
		if has(store.ActivityCall) && synced(c.UserID) && !c.Start.Before(day) {
			// An outbound call names whom it reached: Zoom's callee name, else number.
			callee := ""
			if c.Direction == "outbound" {
				callee = c.CalleeName
				if callee == "" {
					callee = c.CalleeNumber
				}
			}
			want[key{store.ActivityCall, c.CallID, c.UserID}] = store.Activity{PersonID: e.person[c.UserID], StartAt: c.Start, EndAt: c.End,
				DurationSeconds: int(c.End.Sub(c.Start) / time.Second), Direction: c.Direction, CallerName: c.CallerName, Callee: callee, Device: c.Device}
		}
	}
	return want
}

// compare checks stored activities against expectations, count and field by field.
func (e *env) compare(want, got map[key]store.Activity) {
	e.t.Helper()
	var missing, extra, wrong []string
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			missing = append(missing, fmt.Sprint(k))
			continue
		}
		if d := diff(w, g); d != "" {
			wrong = append(wrong, fmt.Sprintf("%v: %s", k, d))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, fmt.Sprint(k))
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	sort.Strings(wrong)
	if len(missing)+len(extra)+len(wrong) > 0 {
		e.t.Fatalf("activities differ from the emulator's truth: %d missing %v, %d extra %v, %d wrong %v",
			len(missing), head(missing), len(extra), head(extra), len(wrong), head(wrong))
	}
}

func head(xs []string) []string {
	if len(xs) > 5 {
		return xs[:5]
	}
	return xs
}

func diff(w, g store.Activity) string {
	var out string
	chk := func(name string, a, b any) {
		if a != b {
			out += fmt.Sprintf(" %s: want %v got %v;", name, a, b)
		}
	}
	chk("person", w.PersonID, g.PersonID)
	chk("number", w.ZoomNumber, g.ZoomNumber)
	chk("title", w.Title, g.Title)
	chk("start", w.StartAt.UTC(), g.StartAt.UTC())
	chk("end", w.EndAt.UTC(), g.EndAt.UTC())
	chk("duration", w.DurationSeconds, g.DurationSeconds)
	chk("participants", w.ParticipantsCount, g.ParticipantsCount)
	chk("direction", w.Direction, g.Direction)
	chk("caller_name", w.CallerName, g.CallerName)
	chk("callee", w.Callee, g.Callee)
	chk("device", w.Device, g.Device)
	return out
}

// countingLimiter counts the calls of each rate-limit category.
type countingLimiter struct {
	zoom.Limiter
	mu sync.Mutex
	n  map[zoom.Category]int
}

func (c *countingLimiter) Wait(ctx context.Context, account string, cat zoom.Category) error {
	c.mu.Lock()
	c.n[cat]++
	c.mu.Unlock()
	return c.Limiter.Wait(ctx, account, cat)
}

// minimum is the least time Zoom's limits on plan allow for the counted calls:
// buckets run side by side, each call after the first one interval apart.
func (c *countingLimiter) minimum(plan zoom.Plan) (time.Duration, map[zoom.Category]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var bound time.Duration
	counts := map[zoom.Category]int{}
	for cat, n := range c.n {
		counts[cat] = n
		bound = max(bound, time.Duration(n-1)*zoom.RuleFor(plan, cat).Interval(1))
	}
	return bound, counts
}

// s2sTokens is a test-only token source: the emulator's account_credentials
// grant, cached until near expiry. Production uses connect's token source.
type s2sTokens struct {
	app     *zoom.OAuthApp
	account string
	now     func() time.Time
	mu      sync.Mutex
	tok     string
	exp     time.Time
}

func (s *s2sTokens) AccessToken(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != "" && s.now().Add(time.Minute).Before(s.exp) {
		return s.tok, nil
	}
	t, err := s.app.AccountCredentials(ctx, s.account)
	if err != nil {
		return "", err
	}
	s.tok, s.exp = t.AccessToken, t.Expiry(s.now())
	return s.tok, nil
}

func (s *s2sTokens) TokenRejected(_ context.Context, tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == tok {
		s.tok = ""
	}
}

// userTokens is a test-only token source for a per-person connection: the
// authorization-code flow against the emulator (auto-approved as the owner),
// then refreshes. Production uses connect's token source.
func userTokens(t testing.TB, sim *zoomsim.Server) zoom.TokenSource {
	o := sim.Options()
	app := &zoom.OAuthApp{BaseURL: sim.URL(), ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: "http://127.0.0.1/callback"}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(app.AuthCodeURL("state", ""))
	must(t, err)
	resp.Body.Close()
	loc, err := resp.Location()
	must(t, err)
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("authorize redirected to %s", loc)
	}
	tok, err := app.Exchange(context.Background(), code, "")
	must(t, err)
	return &refreshingTokens{app: app, tok: tok, exp: tok.Expiry(sim.Now()), now: sim.Now}
}

type refreshingTokens struct {
	app *zoom.OAuthApp
	now func() time.Time
	mu  sync.Mutex
	tok zoom.Token
	exp time.Time
}

func (r *refreshingTokens) AccessToken(ctx context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.now().Add(time.Minute).Before(r.exp) {
		return r.tok.AccessToken, nil
	}
	t, err := r.app.Refresh(ctx, r.tok.RefreshToken)
	if err != nil {
		return "", err
	}
	r.tok, r.exp = t, t.Expiry(r.now())
	return t.AccessToken, nil
}

func (r *refreshingTokens) TokenRejected(context.Context, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exp = time.Time{}
}

// countingTransport counts requests to the REST API and can cut the
// connection off after a number of them (a process killed mid-pass).
type countingTransport struct {
	base     http.RoundTripper
	n        atomic.Int64
	killAt   atomic.Int64
	onKill   func()
	killOnce sync.Once
	mu       sync.Mutex
	paths    []string
}

// since returns the paths requested after the n-th request.
func (c *countingTransport) since(n int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.paths[min(n, len(c.paths)):]...)
}

func (c *countingTransport) seen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.paths)
}

var errKilled = errors.New("killed")

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	n := c.n.Add(1)
	c.mu.Lock()
	c.paths = append(c.paths, r.URL.Path)
	c.mu.Unlock()
	if k := c.killAt.Load(); k > 0 && n >= k {
		c.killOnce.Do(c.onKill)
		return nil, errKilled
	}
	return c.base.RoundTrip(r)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
