package webhook_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// simRun is one emulated Zoom account delivering signed webhooks to one
// zoombridge server, whose clock is the emulator's.
type simRun struct {
	sim     *zoomsim.Server
	srv     *server.Server
	conn    store.Connection
	dataDir string // the SQLite file's directory
	dbURL   string // PostgreSQL's database, "" on SQLite
}

func startSimRun(t *testing.T, d store.Dialect, faults ...zoomsim.Fault) *simRun {
	t.Helper()
	return startLoggedSimRun(t, d, io.Discard, faults...)
}

// startLoggedSimRun is startSimRun with the server's log, at debug level, written to logs.
func startLoggedSimRun(t *testing.T, d store.Dialect, logs io.Writer, faults ...zoomsim.Fault) *simRun {
	t.Helper()
	// Start on a Monday morning so the day is busy.
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 42, Users: 10, Plan: "business", Days: 1, WebhookSecret: secret,
		Start: time.Date(2026, 11, 2, 7, 0, 0, 0, time.UTC)}, "127.0.0.1:0")
	must(t, err)
	t.Cleanup(func() { sim.Close() })
	dbURL := ""
	if d == store.Postgres {
		dbURL = testdb.NewPostgresURL(t)
	}
	dataDir := t.TempDir()
	cfg, err := config.Load([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + dataDir, "ZOOMBRIDGE_DATABASE_URL=" + dbURL,
		"ZOOMBRIDGE_ENCRYPTION_KEY=" + strings.Repeat("ab", 32), "ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET=" + secret})
	must(t, err)
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := server.Open(context.Background(), cfg, server.Options{Logger: log, Now: sim.Now})
	must(t, err)
	must(t, srv.Start(context.Background()))
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	// The organization and its directory, and the Zoom users as a sync would bring them.
	ctx, st := context.Background(), srv.Store
	org, err := st.CreateOrganization(ctx, "Sim", "sim", t0)
	must(t, err)
	users := sim.Users()
	sort.Slice(users, func(i, j int) bool { return users[i].ID < users[j].ID })
	for _, u := range users {
		_, err := st.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: u.Email, Name: u.FirstName}, t0)
		must(t, err)
	}
	conn, err := st.CreateConnection(ctx, store.Connection{OrgID: org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: sim.Options().AccountID}, t0)
	must(t, err)
	for _, u := range users {
		_, err := st.UpsertZoomUser(ctx, store.ZoomUser{OrgID: org.ID, ConnectionID: conn.ID, ZoomUserID: u.ID, ZoomAccountID: conn.ZoomAccountID,
			Email: u.Email, UserType: u.Type, Status: u.Status}, t0)
		must(t, err)
	}
	// Subscribing runs Zoom's url_validation handshake against the receiver.
	must(t, sim.SetWebhookURL(srv.URL()+"/webhooks/zoom"))
	for _, f := range faults {
		_, err := sim.AddFault(f)
		must(t, err)
	}
	return &simRun{sim: sim, srv: srv, conn: conn, dataDir: dataDir, dbURL: dbURL}
}

// settle waits, for at most a minute, until every stored event is processed.
func (r *simRun) settle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		stored, processed, err := r.srv.Store.InboxCounts(context.Background())
		must(t, err)
		if stored > 0 && stored == processed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute %d of %d stored events are processed", processed, stored)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// state renders a connection's activities without database ids or write times.
func (r *simRun) state(t *testing.T) []string {
	t.Helper()
	as, err := r.srv.Store.ConnectionActivities(context.Background(), r.conn.ID)
	must(t, err)
	var out []string
	for _, a := range as {
		out = append(out, fmt.Sprintf("%s %s %s person=%d #%s %q %s..%s %ds %s %q %q", a.Kind, a.ZoomID, a.ZoomUserID, a.PersonID, a.ZoomNumber,
			a.Title, a.StartAt.Format(time.RFC3339), a.EndAt.Format(time.RFC3339), a.DurationSeconds, a.Direction, a.CallerName, a.Device))
	}
	sort.Strings(out)
	return out
}

// TestEmulatorDuplicatedAndReorderedDeliveryGivesTheSameActivities runs the
// same emulated day twice: once delivered in order, once with every event
// delivered twice and neighbouring deliveries swapped. Both end with the same
// activities, and those match the emulator's ground truth.
func TestEmulatorDuplicatedAndReorderedDeliveryGivesTheSameActivities(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		inOrder := startSimRun(t, d)
		faulty := startSimRun(t, d, zoomsim.Fault{Kind: "duplicate"}, zoomsim.Fault{Kind: "reorder"})
		from := inOrder.sim.Now()
		for _, r := range []*simRun{inOrder, faulty} {
			r.sim.Advance(12 * time.Hour)
			r.settle(t)
		}
		want, got := inOrder.state(t), faulty.state(t)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Fatalf("activities differ\nin order (%d):\n%s\nduplicated and reordered (%d):\n%s", len(want), strings.Join(want, "\n"), len(got), strings.Join(got, "\n"))
		}

		dups, faulted := 0, 0
		evs, err := faulty.srv.Store.InboxEvents(context.Background(), store.InboxFilter{})
		must(t, err)
		for _, ev := range evs {
			dups += ev.Duplicates
		}
		for _, dl := range faulty.sim.WebhookLog() {
			if dl.Fault != "" {
				faulted++
			}
		}
		kinds := map[string]int{}
		for _, line := range want {
			kinds[strings.Fields(line)[0]]++
		}
		t.Logf("%s: %d events, %d duplicate deliveries recognised, %d faulted deliveries; activities %v", d, len(evs), dups, faulted, kinds)
		if dups == 0 || faulted == 0 || kinds["meeting"] == 0 || kinds["call"] == 0 {
			t.Fatal("the run did not exercise duplicates, or made no meetings or calls")
		}
		checkTruth(t, inOrder, from)
	})
}

// checkTruth compares the meetings and calls that ended in the window with
// the emulator's ground truth.
func checkTruth(t *testing.T, r *simRun, from time.Time) {
	t.Helper()
	as, err := r.srv.Store.ConnectionActivities(context.Background(), r.conn.ID)
	must(t, err)
	byKey := map[string]store.Activity{}
	for _, a := range as {
		byKey[a.Kind+"/"+a.ZoomID+"/"+a.ZoomUserID] = a
	}
	truth := r.sim.Truth()
	n := 0
	for _, m := range truth.Meetings {
		if !m.End.After(from) {
			continue
		}
		n++
		a, ok := byKey["meeting/"+m.UUID+"/"+m.HostID]
		if !ok || a.Title != m.Topic || !a.StartAt.Equal(m.Start) || !a.EndAt.Equal(m.End) || a.DurationSeconds != int(m.End.Sub(m.Start)/time.Second) {
			t.Errorf("meeting %s (%s %v..%v): got %+v", m.UUID, m.Topic, m.Start, m.End, a)
		}
	}
	for _, c := range truth.Calls {
		if !c.End.After(from) {
			continue
		}
		n++
		a, ok := byKey["call/"+c.CallID+"/"+c.UserID]
		if !ok || a.Direction != c.Direction || !a.StartAt.Equal(c.Start) || !a.EndAt.Equal(c.End) || a.Device != c.Device || a.CallerName != c.CallerName {
			t.Errorf("call %s of %s (%s, %q, %q): got %+v", c.CallID, c.UserID, c.Direction, c.Device, c.CallerName, a)
		}
	}
	if n == 0 {
		t.Fatal("ground truth has nothing in the window")
	}
}
