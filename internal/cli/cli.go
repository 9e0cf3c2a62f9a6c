// Package cli implements the zoombridge command: serve, demo, migrate, zoomsim
// and version, with configuration from the environment and flags.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/zoombridge/zoombridge/internal/config"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=...".
var Version = "dev"

type command struct {
	name, summary string
	run           func(ctx context.Context, args, env []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"serve", "run the server (HTTP, webhooks, background jobs)", runServe},
	{"demo", "run the whole product on SQLite against an embedded Zoom emulator", runDemo},
	{"migrate", "apply database migrations and exit", runMigrate},
	{"admin", "administration: create-owner (first organization and Owner)", runAdmin},
	{"zoomsim", "run the Zoom emulator on its own", func(ctx context.Context, args, _ []string, stdout, stderr io.Writer) error {
		return runZoomsim(ctx, args, stdout, stderr)
	}},
	{"bench", "run a benchmark (webhooks, sync)", runBench},
	{"version", "print the version", func(_ context.Context, args, _ []string, stdout, stderr io.Writer) error {
		fs := newFlagSet("version", "", stderr)
		if err := fs.Parse(args); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "zoombridge", Version)
		return nil
	}},
}

// Main runs the command line and returns the process exit code. SIGINT and
// SIGTERM cancel the command's context, which starts a graceful shutdown.
func Main(args, env []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, env, stdout, stderr)
}

// Run is Main without signal handling, for tests.
func Run(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], env, stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		// One line, naming what is wrong, is what an operator needs at start.
		fmt.Fprintln(stderr, "zoombridge "+c.name+": "+strings.ReplaceAll(err.Error(), "\n", "; "))
		return 1
	}
	fmt.Fprintf(stderr, "zoombridge: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

var errUsage = errors.New("usage")

func usage(w io.Writer) {
	fmt.Fprintln(w, "zoombridge: a self-hosted Zoom integration server\n\nUsage: zoombridge <command> [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'zoombridge <command> --help' for a command's flags and environment variables.")
}

func newFlagSet(name, extra string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: zoombridge %s [flags]\n\nFlags:\n", name)
		fs.PrintDefaults()
		if extra != "" {
			fmt.Fprint(stderr, extra)
		}
	}
	return fs
}

// envHelp documents the environment variables for --help.
func envHelp() string {
	var b strings.Builder
	b.WriteString("\nEnvironment (flags win over variables):\n")
	for _, v := range config.Vars {
		def := v.Default
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(&b, "  %-34s %s [default %s]\n", v.Name, v.Help, def)
		if v.Secret {
			fmt.Fprintf(&b, "  %-34s file holding %s\n", v.Name+"_FILE", v.Name)
		}
	}
	return b.String()
}

// loadConfig reads the environment and applies --addr and --data-dir if given.
func loadConfig(env []string, fs *flag.FlagSet, args []string, defaults map[string]string) (config.Config, error) {
	addr := fs.String("addr", "", "listen address HOST:PORT (ZOOMBRIDGE_ADDR)")
	dataDir := fs.String("data-dir", "", "data directory (ZOOMBRIDGE_DATA_DIR)")
	if err := fs.Parse(args); err != nil {
		return config.Config{}, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return config.Config{}, errUsage
	}
	env = withDefaults(env, defaults)
	cfg, err := config.Load(env)
	if err != nil {
		return cfg, err
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	if *dataDir != "" {
		cfg.DataDir = *dataDir
	}
	return cfg, cfg.Validate()
}

// withDefaults adds defaults for variables the environment does not set.
func withDefaults(env []string, defaults map[string]string) []string {
	set := map[string]bool{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	out := append([]string(nil), env...)
	for k, v := range defaults {
		if !set[k] && !set[k+"_FILE"] {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // Validate accepted it; a bad one would stay at info
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
