package server

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/outbound"
)

// Outbound webhooks to host products (internal/outbound): the delivery,
// sweep and retention workers, and the queue every Publish on this database
// enqueues on.

// outboundService builds the service on first use (wiring runs in Open, on
// one goroutine); the API and the admin app share it.
func (s *Server) outboundService() *outbound.Service {
	if s.Outbound != nil {
		return s.Outbound
	}
	s.Outbound = outbound.New(outbound.Config{Store: s.Store, Vault: s.Vault, Log: s.Log, Now: s.Now,
		Guard: &outbound.Guard{Allow: s.Config.WebhookAllowCIDRs}, Retention: s.Config.OutboundRetention})
	return s.Outbound
}

func (s *Server) outboundWorkers(w *river.Workers) { s.outboundService().AddWorkers(w) }

// outboundQueue hands every Publish on this database the job queue
// (outbound.Use); the API and the admin app serve endpoints and deliveries.
func (s *Server) outboundQueue() {
	s.stopOutbound = s.outboundService().Use(s.Jobs.Client())
}

// outboundPeriodic sweeps for overdue deliveries every 15 seconds (an
// attempt cut off by a crash is retried within its lease and this), and
// prunes the outbox past its retention with the housekeeping period.
func (s *Server) outboundPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{outbound.DuePeriodic(15 * time.Second), outbound.PrunePeriodic(s.Config.HousekeepingEvery)}
}
