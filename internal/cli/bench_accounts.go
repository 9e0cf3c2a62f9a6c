package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/server"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// runBenchAccounts is `zoombridge bench accounts` (G11): -accounts
// organizations each connect a Server-to-Server app of an emulated Zoom
// account (their backfills queued as connecting queues them), then a
// `zoombridge serve` process of its own works those syncs while webhooks
// arrive at -rate events/s; its resident memory is sampled throughout.
func runBenchAccounts(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench accounts", "", stderr)
	dbURL := fs.String("database-url", "", "PostgreSQL URL; empty benchmarks SQLite in a temporary directory")
	accounts := fs.Int("accounts", 1000, "connected accounts (one organization each)")
	users := fs.Int("users", 10, "Zoom users of each emulated account")
	rate := fs.Int("rate", 5000, "webhook events offered per second (G1 floor: 5,000)")
	dur := fs.Duration("duration", 60*time.Second, "how long memory is sampled under load")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 11, Users: *users, Plan: "business", Days: 30}, "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer sim.Close()
	dir, err := os.MkdirTemp("", "zoombridge-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	zoomEnv := []string{"ZOOMBRIDGE_ZOOM_API_URL=" + sim.URL() + "/v2", "ZOOMBRIDGE_ZOOM_OAUTH_URL=" + sim.URL(), "ZOOMBRIDGE_LOG_LEVEL=error"}
	cfg, err := benchConfig(env, dir, *dbURL, zoomEnv...)
	if err != nil {
		return err
	}
	gen := &loadGen{account: fmt.Sprintf("acc-%d", time.Now().UnixNano()), client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}}
	if err := connectAccounts(ctx, cfg, sim, *accounts, gen.account, stderr); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	child, base, err := startServe(exe, append(os.Environ(), append(zoomEnv, "ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR="+dir,
		"ZOOMBRIDGE_DATABASE_URL="+*dbURL, "ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET="+benchSecret, "ZOOMBRIDGE_ENCRYPTION_KEY="+strings.Repeat("ab", 32))...))
	if err != nil {
		return err
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	started := rss(child.Process.Pid)
	stop := make(chan struct{})
	sent, failed := gen.pace(base+"/webhooks/zoom", *rate, stop)
	peak, samples := started, 0
	for end := time.Now().Add(*dur); time.Now().Before(end); samples++ {
		time.Sleep(200 * time.Millisecond)
		peak = max(peak, rss(child.Process.Pid))
	}
	close(stop)
	final := rss(child.Process.Pid)
	synced, err := passesDone(ctx, *dbURL, cfg.SQLitePath())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "zoombridge bench accounts: %s, %d connected accounts syncing (%d users each), webhooks offered at %d/s (%d sent in %v, %d not 200)\n",
		dialectName(*dbURL), *accounts, *users, *rate, sent.Load(), *dur, failed.Load())
	fmt.Fprintf(stdout, "serve process resident memory: %.0f MB at start, peak %.0f MB, %.0f MB at the end (%d samples); %d sync passes finished meanwhile\n",
		mb(started), mb(peak), mb(final), samples, synced)
	return nil
}

// connectAccounts connects n organizations through the production connect
// flow of an in-process server that never serves: each connection's backfill
// is queued with it, for the serve process to work.
func connectAccounts(ctx context.Context, cfg config.Config, sim *zoomsim.Server, n int, hookAccount string, stderr io.Writer) error {
	srv, err := server.Open(ctx, cfg, server.Options{Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		return err
	}
	defer srv.Shutdown(context.WithoutCancel(ctx))
	if err := benchSeed(ctx, srv.Store, hookAccount); err != nil {
		return err
	}
	o := sim.Options()
	for i := range n {
		org, err := srv.Store.CreateOrganization(ctx, fmt.Sprintf("Account %d", i), fmt.Sprintf("account-%d", i), sim.Now())
		if err != nil {
			return err
		}
		if _, err := srv.Connect.ConnectS2S(ctx, org.ID, 0, connect.S2SCredentials{AccountID: o.AccountID, ClientID: o.S2SClientID, ClientSecret: o.S2SClientSecret}); err != nil {
			return fmt.Errorf("connecting account %d: %w", i, err)
		}
	}
	return nil
}

// passesDone counts the sync passes that have succeeded.
func passesDone(ctx context.Context, dbURL, sqlitePath string) (int, error) {
	st, err := store.Open(ctx, dbURL, sqlitePath)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	var n int
	err = st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sync_passes WHERE status = 'succeeded'").Scan(&n)
	return n, err
}

// startServe runs `zoombridge serve` and returns once it listens.
func startServe(exe string, env []string) (*exec.Cmd, string, error) {
	cmd := exec.Command(exe, "serve")
	cmd.Env = env
	url, err := startListening(cmd)
	return cmd, url, err
}

// startListening starts cmd and returns the URL its output names on the
// first line saying "listening on URL".
func startListening(cmd *exec.Cmd) (string, error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", err
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), " listening on "); ok {
			go io.Copy(io.Discard, out)
			return strings.Fields(rest)[0], nil
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	return "", fmt.Errorf("%s did not start listening", cmd.Path)
}

// rss is a process's resident memory in bytes (Linux; 0 elsewhere).
func rss(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

func mb(b float64) float64 { return b / (1 << 20) }

func dialectName(dbURL string) string {
	if dbURL != "" {
		return "postgres"
	}
	return "sqlite"
}
