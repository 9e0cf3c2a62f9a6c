package server

import (
	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// Each feature wires itself in its own file (wire_*.go): its services, its
// routes, its job workers, queues and periodic jobs. These lists are the one
// place they meet; Open (server.go) calls them in the order they depend on.

// buildFeatures makes the features' services before the job queue exists
// (its workers are theirs); none of them runs yet.
func (s *Server) buildFeatures() {
	s.connectService()
	s.syncService()
	s.buildWebhooks()
	s.outboundService()
	s.buildWeb()
	s.buildChat()
	s.buildRecordings()
}

// useQueue hands the job queue to the features that enqueue work.
func (s *Server) useQueue() {
	s.webhookQueue()
	s.syncQueue()
	s.recordingsQueue()
	s.outboundQueue()
}

func (s *Server) featureQueues() map[string]river.QueueConfig {
	out := map[string]river.QueueConfig{}
	for _, qs := range []map[string]river.QueueConfig{webhook.Queues(), outbound.Queues()} {
		for name, q := range qs {
			out[name] = q
		}
	}
	return out
}

func (s *Server) mountFeatures(mux *routeTable) {
	s.mountWebhooks(mux)
	s.mountConnect(mux)
	s.mountAPI(mux)
	s.mountWeb(mux)
	s.mountChat(mux)
}

func (s *Server) featureWorkers(w *river.Workers) {
	s.webhookWorkers(w)
	s.connectWorkers(w)
	s.syncWorkers(w)
	s.recordingsWorkers(w)
	s.chatWorkers(w)
	s.bookingWorkers(w)
	s.outboundWorkers(w)
}

func (s *Server) featurePeriodic() []*river.PeriodicJob {
	var out []*river.PeriodicJob
	out = append(out, s.connectPeriodic()...)
	out = append(out, s.syncPeriodic()...)
	out = append(out, s.recordingsPeriodic()...)
	out = append(out, s.chatPeriodic()...)
	out = append(out, s.bookingPeriodic()...)
	out = append(out, s.outboundPeriodic()...)
	return out
}
