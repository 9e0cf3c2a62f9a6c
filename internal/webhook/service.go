package webhook

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Config builds a Service.
type Config struct {
	Store    *store.Store
	Log      *slog.Logger
	Now      func() time.Time
	Registry prometheus.Registerer
	// DeploymentClientID is the deployment app's client id, checked against
	// app_deauthorized's client_id.
	DeploymentClientID string
	// Purge removes a deauthorized connection: the connections package's
	// purge, so there is one purge path; PurgeConnection when none is given.
	Purge PurgeFunc
	// Artifacts handles recording and AI summary events (internal/recordings);
	// without it they are only stored.
	Artifacts ArtifactFunc
	// Wait bounds how long a delivery waits for its commit before a 503, so
	// that every answer leaves within a second even when the disk stalls
	// (Zoom gives up after three). Default DefaultWait.
	Wait time.Duration
	// MaxInFlight bounds the deliveries being read, verified or committed at
	// once; past it a delivery is answered 503 with Retry-After at once,
	// before its body is read. Default DefaultMaxInFlight.
	MaxInFlight int
	// Test-only knobs, off by default: CommitDelay stalls every inbox commit
	// inside its transaction (a slow disk), ProcessDelay pauses before every
	// processing chunk (a slow processor), so tests can reach overload and a
	// crash mid-processing on any machine.
	CommitDelay, ProcessDelay time.Duration
}

// Defaults of Config.
const (
	DefaultWait        = 700 * time.Millisecond
	DefaultMaxInFlight = 1024
)

// Service is the webhook feature of one process: the receiver and the
// processing worker, sharing metrics.
type Service struct {
	Receiver  *Receiver
	Processor *Processor
	Metrics   *Metrics
}

// New builds the service. The receiver stores nothing until Enqueue has
// been given the job queue (workers are registered before the queue exists).
func New(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Purge == nil {
		cfg.Purge = PurgeConnection(cfg.Store, cfg.Now)
	}
	if cfg.Wait == 0 {
		cfg.Wait = DefaultWait
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	m := NewMetrics(cfg.Registry)
	log := cfg.Log.With("component", "webhook")
	var turns *writerTurns
	var pace *acceptPace
	if cfg.Store.Dialect() == store.SQLite {
		turns = &writerTurns{} // one writer: acknowledgements go first
	} else {
		pace = &acceptPace{} // many writers: processing rests while events arrive
	}
	return &Service{
		Metrics: m,
		Receiver: &Receiver{log: log, m: m, now: cfg.Now, maxBody: MaxBody, wait: cfg.Wait, st: cfg.Store, turns: turns, pace: pace,
			maxInFlight: int64(cfg.MaxInFlight), commitDelay: cfg.CommitDelay},
		Processor: &Processor{st: cfg.Store, log: log, m: m, now: cfg.Now, deploymentClientID: cfg.DeploymentClientID, purge: cfg.Purge, artifacts: cfg.Artifacts, turns: turns, pace: pace,
			delay: cfg.ProcessDelay},
	}
}

// Enqueue gives the receiver the queue its processing jobs go to.
func (s *Service) Enqueue(q Enqueuer) {
	r := s.Receiver
	r.commit = newCommitter(r.st, q, r.turns, r.pace, func(n int, err error) {
		if err == nil {
			s.Metrics.Batch.Observe(float64(n))
		}
	})
	r.commit.delay = r.commitDelay
}

// AddWorker registers the processing workers: sweeps, and the jobs of one
// group commit an earlier version queued. Sweeps run in their own queue,
// which the job client must work (Queues).
func (s *Service) AddWorker(w *river.Workers) {
	river.AddWorker(w, &SweepWorker{p: s.Processor})
	river.AddWorker(w, &Worker{p: s.Processor})
}

// Queues are the queues the job client must work for this service: sweeps,
// one at a time.
func Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{Queue: {MaxWorkers: 1}}
}

// Close refuses new deliveries with 503 and waits for commits under way.
func (s *Service) Close(ctx context.Context) error {
	if s.Receiver.commit == nil {
		return nil
	}
	return s.Receiver.commit.close(ctx)
}
