package server

import (
	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Recordings, transcripts and AI summaries linked to CRM deals
// (internal/recordings): the fast-path fetch after Zoom's events, the
// 15-minute and 30-day passes, the daily re-match. Zoom calls go through the
// process's one rate-limited client.

// recordingsService builds the service on first use (wiring runs in Open, on one goroutine).
func (s *Server) recordingsService() *recordings.Service {
	if s.recs != nil {
		return s.recs
	}
	client := s.zoomAPI()
	rs, err := recordings.New(recordings.Config{Store: s.Store, Log: s.Log, Now: s.Now,
		Conn: func(c store.Connection) *zoom.Conn {
			return client.For(s.connectService().TokenSource(c.ID), c.ZoomAccountID)
		},
	})
	if err != nil {
		panic("recordings: " + err.Error()) // only a missing Store, which Open always sets first
	}
	s.recs = rs
	return rs
}

// buildRecordings makes the service (buildFeatures runs it before the job queue exists).
func (s *Server) buildRecordings() { s.recordingsService() }

// recordingsQueue hands the service the job queue its fetches and passes go to.
func (s *Server) recordingsQueue() { s.recordingsService().SetQueue(s.Jobs.Client()) }

func (s *Server) recordingsWorkers(w *river.Workers) {
	rs := s.recordingsService()
	river.AddWorker(w, &recordings.FetchWorker{S: rs})
	river.AddWorker(w, &recordings.PassWorker{S: rs})
	river.AddWorker(w, &recordings.TickWorker{S: rs})
	river.AddWorker(w, &recordings.RematchWorker{S: rs})
}

func (s *Server) recordingsPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{recordings.TickPeriodic(), recordings.RematchPeriodic()}
}
