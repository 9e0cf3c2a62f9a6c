package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

const zoomsimHelp = `
The emulator serves OAuth at /oauth, the REST API at /v2 and its own controls
at /_sim (POST /_sim/advance?minutes=N moves the clock; see docs/zoomsim.md).
With the default --start and --speed 0 the same --seed gives the same account
byte for byte; use --start now --speed 1 next to a server that checks webhook
timestamps against the wall clock.
`

// runZoomsim runs the Zoom emulator until ctx is cancelled.
func runZoomsim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("zoomsim", zoomsimHelp, stderr)
	addr := fs.String("addr", "127.0.0.1:9901", "listen address HOST:PORT")
	var o zoomsim.Options
	fs.Int64Var(&o.Seed, "seed", 1, "scenario seed")
	fs.IntVar(&o.Users, "users", 20, "number of users in the account")
	fs.StringVar(&o.Plan, "plan", "pro", "account plan: basic, pro or business")
	fs.StringVar(&o.ClientID, "client-id", "zoomsim-client", "OAuth app client ID")
	fs.StringVar(&o.ClientSecret, "client-secret", "zoomsim-secret", "OAuth app client secret")
	fs.StringVar(&o.S2SClientID, "s2s-client-id", "", "Server-to-Server app client ID (default <client-id>-s2s)")
	fs.StringVar(&o.S2SClientSecret, "s2s-client-secret", "", "Server-to-Server app client secret (default <client-secret>-s2s)")
	fs.StringVar(&o.AccountID, "account-id", "zoomsim-account", "Zoom account ID")
	fs.StringVar(&o.WebhookSecret, "webhook-secret", "zoomsim-webhook-secret", "webhook secret token")
	fs.StringVar(&o.WebhookURL, "webhook-url", "", "event notification endpoint URL (validated on start when reachable)")
	fs.IntVar(&o.Days, "days", 30, "days of history before the clock's start")
	start := fs.String("start", "", `sim clock start, RFC 3339 or "now" (default 2026-11-01T00:00:00Z)`)
	fs.Float64Var(&o.Speed, "speed", 0, "clock speed: 0 stepped (by /_sim/advance), 1 real time, 60 a minute per second")
	fs.DurationVar(&o.TokenTTL, "token-ttl", time.Hour, "access token lifetime")
	fs.BoolVar(&o.AutoApprove, "auto-approve", false, "approve /oauth/authorize without the consent page")
	fs.StringVar(&o.AuthorizeAs, "authorize-as", "", "user (ID or email) auto-approve acts as (default the owner)")
	fs.StringVar(&o.AppLevel, "app-level", "auto", "OAuth app installs as: auto, user or account")
	fs.BoolVar(&o.NoRateLimits, "no-rate-limits", false, "turn rate limiting off")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	switch {
	case *start == "now":
		o.Start = time.Now().UTC().Truncate(time.Second)
	case *start != "":
		t, err := time.Parse(time.RFC3339, *start)
		if err != nil {
			return fmt.Errorf("--start: %w", err)
		}
		o.Start = t
	}
	hookURL := o.WebhookURL
	o.WebhookURL = "" // subscribed below, after the url_validation handshake
	s, err := zoomsim.Start(o, *addr)
	if err != nil {
		return err
	}
	defer s.Close()
	if hookURL != "" {
		if err := s.SetWebhookURL(hookURL); err != nil {
			fmt.Fprintf(stderr, "zoomsim: webhook URL not subscribed (%v); retry with POST %s/_sim/webhook?url=...\n", err, s.URL())
		}
	}
	printZoomsimInfo(stdout, s)
	<-ctx.Done()
	return nil
}

func printZoomsimInfo(w io.Writer, s *zoomsim.Server) {
	in := s.Info()
	o := s.Options()
	clock := "stepped: POST " + in.URL + "/_sim/advance?minutes=N"
	if o.Speed > 0 {
		clock = fmt.Sprintf("running at %gx real time", o.Speed)
	}
	hook := in.WebhookURL
	if hook == "" {
		hook = "(none: POST " + in.URL + "/_sim/webhook?url=...)"
	}
	lines := []string{
		"zoomsim: Zoom emulator listening on " + in.URL,
		"  OAuth root:     " + in.URL + "  (authorize " + in.AuthorizeURL + ", token " + in.TokenURL + ")",
		"  REST base:      " + in.APIBase,
		"  Controls:       " + in.URL + "/_sim/  (info, truth, advance, faults, webhook ...)",
		fmt.Sprintf("  Account:        plan %s, %d users, seed %d", in.Plan, o.Users, in.Seed),
		"  Account ID:        " + in.AccountID,
		"  OAuth client id:   " + in.ClientID,
		"  OAuth client secret: " + in.ClientSecret,
		"  S2S client id:     " + in.S2SClientID,
		"  S2S client secret: " + in.S2SClientSecret,
		"  Webhook secret:    " + in.WebhookSecret,
		"  Webhook URL:       " + hook,
		"  Clock:          " + in.Now.Format(time.RFC3339) + ", " + clock,
	}
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}
