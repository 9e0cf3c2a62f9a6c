package server

import (
	"context"
	"net/http"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// Webhooks from Zoom (internal/webhook): the deployment app's endpoint, one
// per organization for its Server-to-Server app, and the processing worker.

func (s *Server) mountWebhooks(mux *http.ServeMux) {
	s.Webhooks.Enqueue(s.Jobs.Client())
	if err := s.Webhooks.AddQueue(s.Jobs.Client()); err != nil {
		s.Log.Error("webhook: processing queue not added; stored events wait for a process that works it", "err", err)
	}
	mux.Handle("POST /webhooks/zoom", s.Webhooks.Receiver.Handler(webhook.DeploymentApp(s.Config.ZoomWebhookSecret)))
	var vault webhook.Opener
	if s.Vault != nil {
		vault = s.Vault
	}
	mux.Handle("POST /webhooks/zoom/org/{org}", s.Webhooks.Receiver.Handler(webhook.OrgApps(s.Store, vault)))
}

// webhookWorkers runs before the job queue exists, so the service is built
// here and handed the queue when routes are mounted.
func (s *Server) webhookWorkers(w *river.Workers) {
	connect := s.connectService()
	s.Webhooks = webhook.New(webhook.Config{Store: s.Store, Log: s.Log, Now: s.Now, Registry: s.Metrics.Registry,
		DeploymentClientID: s.Config.ZoomClientID,
		// One purge path: app_deauthorized ends a connection as a disconnect does.
		Purge: func(ctx context.Context, c store.Connection, why string) error { return connect.Purge(ctx, c.ID, why) },
		// Recording and AI summary events go to the recordings feature (wire_recordings.go).
		Artifacts: s.recordingsService().HandleEvent,
	})
	s.Webhooks.AddWorker(w)
}
