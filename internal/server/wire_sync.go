package server

import (
	"net/http"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/api"
)

// Activity sync and the REST API for host products (internal/syncer, internal/api).

func (s *Server) mountAPI(mux *http.ServeMux) {
	api.New(s.Store, s.Log, s.Now).Mount(mux)
}

func (s *Server) syncWorkers(w *river.Workers) {}

func (s *Server) syncPeriodic() []*river.PeriodicJob { return nil }
