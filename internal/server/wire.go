package server

import (
	"net/http"

	"github.com/riverqueue/river"
)

// Each feature wires itself in its own file (wire_*.go): its routes, its job
// workers and its periodic jobs. These lists are the one place they meet.

func (s *Server) mountFeatures(mux *http.ServeMux) {
	s.mountWebhooks(mux)
	s.mountConnect(mux)
	s.mountOutbound(mux)
	s.mountAPI(mux)
	s.mountWeb(mux)
}

func (s *Server) featureWorkers(w *river.Workers) {
	s.webhookWorkers(w)
	s.connectWorkers(w)
	s.syncWorkers(w)
	s.outboundWorkers(w)
}

func (s *Server) featurePeriodic() []*river.PeriodicJob {
	var out []*river.PeriodicJob
	out = append(out, s.connectPeriodic()...)
	out = append(out, s.syncPeriodic()...)
	out = append(out, s.outboundPeriodic()...)
	return out
}
