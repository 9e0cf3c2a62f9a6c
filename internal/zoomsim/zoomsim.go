// Package zoomsim is a Zoom emulator: an OAuth server, the REST API under /v2,
// per-account rate limits, signed webhooks and a seeded, clock-driven account,
// faithful enough that zoombridge and Zoom's own SDK can be tested against it.
package zoomsim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultStart is the sim clock's start when Options.Start is zero; it is fixed
// so that a seed reproduces the same account on every run.
var DefaultStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Options configure an emulated Zoom account and its apps.
type Options struct {
	Seed  int64
	Users int    // default 20
	Plan  string // "basic"|"pro"|"business" (account plan; Basic accounts have only Basic users)

	AccountID, ClientID, ClientSecret string // the OAuth app (user-level and account-level authorization-code flows)
	S2SClientID, S2SClientSecret      string // a Server-to-Server app on the same account (defaults derived from ClientID if empty)
	WebhookSecret, WebhookURL         string // event subscription of the OAuth app (URL may be set later)

	Days     int           // history window, default 30
	Start    time.Time     // sim clock start; zero means DefaultStart so seeds reproduce
	TokenTTL time.Duration // default 1h
	// RefreshIdle, when set, makes a refresh token expire once it has gone
	// unused this long (90 days is the figure Zoom's own plugins assume; see
	// docs/zoomsim.md); 0 keeps refresh tokens valid until rotated.
	RefreshIdle time.Duration

	// AutoApprove makes /oauth/authorize approve without a consent click, as
	// user AuthorizeAs (an ID or email; default the account owner = first user).
	AutoApprove bool
	AuthorizeAs string

	// AppLevel is how the OAuth app is installed: "user" (user-managed, must use
	// "me"), "account" (admin-managed, :admin scopes, admins only) or "auto"
	// (default: admins and the owner install account-level, members user-level).
	AppLevel string
	// RedirectURIs, when set, is the app's allow list for redirect_uri.
	RedirectURIs []string
	// NotPreApproved makes the account require Marketplace pre-approval that the
	// admin has not given: authorization and token calls fail (see docs/zoomsim.md).
	NotPreApproved bool
	// BaseURL is the public root when the server is mounted with New; Start sets it.
	BaseURL string
	// NoRateLimits turns rate limiting off (functional tests that hammer).
	NoRateLimits bool
	// WeeklyWebinars has each webinar host also host one every Tuesday and
	// Thursday, so any week of a demo shows webinars (they are rare otherwise).
	WeeklyWebinars bool
	// Speed makes the clock run by itself: 1 is real time, 60 a minute per
	// second; 0 (default) is stepped, moved only by Advance.
	Speed float64
}

// Server is one emulated Zoom: OAuth at URL()+"/oauth", REST at URL()+"/v2",
// controls at URL()+"/_sim".
type Server struct {
	opts Options
	mux  *http.ServeMux

	mu      sync.Mutex // guards all state below and in the per-concern structs
	baseURL string
	clk     clockState
	acct    *accountState
	auth    *authState
	lim     *limiter
	hooks   *hookState
	faults  *faultState
	extras  extrasState    // voicemails, SMS, whiteboards, call counts (extras.go)
	apiRand *rand.Rand     // IDs of objects created through the API, reproducible per seed
	calls   map[string]int // /v2 requests answered, by route pattern (APICalls)

	advMu sync.Mutex // serializes Advance so deliveries keep sim-time order

	ln        net.Listener
	httpSrv   *http.Server
	stopClock chan struct{}
	clockDone chan struct{}
	closeOnce sync.Once
}

func (o *Options) applyDefaults() error {
	if o.Users == 0 {
		o.Users = 20
	}
	if o.Users < 1 || o.Users > 5000 {
		return fmt.Errorf("zoomsim: Users must be 1..5000, got %d", o.Users)
	}
	o.Plan = strings.ToLower(o.Plan)
	if o.Plan == "" {
		o.Plan = "pro"
	}
	if o.Plan != "basic" && o.Plan != "pro" && o.Plan != "business" {
		return fmt.Errorf("zoomsim: Plan must be basic, pro or business, got %q", o.Plan)
	}
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.AccountID, "zoomsim-account")
	def(&o.ClientID, "zoomsim-client")
	def(&o.ClientSecret, "zoomsim-secret")
	def(&o.S2SClientID, o.ClientID+"-s2s")
	def(&o.S2SClientSecret, o.ClientSecret+"-s2s")
	def(&o.WebhookSecret, "zoomsim-webhook-secret")
	def(&o.AppLevel, "auto")
	if o.AppLevel != "auto" && o.AppLevel != "user" && o.AppLevel != "account" {
		return fmt.Errorf("zoomsim: AppLevel must be auto, user or account, got %q", o.AppLevel)
	}
	if o.S2SClientID == o.ClientID {
		return errors.New("zoomsim: S2SClientID must differ from ClientID")
	}
	if o.Days == 0 {
		o.Days = 30
	}
	if o.Days < 1 || o.Days > 180 {
		return fmt.Errorf("zoomsim: Days must be 1..180, got %d", o.Days)
	}
	if o.Start.IsZero() {
		o.Start = DefaultStart
	}
	o.Start = o.Start.UTC().Truncate(time.Second)
	if o.TokenTTL == 0 {
		o.TokenTTL = time.Hour
	}
	if o.TokenTTL < time.Second {
		return errors.New("zoomsim: TokenTTL must be at least a second")
	}
	if o.Speed < 0 {
		return errors.New("zoomsim: Speed must not be negative")
	}
	return nil
}

// New builds the emulator without listening; mount it with ServeHTTP and set
// Options.BaseURL (or SetBaseURL) so the URLs it hands out point at it.
func New(opts Options) (*Server, error) {
	if err := opts.applyDefaults(); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, baseURL: strings.TrimRight(opts.BaseURL, "/")}
	s.clk = newClock(opts.Start)
	s.apiRand = rand.New(rand.NewPCG(uint64(opts.Seed), 0xA91))
	s.auth = newAuthState(&s.opts)
	s.lim = newLimiter(opts.Plan)
	s.lim.off = opts.NoRateLimits
	s.faults = newFaultState(opts.Seed)
	s.hooks = newHookState(opts.WebhookURL, opts.WebhookSecret)
	if opts.WebhookURL != "" {
		// A URL given in Options counts as validated when it was saved, before
		// the clock started; the 72-hour revalidation runs from there.
		s.hooks.validatedAt = opts.Start
	}
	s.acct = generateAccount(&s.opts)
	s.acct.generateThrough(s.horizonDay())
	s.mux = s.routes()
	if opts.Speed > 0 {
		s.SetSpeed(opts.Speed)
	}
	return s, nil
}

// Start builds the emulator and serves it on addr ("127.0.0.1:0" picks a port).
func Start(opts Options, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("zoomsim: listen %s: %w", addr, err)
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "http://" + ln.Addr().String()
	}
	s, err := New(opts)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.httpSrv.Serve(ln) //nolint:errcheck // Serve returns ErrServerClosed on Close
	return s, nil
}

// ServeHTTP serves OAuth, /v2, downloads and /_sim controls.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// URL is the root: OAuth at URL()+"/oauth/...", REST at URL()+"/v2".
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// SetBaseURL tells a mounted (New) server where it is reachable.
func (s *Server) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimRight(u, "/")
}

// Options returns the effective options (defaults filled in).
func (s *Server) Options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

// Close stops the clock and the listener; it is safe to call twice.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.SetSpeed(0)
		if s.httpSrv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			err = s.httpSrv.Shutdown(ctx)
			if errors.Is(err, context.DeadlineExceeded) {
				err = s.httpSrv.Close()
			}
		}
		s.hooks.client.CloseIdleConnections()
	})
	return err
}

// Now is the sim clock's current time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clk.now
}

// Users lists the account's users that are not deleted, in creation order.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []User
	for _, u := range s.acct.users {
		if !u.Deleted && !u.CreatedAt.After(s.clk.now) {
			out = append(out, u.User)
		}
	}
	return out
}
