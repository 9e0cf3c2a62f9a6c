package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/server"
)

func runServe(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", envHelp(), stderr)
	cfg, err := loadConfig(env, fs, args, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	srv, err := server.Open(ctx, cfg, server.Options{Logger: log})
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, srv, stdout, func() error {
		// The link is made before the start is announced, and a signal
		// arriving meanwhile does not fail it: shutdown follows as usual.
		link, err := srv.SetupLink(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "zoombridge %s listening on %s (%s)\n", Version, srv.URL(), srv.Store.Dialect())
		printSetupLink(srv, link, stdout)
		return nil
	})
}

// printSetupLink shows the first-run link while no organization has an Owner.
func printSetupLink(srv *server.Server, link string, stdout io.Writer) {
	if link == "" {
		return
	}
	fmt.Fprintf(stdout, "No organization has an Owner yet. Open this one-time link to create yours (valid until used; also in %s):\n  %s\n"+
		"Or run: zoombridge admin create-owner --org NAME --email EMAIL\n", srv.SetupFile(), link)
}

// serveUntilDone starts srv, reports, waits for ctx (a signal), then shuts
// down within the configured timeout.
func serveUntilDone(ctx context.Context, srv *server.Server, stdout io.Writer, started func() error) error {
	err := srv.Start(ctx)
	if err == nil {
		err = started()
	}
	if err != nil {
		srv.Shutdown(context.Background())
		return err
	}
	<-ctx.Done()
	srv.Log.Info("shutting down", "timeout", srv.Config.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), srv.Config.ShutdownTimeout-500*time.Millisecond)
	defer cancel()
	err = srv.Shutdown(sctx)
	if err == nil {
		fmt.Fprintln(stdout, "zoombridge stopped")
	}
	return err
}

// configOnly is used by migrate: it needs the database, nothing else.
func configOnly(env []string, args []string, stderr io.Writer, name string) (config.Config, error) {
	fs := newFlagSet(name, envHelp(), stderr)
	return loadConfig(env, fs, args, nil)
}
