// Package demo runs `zoombridge demo`: the whole product on SQLite against an
// embedded Zoom emulator, with a seeded organization connected through the
// real OAuth flow, backfilled, and new activity arriving live.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// Options shape the demo.
type Options struct {
	Password string  // the owner's sign-in; random when empty
	Users    int     // emulated Zoom users (and people), default 40
	Seed     int64   // the emulated account, default 7
	Speed    float64 // emulator clock speed during working hours, default 20 (a minute every 3 s)
	Log      *slog.Logger
	Out      io.Writer
}

// Demo is a running demo.
type Demo struct {
	Server *server.Server
	Sim    *zoomsim.Server
	Owner  string   // sign-in email
	Others []string // "Role: email" of the other people who can sign in
	Pass   string
	live   *live
}

// Start brings the demo up: emulator, server, organization, connection and
// backfill. The data dir's database is recreated on each start (the emulator's
// credentials are new each time); its encryption key is kept.
func Start(ctx context.Context, cfg config.Config, o Options) (*Demo, error) {
	o.defaults()
	cfg.DatabaseURL = ""
	if err := resetDatabase(cfg); err != nil {
		return nil, err
	}
	clientSecret, webhookSecret := randomHex(16), randomHex(16)
	sim, err := zoomsim.Start(zoomsim.Options{
		Seed: o.Seed, Users: o.Users, Plan: "business",
		AccountID: "demo-account", ClientID: "zoombridge-demo", ClientSecret: clientSecret,
		WebhookSecret: webhookSecret, AutoApprove: true, WeeklyWebinars: true,
		Start: time.Now().UTC().Truncate(time.Minute),
	}, "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	cfg.ZoomOAuthURL, cfg.ZoomAPIURL = sim.URL(), sim.URL()+"/v2"
	cfg.ZoomClientID, cfg.ZoomClientSecret, cfg.ZoomWebhookSecret = "zoombridge-demo", clientSecret, webhookSecret
	// zoombridge runs on the emulator's clock, so an accelerated day reads as a day.
	srv, err := server.Open(ctx, cfg, server.Options{Logger: o.Log, Now: sim.Now})
	if err != nil {
		sim.Close()
		return nil, err
	}
	d := &Demo{Server: srv, Sim: sim, Pass: o.Password}
	if err := srv.Start(ctx); err != nil {
		d.Close(context.Background())
		return nil, err
	}
	if err := sim.SetWebhookURL(srv.URL() + "/webhooks/zoom"); err != nil {
		d.Close(context.Background())
		return nil, fmt.Errorf("webhook subscription: %w", err)
	}
	if err := d.seed(ctx); err != nil {
		d.Close(context.Background())
		return nil, fmt.Errorf("seeding the demo organization: %w", err)
	}
	d.live = startLive(sim, o.Speed, o.Log)
	return d, nil
}

func (o *Options) defaults() {
	if o.Users == 0 {
		o.Users = 40
	}
	if o.Seed == 0 {
		o.Seed = 7
	}
	if o.Speed == 0 {
		o.Speed = 20
	}
	if o.Password == "" {
		o.Password = randomHex(6)
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
}

// Close stops the live activity, the server and the emulator.
func (d *Demo) Close(ctx context.Context) error {
	if d.live != nil {
		d.live.stop()
	}
	err := d.Server.Shutdown(ctx)
	d.Sim.Close()
	return err
}

func resetDatabase(cfg config.Config) error {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir %s: %w", cfg.DataDir, err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(cfg.SQLitePath() + suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("resetting %s: %w", filepath.Base(cfg.SQLitePath()+suffix), err)
		}
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
