package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// Shared by the scale benchmarks (bench timeline, visible, accounts,
// backfill): a real server on SQLite in a temporary directory or on the
// PostgreSQL database given, an organization of generated people, and ways
// in through the web app and the REST API as a user would come.

// benchConfig is the configuration of a benchmark's server.
func benchConfig(env []string, dir, dbURL string, more ...string) (config.Config, error) {
	return config.Load(append(append(env, "ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR="+dir, "ZOOMBRIDGE_DATABASE_URL="+dbURL,
		"ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET="+benchSecret, "ZOOMBRIDGE_ENCRYPTION_KEY="+strings.Repeat("ab", 32)), more...))
}

// openBenchServer opens (but does not start) a server; done removes it.
func openBenchServer(ctx context.Context, env []string, dbURL string, stderr io.Writer, more ...string) (srv *server.Server, done func(), err error) {
	dir, err := os.MkdirTemp("", "zoombridge-bench-")
	if err != nil {
		return nil, nil, err
	}
	cfg, err := benchConfig(env, dir, dbURL, more...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	srv, err = server.Open(ctx, cfg, server.Options{Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return srv, func() { srv.Shutdown(context.WithoutCancel(ctx)); os.RemoveAll(dir) }, nil
}

// benchOrg is a generated organization: people in teams of ten, each with a
// Zoom user on one account-level connection, and an Owner who signs in.
type benchOrg struct {
	org      store.Organization
	conn     store.Connection
	people   []store.Person
	zoomIDs  []string // zoom user id of people[i]
	teams    []string
	email    string
	password string
}

const benchTeamSize = 10

func seedBenchOrg(ctx context.Context, st *store.Store, n int, account string) (*benchOrg, error) {
	now := time.Now()
	o := &benchOrg{email: "owner@" + account + ".example", password: "bench-" + account}
	var err error
	if o.org, err = st.CreateOrganization(ctx, "Bench "+account, account, now); err != nil {
		return nil, err
	}
	hash, err := web.HashPassword(o.password)
	if err != nil {
		return nil, err
	}
	acct, err := st.CreateAccount(ctx, o.email, "Owner", hash, now)
	if err != nil {
		return nil, err
	}
	if _, err := st.CreatePerson(ctx, store.Person{OrgID: o.org.ID, AccountID: acct.ID, Email: o.email, Name: "Owner", Role: store.RoleOwner}, now); err != nil {
		return nil, err
	}
	if o.conn, err = st.CreateConnection(ctx, store.Connection{OrgID: o.org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: account}, now); err != nil {
		return nil, err
	}
	for i := range n {
		team := fmt.Sprintf("Team %03d", i/benchTeamSize)
		if i%benchTeamSize == 0 {
			o.teams = append(o.teams, team)
		}
		email := fmt.Sprintf("p%05d@%s.example", i, account)
		p, err := st.CreatePerson(ctx, store.Person{OrgID: o.org.ID, Email: email, Name: fmt.Sprintf("Person %05d", i), Team: team, Role: store.RoleMember}, now)
		if err != nil {
			return nil, err
		}
		zid := fmt.Sprintf("zu%05d%s", i, account)
		if _, err := st.UpsertZoomUser(ctx, store.ZoomUser{OrgID: o.org.ID, ConnectionID: o.conn.ID, ZoomUserID: zid, Email: email}, now); err != nil {
			return nil, err
		}
		o.people, o.zoomIDs = append(o.people, p), append(o.zoomIDs, zid)
	}
	return o, nil
}

// signIn signs the Owner in through the web app's form, as a browser does.
func (o *benchOrg) signIn(base string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute}
	resp, err := c.Get(base + "/signin")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("sign-in page without a CSRF token (status %d)", resp.StatusCode)
	}
	resp, err = c.PostForm(base+"/signin", url.Values{"email": {o.email}, "password": {o.password}, "csrf": {string(m[1])}, "next": {"/"}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sign-in: status %d", resp.StatusCode)
	}
	return c, nil
}

// apiKey creates a REST API key of the organization, as its Owner would.
func (o *benchOrg) apiKey(ctx context.Context, st *store.Store) (string, error) {
	k, err := api.NewKeys(st, nil).Create(ctx, people.Actor{OrgID: o.org.ID, Name: "bench", Role: store.RoleOwner}, "bench")
	return k.Plaintext, err
}

// pace sends new events at rate per second until stop is closed, from 64
// senders, and counts them; a late sender skips ahead rather than bursting.
func (g *loadGen) pace(url string, rate int, stop <-chan struct{}) (sent, failed *atomic.Int64) {
	sent, failed = &atomic.Int64{}, &atomic.Int64{}
	if rate <= 0 {
		return sent, failed
	}
	tick := time.NewTicker(time.Second / time.Duration(rate))
	due := make(chan struct{}, 256)
	go func() {
		defer tick.Stop()
		defer close(due)
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				select {
				case due <- struct{}{}:
				default: // every sender busy: the server is past this rate
				}
			}
		}
	}()
	for range 64 {
		go func() {
			for range due {
				if !g.send(url) {
					failed.Add(1)
				}
				sent.Add(1)
			}
		}()
	}
	return sent, failed
}

// timings collects durations from several goroutines and reports quantiles.
type timings struct {
	mu  sync.Mutex
	all []time.Duration
}

func (t *timings) add(d time.Duration) {
	t.mu.Lock()
	t.all = append(t.all, d)
	t.mu.Unlock()
}

func (t *timings) summary() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.all) == 0 {
		return "no samples"
	}
	sort.Slice(t.all, func(i, j int) bool { return t.all[i] < t.all[j] })
	q := func(p float64) float64 { return ms(t.all[int(p*float64(len(t.all)-1))]) }
	return fmt.Sprintf("p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)", q(0.5), q(0.99), q(1), len(t.all))
}
