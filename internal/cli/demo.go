package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/zoombridge/zoombridge/internal/server"
)

// runDemo runs the product on SQLite in the data dir. The embedded emulator and
// seeded organization are wired in by internal/demo.
func runDemo(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", envHelp(), stderr)
	cfg, err := loadConfig(env, fs, args, map[string]string{
		"ZOOMBRIDGE_DATA_DIR": "./zoombridge-demo",
		"ZOOMBRIDGE_ADDR":     "127.0.0.1:8080",
	})
	if err != nil {
		return err
	}
	cfg.DatabaseURL = "" // the demo is SQLite by definition
	log := newLogger(cfg, stderr)
	srv, err := server.Open(ctx, cfg, server.Options{Logger: log})
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, srv, stdout, func() {
		fmt.Fprintf(stdout, "zoombridge demo running at %s\n", srv.URL())
	})
}
