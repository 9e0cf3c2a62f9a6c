package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/zoombridge/zoombridge/internal/demo"
)

// demoSignInsFile keeps the printed sign-ins (0600, in the data dir) for
// --print-sign-ins: the password is random and stored only as a hash.
const demoSignInsFile = "demo-sign-ins.txt"

// runDemo runs the product on SQLite in the data dir against an embedded
// Zoom emulator with a seeded organization (internal/demo).
func runDemo(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", envHelp(), stderr)
	password := fs.String("password", "", "the owner's sign-in password (random if empty)")
	users := fs.Int("users", 40, "people in the demo organization (emulated Zoom users)")
	speed := fs.Float64("speed", 20, "emulator clock speed in working hours (1 = real time)")
	logLevel := fs.String("log-level", "", "debug, info, warn or error (ZOOMBRIDGE_LOG_LEVEL; the demo's default is warn, so its sign-ins stay on screen)")
	printSignIns := fs.Bool("print-sign-ins", false, "print the sign-ins of the demo in the data dir and exit")
	cfg, err := loadConfig(env, fs, args, map[string]string{
		"ZOOMBRIDGE_DATA_DIR":  "./zoombridge-demo",
		"ZOOMBRIDGE_ADDR":      "127.0.0.1:8080",
		"ZOOMBRIDGE_LOG_LEVEL": "warn",
	})
	if err != nil {
		return err
	}
	signIns := filepath.Join(cfg.DataDir, demoSignInsFile)
	if *printSignIns {
		b, err := os.ReadFile(signIns)
		if err != nil {
			return fmt.Errorf("no demo sign-ins in %s: start `zoombridge demo` first", cfg.DataDir)
		}
		_, err = stdout.Write(b)
		return err
	}
	if *logLevel != "" {
		cfg.LogLevel = *logLevel
		if err := cfg.Validate(); err != nil {
			return err
		}
	}
	log := newLogger(cfg, stderr)
	d, err := demo.Start(ctx, cfg, demo.Options{Password: *password, Users: *users, Speed: *speed, Log: log})
	if err != nil {
		return err
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "zoombridge demo running at %s\n", d.Server.URL())
	fmt.Fprintf(&msg, "  sign in as %s (Owner) with password %s\n", d.Owner, d.Pass)
	for _, o := range d.Others {
		fmt.Fprintf(&msg, "  also with that password: %s\n", o)
	}
	fmt.Fprintf(&msg, "  Zoom emulator at %s (clock at %gx in working hours)\n", d.Sim.URL(), *speed)
	if err := os.WriteFile(signIns, msg.Bytes(), 0o600); err != nil {
		return fmt.Errorf("demo sign-ins: %w", err)
	}
	if _, err := stdout.Write(msg.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  (again later: zoombridge demo --print-sign-ins --data-dir %s)\n", cfg.DataDir)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout-500*time.Millisecond)
	defer cancel()
	if err := d.Close(sctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "zoombridge stopped")
	return nil
}
