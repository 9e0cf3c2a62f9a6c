package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/zoombridge/zoombridge/internal/demo"
)

// runDemo runs the product on SQLite in the data dir against an embedded
// Zoom emulator with a seeded organization (internal/demo).
func runDemo(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", envHelp(), stderr)
	password := fs.String("password", "", "the owner's sign-in password (random if empty)")
	users := fs.Int("users", 40, "people in the demo organization (emulated Zoom users)")
	speed := fs.Float64("speed", 20, "emulator clock speed in working hours (1 = real time)")
	cfg, err := loadConfig(env, fs, args, map[string]string{
		"ZOOMBRIDGE_DATA_DIR": "./zoombridge-demo",
		"ZOOMBRIDGE_ADDR":     "127.0.0.1:8080",
	})
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	d, err := demo.Start(ctx, cfg, demo.Options{Password: *password, Users: *users, Speed: *speed, Log: log})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "zoombridge demo running at %s\n", d.Server.URL())
	fmt.Fprintf(stdout, "  sign in as %s (Owner) with password %s\n", d.Owner, d.Pass)
	for _, o := range d.Others {
		fmt.Fprintf(stdout, "  also with that password: %s\n", o)
	}
	fmt.Fprintf(stdout, "  Zoom emulator at %s (clock at %gx in working hours)\n", d.Sim.URL(), *speed)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout-500*time.Millisecond)
	defer cancel()
	if err := d.Close(sctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "zoombridge stopped")
	return nil
}
