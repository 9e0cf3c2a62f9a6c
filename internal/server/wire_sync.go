package server

import (
	"net/http"

	"github.com/riverqueue/river"
)

// Activity sync and the REST API for host products (internal/syncer, internal/api).

func (s *Server) mountAPI(mux *http.ServeMux) {}

func (s *Server) syncWorkers(w *river.Workers) {}

func (s *Server) syncPeriodic() []*river.PeriodicJob { return nil }
