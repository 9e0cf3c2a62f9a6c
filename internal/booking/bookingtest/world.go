// Package bookingtest starts a whole zoombridge for booking tests: a real
// database, the emulator over HTTP, a connected organization and a host
// with a booking link.
package bookingtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoom"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// bookingWorld is a running zoombridge on a real database, connected to the
// emulator over HTTP by a Server-to-Server app, with one host whose booking
// link has a 30-minute meeting type, and an API key.
type World struct {
	T      testing.TB
	Ctx    context.Context
	Sim    *zoomsim.Server
	Srv    *server.Server
	Org    store.Organization
	Host   store.Person
	ZoomID string // the host's Zoom user id
	Slug   string
	Key    string
	Conn   store.Connection
	Events <-chan *river.Event // every job completed or failed
}

// worldStart is a Monday morning in New York; the emulator's clock starts there.
var worldStart = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

// NewWorld starts it on dialect d; tweak may change the configuration.
func NewWorld(t testing.TB, d store.Dialect, tweak func(*config.Config)) *World {
	t.Helper()
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 14, Users: 4, Plan: "business", Start: worldStart, NoRateLimits: true}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	url := ""
	if d == store.Postgres {
		url = testdb.NewPostgresURL(t)
	}
	cfg := Config(t, url)
	cfg.ZoomAPIURL, cfg.ZoomOAuthURL = sim.URL()+"/v2", sim.URL()
	if tweak != nil {
		tweak(&cfg)
	}
	logTo := io.Discard
	if os.Getenv("ZOOMBRIDGE_TEST_LOG") == "1" {
		logTo = os.Stderr
	}
	srv, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(logTo, nil)), Now: sim.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	w := &World{T: t, Ctx: context.Background(), Sim: sim, Srv: srv}
	events, cancel := srv.Jobs.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	t.Cleanup(cancel)
	w.Events = events
	w.Org, err = srv.Store.CreateOrganization(w.Ctx, "Acme", "acme", sim.Now())
	Must(t, err)
	dir := people.New(srv.Store, sim.Now)
	u := sim.Users()[1]
	w.ZoomID = u.ID
	w.Host, err = dir.Add(w.Ctx, people.System(w.Org.ID), people.Input{Email: u.Email, Name: "Hana Host", Role: store.RoleOwner})
	Must(t, err)
	o := sim.Options()
	w.Conn, err = srv.Connect.ConnectS2S(w.Ctx, w.Org.ID, 0, connect.S2SCredentials{AccountID: o.AccountID, ClientID: o.S2SClientID, ClientSecret: o.S2SClientSecret})
	Must(t, err)
	// The sync maps Zoom users to people; map the host now rather than wait for it.
	_, err = srv.Store.UpsertZoomUser(w.Ctx, store.ZoomUser{OrgID: w.Org.ID, ConnectionID: w.Conn.ID, ZoomUserID: u.ID, Email: u.Email, Status: "active"}, sim.Now())
	Must(t, err)
	svc := srv.Booking
	prof, err := svc.Profile(w.Ctx, w.Host, "America/New_York")
	Must(t, err)
	w.Slug = prof.Slug
	// Read the host's upcoming meetings now, so busy time is fresh before the
	// test starts (the emulator's clock stands still unless a test moves it).
	Must(t, svc.RefreshUpcoming(w.Ctx, w.Host))
	_, err = svc.SaveType(w.Ctx, store.BookingType{OrgID: w.Org.ID, PersonID: w.Host.ID, Slug: "intro", Name: "Intro call",
		DurationMin: 30, WindowDays: 14, Active: true})
	Must(t, err)
	nk, err := api.NewKeys(srv.Store, sim.Now).Create(w.Ctx, people.ActorOf(w.Host), "booking tests", api.ScopeRead, api.ScopeWrite)
	Must(t, err)
	w.Key = nk.Plaintext
	return w
}

func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Call sends a JSON request to the API and decodes the answer into out.
func (w *World) Call(method, path string, body, out any) int {
	w.T.Helper()
	st, _ := w.CallWith(method, path, nil, body, out)
	return st
}

// CallWith is Call with extra request headers; it also returns the
// answer's headers.
func (w *World) CallWith(method, path string, headers http.Header, body, out any) (int, http.Header) {
	w.T.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, w.Srv.URL()+path, rd)
	for k, vs := range headers {
		req.Header[k] = vs
	}
	req.Header.Set("Authorization", "Bearer "+w.Key)
	req.Header.Set("Content-Type", "application/json")
	res, err := contracttest.Client(w.T).Do(req)
	if err != nil {
		w.T.Error(err)
		return 0, nil
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil && res.StatusCode != http.StatusNoContent {
			w.T.Errorf("%s %s: answer is not JSON: %v", method, path, err)
		}
	}
	return res.StatusCode, res.Header
}

// AddType adds a meeting type to the host's link.
func (w *World) AddType(slug string, minutes int) {
	_, err := w.Srv.Booking.SaveType(w.Ctx, store.BookingType{OrgID: w.Org.ID, PersonID: w.Host.ID, Slug: slug,
		Name: slug, DurationMin: minutes, WindowDays: 14, Active: true})
	Must(w.T, err)
}

// WaitBooking waits until ok holds for the booking, looking again each time a
// job finishes, within a deadline.
func (w *World) WaitBooking(id int64, what string, ok func(store.Booking) bool) store.Booking {
	w.T.Helper()
	deadline := time.After(45 * time.Second)
	for {
		b, err := w.Srv.Store.BookingByID(w.Ctx, id)
		Must(w.T, err)
		if ok(b) {
			return b
		}
		select {
		case <-w.Events:
		case <-deadline:
			w.T.Fatalf("booking %d: %s did not happen within 45s: %+v", id, what, b)
		}
	}
}

// Config is a test server's configuration: loopback on any port, a fresh
// data dir, a fixed key, and the database at dbURL (SQLite when empty).
func Config(t testing.TB, dbURL string) config.Config {
	cfg, err := config.Load([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir(), "ZOOMBRIDGE_DATABASE_URL=" + dbURL,
		"ZOOMBRIDGE_ENCRYPTION_KEY=" + strings.Repeat("ab", 32)})
	Must(t, err)
	cfg.ShutdownTimeout = 2 * time.Second
	return cfg
}

// staticToken is a token the test got itself, as another Zoom app would.
type staticToken string

func (s staticToken) AccessToken(context.Context) (string, error) { return string(s), nil }
func (staticToken) TokenRejected(context.Context, string)         {}

// MeetingElsewhere makes a meeting on the host's Zoom account the way
// another app would (its own Server-to-Server token, straight to the
// emulator), so zoombridge only learns of it by reading Zoom.
func (w *World) MeetingElsewhere(topic string, start time.Time, minutes int) zoom.Meeting {
	w.T.Helper()
	o := w.Sim.Options()
	app := &zoom.OAuthApp{BaseURL: w.Sim.URL(), ClientID: o.S2SClientID, ClientSecret: o.S2SClientSecret}
	tok, err := app.AccountCredentials(w.Ctx, o.AccountID)
	Must(w.T, err)
	c := zoom.NewClient(w.Sim.URL()+"/v2", nil, nil).For(staticToken(tok.AccessToken), o.AccountID)
	m, err := c.CreateMeeting(w.Ctx, w.ZoomID, zoom.MeetingRequest{Topic: topic, Start: start, Duration: time.Duration(minutes) * time.Minute})
	Must(w.T, err)
	return m
}

// OnlyBooking is the host's one booking; the test fails on any other count.
func (w *World) OnlyBooking() store.Booking {
	w.T.Helper()
	list, err := w.Srv.Store.OrgBookings(w.Ctx, w.Org.ID, w.Host.ID, w.Sim.Now().Add(-24*time.Hour), w.Sim.Now().AddDate(0, 2, 0))
	Must(w.T, err)
	if len(list) != 1 {
		w.T.Fatalf("%d bookings, want 1: %+v", len(list), list)
	}
	return list[0]
}

// WaitJob waits until a job of kind reaches an event of ek (a failed attempt,
// a completion), within a deadline.
func (w *World) WaitJob(kind string, ek river.EventKind) {
	w.T.Helper()
	deadline := time.After(45 * time.Second)
	for {
		select {
		case ev := <-w.Events:
			if ev.Job.Kind == kind && ev.Kind == ek {
				return
			}
		case <-deadline:
			w.T.Fatalf("no %s job reached %s within 45s", kind, ek)
		}
	}
}

// Person adds someone to the organization with a booking link of one
// 30-minute type, "intro", and no Zoom user.
func (w *World) Person(name, email string) (store.Person, string) {
	w.T.Helper()
	p, err := people.New(w.Srv.Store, w.Sim.Now).Add(w.Ctx, people.System(w.Org.ID), people.Input{Email: email, Name: name})
	Must(w.T, err)
	prof, err := w.Srv.Booking.Profile(w.Ctx, p, "Europe/Berlin")
	Must(w.T, err)
	_, err = w.Srv.Booking.SaveType(w.Ctx, store.BookingType{OrgID: w.Org.ID, PersonID: p.ID, Slug: "intro", Name: "Intro call",
		DurationMin: 30, WindowDays: 14, Active: true})
	Must(w.T, err)
	return p, prof.Slug
}

// Get fetches a page with jar's cookies and returns its status and body.
func (w *World) Get(c *http.Client, path string) (int, string) {
	w.T.Helper()
	res, err := c.Get(w.Srv.URL() + path)
	Must(w.T, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
