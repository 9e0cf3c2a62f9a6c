package server

import (
	"net/http"

	"github.com/riverqueue/river"
)

// Webhooks from Zoom (internal/webhook).

func (s *Server) mountWebhooks(mux *http.ServeMux) {}

func (s *Server) webhookWorkers(w *river.Workers) {}
