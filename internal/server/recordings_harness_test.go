package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// recRun is one emulated Zoom account connected through a Server-to-Server
// app to one zoombridge server whose clock is the emulator's; the app's
// events go to the organization's webhook endpoint.
type recRun struct {
	t      *testing.T
	sim    *zoomsim.Server
	srv    *Server
	org    store.Organization
	conn   store.Connection
	people map[string]store.Person // by Zoom user id
	logs   *syncBuffer
	dbPath string // SQLite only
	dbURL  string // PostgreSQL only
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// recOptions vary a run: the emulated plan and the S2S app's scopes.
type recOptions struct {
	plan   string
	scopes []string // nil: the emulator's defaults
	noHook bool     // webhooks not subscribed
}

var recStart = time.Date(2026, 11, 2, 7, 0, 0, 0, time.UTC) // a Monday morning

func startRecRun(t *testing.T, d store.Dialect, o recOptions) *recRun {
	t.Helper()
	if o.plan == "" {
		o.plan = "business"
	}
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 13, Users: 5, Plan: o.plan, Days: 2, Start: recStart}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	if o.scopes != nil {
		must(t, sim.SetScopes("s2s", o.scopes))
	}
	r := &recRun{t: t, sim: sim, logs: &syncBuffer{}, people: map[string]store.Person{}}
	if d == store.Postgres {
		r.dbURL = testdb.NewPostgresURL(t)
	}
	cfg := testConfig(t, r.dbURL)
	r.dbPath = cfg.DataDir
	cfg.ZoomAPIURL, cfg.ZoomOAuthURL = sim.URL()+"/v2", sim.URL()
	srv, err := Open(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: sim.Now})
	must(t, err)
	must(t, srv.Start(context.Background()))
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	r.srv = srv
	ctx := context.Background()
	r.org, err = srv.Store.CreateOrganization(ctx, "Acme Sales", "acme", sim.Now())
	must(t, err)
	for _, u := range sim.Users() {
		p, err := srv.Store.CreatePerson(ctx, store.Person{OrgID: r.org.ID, Email: u.Email, Name: u.FirstName + " " + u.LastName}, sim.Now())
		must(t, err)
		r.people[u.ID] = p
	}
	events, cancel := srv.Jobs.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	so := sim.Options()
	r.conn, err = srv.Connect.ConnectS2S(ctx, r.org.ID, 0, connect.S2SCredentials{AccountID: so.AccountID, ClientID: so.S2SClientID,
		ClientSecret: so.S2SClientSecret, WebhookSecret: so.WebhookSecret})
	must(t, err)
	waitPass(t, srv, events, r.conn.ID) // the backfill maps Zoom users to people
	if !o.noHook {
		must(t, sim.SetWebhookURL(r.hookURL()))
	}
	return r
}

func (r *recRun) hookURL() string {
	return r.srv.URL() + webhook.OrgPath(r.org.Slug)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// host returns the n-th licensed (or Basic) user who is a person.
func (r *recRun) host(n int, licensed bool) zoomsim.User {
	r.t.Helper()
	var us []zoomsim.User
	for _, u := range r.sim.Users() {
		if (u.Type == 2) == licensed && u.Status == "active" {
			us = append(us, u)
		}
	}
	sort.Slice(us, func(i, j int) bool { return us[i].ID < us[j].ID })
	if n >= len(us) {
		r.t.Fatalf("the emulated account has %d such users, want %d", len(us), n+1)
	}
	return us[n]
}

// record plans a recorded meeting of host's starting at offset from now.
func (r *recRun) record(host zoomsim.User, topic string, offset time.Duration, opts ...func(*zoomsim.NewRecordedMeeting)) zoomsim.RecordedMeeting {
	r.t.Helper()
	nm := zoomsim.NewRecordedMeeting{HostID: host.ID, Topic: topic, Start: r.sim.Now().Add(offset), Minutes: 30, Transcript: true, Summary: true}
	for _, o := range opts {
		o(&nm)
	}
	m, err := r.sim.RecordMeeting(nm)
	must(r.t, err)
	return m
}

// settle waits until every stored event is processed and no recordings job
// is waiting or running.
func (r *recRun) settle() {
	r.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		stored, processed, err := r.srv.Store.InboxCounts(ctx)
		must(r.t, err)
		res, err := r.srv.Jobs.Client().JobList(ctx, river.NewJobListParams().
			Kinds(recordings.FetchArgs{}.Kind(), recordings.PassArgs{}.Kind()).
			States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled, rivertype.JobStatePending).First(1))
		must(r.t, err)
		if stored == processed && len(res.Jobs) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatal("events or recordings jobs still pending after a minute")
}

// artifacts lists the organization's artifacts, gone ones included.
func (r *recRun) artifacts() []store.Artifact {
	r.t.Helper()
	as, err := r.srv.Store.Artifacts(context.Background(), store.ArtifactFilter{OrgID: r.org.ID, WithGone: true, Limit: 10000})
	must(r.t, err)
	return as
}

// ofMeeting returns the meeting's artifacts by kind and file type.
func (r *recRun) ofMeeting(uuid string) map[string]store.Artifact {
	out := map[string]store.Artifact{}
	for _, a := range r.artifacts() {
		if a.MeetingUUID == uuid {
			out[a.Kind+"/"+a.FileType] = a
		}
	}
	return out
}

// state renders the artifacts without database ids or write times.
func (r *recRun) state() []string {
	r.t.Helper()
	ctx := context.Background()
	var out []string
	for _, a := range r.artifacts() {
		deal := ""
		if a.DealID != 0 {
			d, err := r.srv.Store.DealByID(ctx, r.org.ID, a.DealID)
			must(r.t, err)
			deal = d.ExternalID
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %q %s %d %s..%s state=%s deal=%s rule=%s reason=%s detached=%t summary=%q %q",
			a.Kind, a.ZoomKey, a.MeetingUUID, a.FileType, a.Topic, a.ZoomUserID, a.SizeBytes,
			a.RecordingStart.Format(time.RFC3339), a.RecordingEnd.Format(time.RFC3339), a.ZoomState, deal, a.Rule, a.UnlinkedReason,
			a.Detached, a.SummaryOverview, a.SummaryNextSteps))
	}
	sort.Strings(out)
	return out
}

// capture stands between the emulator and zoombridge: it passes Zoom's
// endpoint.url_validation through and holds every other delivery, signed as
// sent, for the test to deliver in an order of its choosing.
type capture struct {
	target string
	mu     sync.Mutex
	held   []heldDelivery
}

type heldDelivery struct {
	event string
	ts    string
	sig   string
	body  []byte
}

func (r *recRun) captureHooks() *capture {
	r.t.Helper()
	c := &capture{target: r.hookURL()}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		h := heldDelivery{ts: req.Header.Get("x-zm-request-timestamp"), sig: req.Header.Get("x-zm-signature"), body: body}
		if bytes.Contains(body, []byte(`"endpoint.url_validation"`)) {
			resp, err := h.send(c.target)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			w.WriteHeader(resp.StatusCode)
			io.Copy(w, resp.Body)
			return
		}
		h.event = eventName(body)
		c.mu.Lock()
		c.held = append(c.held, h)
		c.mu.Unlock()
	}))
	r.t.Cleanup(hs.Close)
	must(r.t, r.sim.SetWebhookURL(hs.URL))
	return c
}

func eventName(body []byte) string {
	i := bytes.Index(body, []byte(`"event":"`))
	if i < 0 {
		return ""
	}
	rest := body[i+9:]
	return string(rest[:bytes.IndexByte(rest, '"')])
}

func (h heldDelivery) send(url string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(h.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-zm-request-timestamp", h.ts)
	req.Header.Set("x-zm-signature", h.sig)
	return http.DefaultClient.Do(req)
}

// take returns the held deliveries and forgets them.
func (c *capture) take() []heldDelivery {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.held
	c.held = nil
	return out
}

// deliver sends deliveries to zoombridge in the given order, each answered 200.
func (c *capture) deliver(t *testing.T, hs []heldDelivery) {
	t.Helper()
	for _, h := range hs {
		resp, err := h.send(c.target)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s answered %d", h.event, resp.StatusCode)
		}
	}
}

func diffLines(want, got []string) string {
	return "want (" + strconv.Itoa(len(want)) + "):\n" + strings.Join(want, "\n") + "\ngot (" + strconv.Itoa(len(got)) + "):\n" + strings.Join(got, "\n")
}

// apiKey makes an API key of orgID for a host product, with scopes beyond read.
func (r *recRun) apiKey(orgID int64, scopes ...string) string {
	r.t.Helper()
	k, err := api.NewKeys(r.srv.Store, nil).Create(context.Background(), people.Actor{OrgID: orgID, Name: "test", Role: store.RoleOwner}, "crm", scopes...)
	must(r.t, err)
	return k.Plaintext
}
