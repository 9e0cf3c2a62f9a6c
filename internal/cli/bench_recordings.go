package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/webhook"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// runBenchRecordings is `zoombridge bench recordings`: the emulator's clock
// runs at --speed while its reps' sales calls end at --rate recordings per
// (wall) minute, each registered with a CRM activity on its own deal. For
// each call it times, in wall time, from the emulator sending
// recording.completed (seen by a pass-through proxy) to the video being
// linked to that deal and readable through the REST API (polled every
// 100 ms), and prints p50, p99 and the slowest.
func runBenchRecordings(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench recordings", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	rate := fs.Int("rate", 60, "recordings completed per wall-clock minute")
	count := fs.Int("count", 300, "recordings to time")
	speed := fs.Float64("speed", 60, "the emulator's clock speed (sim seconds per wall second)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rate < 1 || *count < 1 || *speed < 1 {
		return errors.New("bench recordings: --rate, --count and --speed must be positive")
	}
	dir, err := os.MkdirTemp("", "zoombridge-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 3, Users: 20, Plan: "business", Days: 1}, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer sim.Close()
	cfg, err := config.Load(append(env, "ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR="+dir, "ZOOMBRIDGE_DATABASE_URL="+*dbURL,
		"ZOOMBRIDGE_ENCRYPTION_KEY="+strings.Repeat("ab", 32), "ZOOMBRIDGE_ZOOM_API_URL="+sim.URL()+"/v2", "ZOOMBRIDGE_ZOOM_OAUTH_URL="+sim.URL()))
	if err != nil {
		return err
	}
	srv, err := server.Open(ctx, cfg, server.Options{Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError})), Now: sim.Now})
	if err != nil {
		return err
	}
	defer srv.Shutdown(context.WithoutCancel(ctx))
	if err := srv.Start(ctx); err != nil {
		return err
	}
	b, err := benchRecordingsSetup(ctx, srv, sim)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench recordings: %d recordings at %d a minute, emulator clock ×%g, %s\n", *count, *rate, *speed, srv.Store.Dialect())
	spacing := time.Duration(float64(time.Minute) / float64(*rate) * *speed)
	lead := time.Duration(*speed * float64(5*time.Second)) // the first call ends a few wall seconds from now
	for i := range *count {
		if err := b.plan(ctx, i, sim.Now().Add(lead+time.Duration(i)*spacing)); err != nil {
			return err
		}
	}
	sim.SetSpeed(*speed)
	deadline := time.Now().Add(time.Duration(float64(lead+time.Duration(*count)*spacing+10*time.Minute)/(*speed)) + time.Minute)
	lat, missing := b.measure(ctx, deadline)
	sim.SetSpeed(0)
	if len(lat) == 0 {
		return fmt.Errorf("bench recordings: no recording became readable (%d missing)", missing)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	fmt.Fprintf(stdout, "recording.completed → linked video readable through the API: n=%d missing=%d p50=%s p99=%s max=%s\n",
		len(lat), missing, pct(0.50).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	return nil
}

// benchRecordings is one run's organization, reps, API key and timings.
type benchRecordings struct {
	srv  *server.Server
	sim  *zoomsim.Server
	org  store.Organization
	reps []zoomsim.User
	rep  map[string]int64 // Zoom user id → person id
	key  string
	mu   sync.Mutex
	sent map[string]time.Time // meeting UUID → wall time recording.completed left the emulator
	want map[string]bool
}

// benchRecordingsSetup connects the emulator's account through a
// Server-to-Server app, waits for the backfill to map its users, and puts a
// proxy that notes when each recording.completed is sent in front of the
// organization's webhook endpoint.
func benchRecordingsSetup(ctx context.Context, srv *server.Server, sim *zoomsim.Server) (*benchRecordings, error) {
	b := &benchRecordings{srv: srv, sim: sim, rep: map[string]int64{}, sent: map[string]time.Time{}, want: map[string]bool{}}
	var err error
	if b.org, err = srv.Store.CreateOrganization(ctx, "Bench Sales", fmt.Sprintf("bench-%d", time.Now().UnixNano()), sim.Now()); err != nil {
		return nil, err
	}
	for _, u := range sim.Users() {
		p, err := srv.Store.CreatePerson(ctx, store.Person{OrgID: b.org.ID, Email: u.Email, Name: u.FirstName}, sim.Now())
		if err != nil {
			return nil, err
		}
		if u.Type == 2 && u.Status == "active" {
			b.reps, b.rep[u.ID] = append(b.reps, u), p.ID
		}
	}
	o := sim.Options()
	conn, err := srv.Connect.ConnectS2S(ctx, b.org.ID, 0, connect.S2SCredentials{AccountID: o.AccountID, ClientID: o.S2SClientID,
		ClientSecret: o.S2SClientSecret, WebhookSecret: o.WebhookSecret})
	if err != nil {
		return nil, err
	}
	for stop := time.Now().Add(5 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		ss, err := srv.Store.SyncStateOf(ctx, conn.ID)
		if err == nil && !ss.LastSuccessAt.IsZero() {
			break
		}
		if time.Now().After(stop) {
			return nil, errors.New("bench recordings: the backfill did not finish in 5 minutes")
		}
	}
	key, err := api.NewKeys(srv.Store, nil).Create(ctx, people.Actor{OrgID: b.org.ID, Name: "bench", Role: store.RoleOwner}, "bench")
	if err != nil {
		return nil, err
	}
	b.key = key.Plaintext
	proxy, err := b.proxy(srv.URL() + webhook.OrgPath(b.org.Slug))
	if err != nil {
		return nil, err
	}
	return b, sim.SetWebhookURL(proxy)
}

// proxy forwards deliveries unchanged and notes recording.completed's send time.
func (b *benchRecordings) proxy(target string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { //nolint:errcheck // ends with the process
		at := time.Now()
		body, _ := io.ReadAll(r.Body)
		var ev struct {
			Event   string `json:"event"`
			Payload struct {
				Object struct {
					UUID string `json:"uuid"`
				} `json:"object"`
			} `json:"payload"`
		}
		if json.Unmarshal(body, &ev) == nil && ev.Event == "recording.completed" {
			b.mu.Lock()
			if _, seen := b.sent[ev.Payload.Object.UUID]; !seen {
				b.sent[ev.Payload.Object.UUID] = at
			}
			b.mu.Unlock()
		}
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, target, bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body) //nolint:errcheck // the emulator went away
	}))
	return "http://" + ln.Addr().String(), nil
}

// plan makes the i-th sales call: a 5-minute meeting of a rep starting at
// start, and its deal and CRM activity registered with the meeting's number.
func (b *benchRecordings) plan(ctx context.Context, i int, start time.Time) error {
	host := b.reps[i%len(b.reps)]
	m, err := b.sim.RecordMeeting(zoomsim.NewRecordedMeeting{HostID: host.ID, Topic: fmt.Sprintf("Sales call %d", i), Start: start, Minutes: 5, Transcript: true, Summary: true})
	if err != nil {
		return err
	}
	st, now := b.srv.Store, b.sim.Now()
	d, err := st.UpsertDeal(ctx, store.Deal{OrgID: b.org.ID, ExternalID: fmt.Sprintf("D-%d", i), Name: fmt.Sprintf("Deal %d", i), OwnerPersonID: b.rep[host.ID]}, now)
	if err != nil {
		return err
	}
	_, err = st.UpsertCRMActivity(ctx, store.CRMActivity{OrgID: b.org.ID, ExternalID: fmt.Sprintf("A-%d", i), DealID: d.ID, RepPersonID: b.rep[host.ID],
		StartAt: start, EndAt: start.Add(5 * time.Minute), ZoomMeetingID: strconv.FormatInt(m.ID, 10)}, now)
	b.want[m.UUID] = true
	return err
}

// measure polls the API until every planned video is linked and readable
// (or the deadline), and returns each one's latency and how many never showed.
func (b *benchRecordings) measure(ctx context.Context, deadline time.Time) ([]time.Duration, int) {
	seen := map[string]time.Time{}
	client := &http.Client{Timeout: 10 * time.Second}
	for len(seen) < len(b.want) && time.Now().Before(deadline) {
		cursor := ""
		for {
			var page struct {
				Data       []recordings.Resource `json:"data"`
				NextCursor *string               `json:"next_cursor"`
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.srv.URL()+"/api/v1/artifacts?limit=500"+cursor, nil)
			req.Header.Set("Authorization", "Bearer "+b.key)
			resp, err := client.Do(req)
			if err != nil {
				break
			}
			json.NewDecoder(resp.Body).Decode(&page) //nolint:errcheck // a bad page is polled again
			resp.Body.Close()
			at := time.Now()
			for _, a := range page.Data {
				if a.FileType == "MP4" && a.Deal != nil && b.want[a.MeetingUUID] {
					if _, ok := seen[a.MeetingUUID]; !ok {
						seen[a.MeetingUUID] = at
					}
				}
			}
			if page.NextCursor == nil {
				break
			}
			cursor = "&cursor=" + *page.NextCursor
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var lat []time.Duration
	for uuid, at := range seen {
		if sent, ok := b.sent[uuid]; ok {
			lat = append(lat, at.Sub(sent))
		}
	}
	return lat, len(b.want) - len(lat)
}
