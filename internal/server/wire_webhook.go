package server

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// Webhooks from Zoom (internal/webhook): the deployment app's endpoint, one
// per organization for its Server-to-Server app, and the processing worker.

// buildWebhooks makes the webhook service; it stores nothing until
// webhookQueue has given it the job queue.
func (s *Server) buildWebhooks() {
	connect := s.connectService()
	s.Webhooks = webhook.New(webhook.Config{Store: s.Store, Log: s.Log, Now: s.Now, Registry: s.Metrics.Registry,
		DeploymentClientID: s.Config.ZoomClientID,
		MaxInFlight:        s.Config.WebhookMaxInFlight,
		CommitDelay:        s.Config.TestCommitDelay, ProcessDelay: s.Config.TestProcessDelay,
		// One purge path: app_deauthorized ends a connection as a disconnect does.
		Purge: func(ctx context.Context, c store.Connection, why string) error { return connect.Purge(ctx, c.ID, why) },
		// Recording and AI summary events go to the recordings feature (wire_recordings.go).
		Artifacts: s.recordingsService().HandleEvent,
	})
}

func (s *Server) webhookQueue() { s.Webhooks.Enqueue(s.Jobs.Client()) }

func (s *Server) mountWebhooks(mux *routeTable) {
	mux.Handle("POST /webhooks/zoom", s.Webhooks.Receiver.Handler(webhook.DeploymentApp(s.Config.ZoomWebhookSecret)))
	var vault webhook.Opener
	if s.Vault != nil {
		vault = s.Vault
	}
	mux.Handle("POST /webhooks/zoom/org/{org}", s.Webhooks.Receiver.Handler(webhook.OrgApps(s.Store, vault)))
}

// webhookWorkers registers the processing workers; their queue is in webhook.Queues.
func (s *Server) webhookWorkers(w *river.Workers) {
	s.Webhooks.AddWorker(w)
}

// resumeWebhooks has events a stopped process left unprocessed taken up at
// once, before the queue starts.
func (s *Server) resumeWebhooks(ctx context.Context) error {
	return s.Webhooks.Resume(ctx, s.Jobs.Client())
}
