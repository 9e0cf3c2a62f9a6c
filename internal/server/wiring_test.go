package server

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/jobs"
)

// TestWorkerRegistrationFailureStopsTheStart: a worker River cannot take
// (here a kind registered twice) is an error from Open, in one line, not a
// panic or a process that silently leaves jobs unworked.
func TestWorkerRegistrationFailureStopsTheStart(t *testing.T) {
	cfg := testConfig(t, "")
	srv, err := Open(context.Background(), cfg, Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		ExtraWorkers: func(w *river.Workers) {
			river.AddWorker(w, &jobs.HousekeepingWorker{})
		},
	})
	if err == nil {
		srv.Shutdown(context.Background())
		t.Fatal("Open succeeded with a worker registered twice")
	}
	if msg := err.Error(); !strings.Contains(msg, "register job workers") || strings.Contains(msg, "\n") {
		t.Fatalf("want one line saying the workers could not be registered, got %q", msg)
	}
}
