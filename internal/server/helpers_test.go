package server

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/zoombridge/zoombridge/internal/config"
)

func startQuiet(t *testing.T, cfg config.Config) *Server {
	t.Helper()
	srv, err := Open(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv
}
