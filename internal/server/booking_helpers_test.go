package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// bookingWorld is a running zoombridge on a real database, connected to the
// emulator over HTTP by a Server-to-Server app, with one host whose booking
// link has a 30-minute meeting type, and an API key.
type bookingWorld struct {
	t      *testing.T
	ctx    context.Context
	sim    *zoomsim.Server
	srv    *Server
	org    store.Organization
	host   store.Person
	zoomID string // the host's Zoom user id
	slug   string
	key    string
	conn   store.Connection
	events <-chan *river.Event // every job completed or failed
}

// worldStart is a Monday morning in New York; the emulator's clock starts there.
var worldStart = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

func newBookingWorld(t *testing.T, d store.Dialect, tweak func(*config.Config)) *bookingWorld {
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
	cfg := testConfig(t, url)
	cfg.ZoomAPIURL, cfg.ZoomOAuthURL = sim.URL()+"/v2", sim.URL()
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := Open(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: sim.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	w := &bookingWorld{t: t, ctx: context.Background(), sim: sim, srv: srv}
	events, cancel := srv.Jobs.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	t.Cleanup(cancel)
	w.events = events
	w.org, err = srv.Store.CreateOrganization(w.ctx, "Acme", "acme", sim.Now())
	must(t, err)
	dir := people.New(srv.Store, sim.Now)
	u := sim.Users()[1]
	w.zoomID = u.ID
	w.host, err = dir.Add(w.ctx, people.System(w.org.ID), people.Input{Email: u.Email, Name: "Hana Host", Role: store.RoleOwner})
	must(t, err)
	o := sim.Options()
	w.conn, err = srv.Connect.ConnectS2S(w.ctx, w.org.ID, 0, connect.S2SCredentials{AccountID: o.AccountID, ClientID: o.S2SClientID, ClientSecret: o.S2SClientSecret})
	must(t, err)
	// The sync maps Zoom users to people; map the host now rather than wait for it.
	_, err = srv.Store.UpsertZoomUser(w.ctx, store.ZoomUser{OrgID: w.org.ID, ConnectionID: w.conn.ID, ZoomUserID: u.ID, Email: u.Email, Status: "active"}, sim.Now())
	must(t, err)
	svc := srv.bookingService()
	prof, err := svc.Profile(w.ctx, w.host, "America/New_York")
	must(t, err)
	w.slug = prof.Slug
	_, err = svc.SaveType(w.ctx, store.BookingType{OrgID: w.org.ID, PersonID: w.host.ID, Slug: "intro", Name: "Intro call",
		DurationMin: 30, WindowDays: 14, Active: true})
	must(t, err)
	nk, err := api.NewKeys(srv.Store, sim.Now).Create(w.ctx, people.ActorOf(w.host), "booking tests")
	must(t, err)
	w.key = nk.Plaintext
	return w
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// call sends a JSON request to the API and decodes the answer into out.
func (w *bookingWorld) call(method, path string, body, out any) int {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, w.srv.URL()+path, rd)
	req.Header.Set("Authorization", "Bearer "+w.key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Error(err)
		return 0
	}
	defer res.Body.Close()
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

// addType adds a meeting type to the host's link.
func (w *bookingWorld) addType(slug string, minutes int) {
	_, err := w.srv.bookingService().SaveType(w.ctx, store.BookingType{OrgID: w.org.ID, PersonID: w.host.ID, Slug: slug,
		Name: slug, DurationMin: minutes, WindowDays: 14, Active: true})
	must(w.t, err)
}

// waitBooking waits until ok holds for the booking, looking again each time a
// job finishes, within a deadline.
func (w *bookingWorld) waitBooking(id int64, what string, ok func(store.Booking) bool) store.Booking {
	w.t.Helper()
	deadline := time.After(45 * time.Second)
	for {
		b, err := w.srv.Store.BookingByID(w.ctx, id)
		must(w.t, err)
		if ok(b) {
			return b
		}
		select {
		case <-w.events:
		case <-deadline:
			w.t.Fatalf("booking %d: %s did not happen within 45s: %+v", id, what, b)
		}
	}
}
