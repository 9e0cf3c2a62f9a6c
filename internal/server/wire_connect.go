package server

import (
	"net/http"

	"github.com/riverqueue/river"
)

// Zoom connections and the token vault (internal/connect, internal/vault).

func (s *Server) mountConnect(mux *http.ServeMux) {}

func (s *Server) connectWorkers(w *river.Workers) {}

func (s *Server) connectPeriodic() []*river.PeriodicJob { return nil }
