package server

import (
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/outbound"
)

// Outbound webhooks to host products (internal/outbound): the delivery and
// sweep workers, and the queue every Publish on this database enqueues on.

// outboundService builds the service on first use (wiring runs in Open, on
// one goroutine); the API and the admin app share it.
func (s *Server) outboundService() *outbound.Service {
	if s.Outbound != nil {
		return s.Outbound
	}
	s.Outbound = outbound.New(outbound.Config{Store: s.Store, Vault: s.Vault, Log: s.Log, Now: s.Now,
		Guard: &outbound.Guard{Allow: s.Config.WebhookAllowCIDRs}})
	return s.Outbound
}

func (s *Server) outboundWorkers(w *river.Workers) { s.outboundService().AddWorkers(w) }

// mountOutbound has no routes of its own (the API and the admin app serve
// endpoints and deliveries); it hands Publish the job queue.
func (s *Server) mountOutbound(*http.ServeMux) {
	if err := outbound.AddQueue(s.Jobs.Client()); err != nil {
		s.Log.Error("outbound: delivery queue not added; deliveries wait for a process that works it", "err", err)
	}
	s.stopOutbound = s.outboundService().Use(s.Jobs.Client())
}

// outboundPeriodic sweeps for overdue deliveries every 15 seconds (an
// attempt cut off by a crash is retried within its lease and this).
func (s *Server) outboundPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{outbound.DuePeriodic(15 * time.Second)}
}
