package server

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/web"
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

// TestProblemCodesAgree: the web app folds missing-permission banners by
// the code internal/connect gives them.
func TestProblemCodesAgree(t *testing.T) {
	n := problemNotice(connect.MissingScope("Meetings", "meeting:read:admin"))
	if n.Code != web.CodeMissingScope || n.Feature != "Meetings" {
		t.Fatalf("missing-scope notice %+v: code %q, want %q and its feature", n, n.Code, web.CodeMissingScope)
	}
}
