package server

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/syncer"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// The production wiring end to end: connecting a Server-to-Server app queues
// the backfill in the same commit, River runs it through connect's token
// source and the shared rate-limited client, and "Sync now" queues a sweep
// that finds nothing new.
func TestConnectionIsBackfilledAndSyncNowSweeps(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		sim, err := zoomsim.Start(zoomsim.Options{Seed: 21, Users: 10, Plan: "business"}, "127.0.0.1:0")
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
		srv, err := Open(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: sim.Now})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Shutdown(context.Background()) })
		ctx := context.Background()
		org, err := srv.Store.CreateOrganization(ctx, "Acme", "acme", sim.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range sim.Users() {
			if _, err := srv.Store.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: u.Email, Name: u.FirstName}, sim.Now()); err != nil {
				t.Fatal(err)
			}
		}
		events, cancel := srv.Jobs.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		o := sim.Options()
		conn, err := srv.Connect.ConnectS2S(ctx, org.ID, 0, connect.S2SCredentials{AccountID: o.AccountID, ClientID: o.S2SClientID, ClientSecret: o.S2SClientSecret})
		if err != nil {
			t.Fatal(err)
		}
		backfill := waitPass(t, srv, events, conn.ID)
		if backfill.Kind != store.PassBackfill || backfill.Status != store.PassSucceeded || backfill.Written() == 0 {
			t.Fatalf("backfill %+v", backfill)
		}
		if err := srv.syncNow(ctx, org.ID+1, conn.ID, 0); err == nil {
			t.Fatal("another organization could sweep this connection")
		}
		if err := srv.syncNow(ctx, org.ID, conn.ID, 0); err != nil {
			t.Fatal(err)
		}
		sweep := waitPass(t, srv, events, conn.ID)
		if sweep.Kind != store.PassSweep || sweep.Status != store.PassSucceeded || sweep.Written() != 0 || sweep.APICalls == 0 {
			t.Fatalf("sweep %+v", sweep)
		}
	})
}

// waitPass waits for the connection's pass job to complete and returns its pass.
func waitPass(t testing.TB, srv *Server, events <-chan *river.Event, connID int64) store.SyncPass {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind != (syncer.PassArgs{}).Kind() {
				continue
			}
			if ev.Kind == river.EventKindJobFailed {
				t.Fatalf("pass job failed: %v", ev.Job.Errors)
			}
			st, err := srv.Store.SyncStateOf(context.Background(), connID)
			if err != nil {
				t.Fatal(err)
			}
			p, err := srv.Store.SyncPassByID(context.Background(), st.LastPassID)
			if err != nil {
				t.Fatal(err)
			}
			return p
		case <-timeout:
			t.Fatal("no pass completed within a minute")
		}
	}
}
