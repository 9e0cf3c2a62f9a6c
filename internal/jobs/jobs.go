// Package jobs runs zoombridge's durable background work on River, over the
// same database as everything else: SQLite (riversqlite) or PostgreSQL.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/metrics"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Client is River's client over database/sql; jobs inserted with InsertTx
// commit with the caller's transaction.
type Client = river.Client[*sql.Tx]

// Config chooses workers and periodic jobs for a Service.
type Config struct {
	Workers  int
	ID       string // names this process in attempted_by; hostname-pid by default
	Register func(w *river.Workers)
	// Queues are worked besides the default one (which has Workers workers).
	Queues   map[string]river.QueueConfig
	Periodic []*river.PeriodicJob
	// InsertOnly builds a client that enqueues but never works (migrate, tools).
	InsertOnly bool
}

// Service owns the River client and its lifecycle.
type Service struct {
	client  *Client
	st      *store.Store
	id      string // River's client id: this process in attempted_by and worker_leases
	stop    chan struct{}
	beating chan struct{}
	log     *slog.Logger
	metrics *metrics.Metrics
	stopped chan struct{}
	started bool
}

func driver(st *store.Store) riverdriver.Driver[*sql.Tx] {
	if st.Dialect() == store.Postgres {
		// database/sql keeps one code path with the store; River polls instead of LISTEN.
		return riverdatabasesql.New(st.DB())
	}
	return riversqlite.New(st.DB())
}

// Migrate applies River's own migrations.
func Migrate(ctx context.Context, st *store.Store) error {
	m, err := rivermigrate.New(driver(st), nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// Pending reports whether River's migrations are behind.
func Pending(ctx context.Context, st *store.Store) (bool, error) {
	m, err := rivermigrate.New(driver(st), nil)
	if err != nil {
		return false, err
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{DryRun: true})
	if err != nil {
		return false, err
	}
	return len(res.Versions) > 0, nil
}

// New builds the service; Start begins working.
func New(st *store.Store, cfg Config, log *slog.Logger, m *metrics.Metrics) (*Service, error) {
	if cfg.ID == "" {
		host, _ := os.Hostname()
		cfg.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	rc := &river.Config{
		ID:                          cfg.ID,
		Logger:                      quiet(log),
		JobTimeout:                  5 * time.Minute,
		RescueStuckJobsAfter:        10 * time.Minute,
		FetchPollInterval:           200 * time.Millisecond,
		FetchCooldown:               50 * time.Millisecond,
		MaxAttempts:                 25,
		CompletedJobRetentionPeriod: 24 * time.Hour,
	}
	if !cfg.InsertOnly {
		w := river.NewWorkers()
		if err := register(cfg.Register, w); err != nil {
			return nil, err
		}
		rc.Workers = w
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
		for name, q := range cfg.Queues {
			if _, dup := rc.Queues[name]; dup {
				return nil, fmt.Errorf("queue %q registered twice", name)
			}
			rc.Queues[name] = q
		}
		rc.PeriodicJobs = cfg.Periodic
	}
	c, err := river.NewClient(driver(st), rc)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Service{client: c, st: st, id: cfg.ID, log: log, metrics: m, stopped: make(chan struct{})}, nil
}

// register runs fn; river.AddWorker panics on a worker it cannot take (a
// kind registered twice, an invalid one), which becomes an error that stops
// the start instead of a crash or a process that silently works less.
func register(fn func(w *river.Workers), w *river.Workers) (err error) {
	if fn == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("register job workers: %v", r)
		}
	}()
	fn(w)
	return nil
}

// Client gives access to River for inserts.
func (s *Service) Client() *Client { return s.client }

// InsertTx enqueues a job in the caller's transaction.
func (s *Service) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return s.client.InsertTx(ctx, tx, args, opts)
}

// Insert enqueues a job in its own transaction.
func (s *Service) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return s.client.Insert(ctx, args, opts)
}

// Start takes up the jobs a dead process left running (recover), then
// begins fetching and working jobs, and counts their outcomes.
func (s *Service) Start(ctx context.Context) error {
	if err := s.recover(ctx); err != nil {
		return fmt.Errorf("recovering jobs left running: %w", err)
	}
	events, cancel := s.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled, river.EventKindJobSnoozed)
	if err := s.client.Start(ctx); err != nil {
		cancel()
		return err
	}
	s.started = true
	go s.count(events, cancel)
	if s.st.Dialect() == store.Postgres {
		s.stop, s.beating = make(chan struct{}), make(chan struct{})
		go s.beat(s.stop, s.beating)
	}
	return nil
}

func (s *Service) count(events <-chan *river.Event, cancel func()) {
	defer cancel()
	for ev := range events {
		if ev == nil || ev.Job == nil {
			continue
		}
		outcome := string(ev.Kind)
		switch {
		case ev.Kind == river.EventKindJobCompleted:
			outcome = "completed"
		case ev.Job.State == rivertype.JobStateDiscarded:
			outcome = "discarded"
		case ev.Kind == river.EventKindJobFailed:
			outcome = "retryable"
		case ev.Kind == river.EventKindJobSnoozed:
			outcome = "snoozed"
		case ev.Kind == river.EventKindJobCancelled:
			outcome = "cancelled"
		}
		s.metrics.Jobs.WithLabelValues(ev.Job.Kind, outcome).Inc()
		if ev.JobStats != nil {
			s.metrics.JobDuration.WithLabelValues(ev.Job.Kind).Observe(ev.JobStats.RunDuration.Seconds())
		}
	}
}

// Stop lets running jobs finish until ctx is done, then cancels them; a
// cancelled job is retried by whichever process runs next. Safe to call twice.
func (s *Service) Stop(ctx context.Context) error {
	if !s.started {
		return nil
	}
	s.started = false
	err := s.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		s.log.Warn("jobs still running at shutdown deadline; cancelling them")
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		err = s.client.StopAndCancel(cctx)
	}
	if s.stop != nil {
		close(s.stop)
		<-s.beating
		// Nothing runs here any more: no replica need wait for the lease to run out.
		if err := s.st.DropLease(context.WithoutCancel(ctx), s.id); err != nil {
			s.log.Warn("jobs: drop the lease at shutdown; it runs out by itself", "err", err)
		}
	}
	return err
}

// quiet keeps River's routine info lines out of the server log; its warnings stay.
func quiet(log *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn}).With("component", "river")
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelFloor) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFloor{h.Handler.WithAttrs(a), h.min}
}
func (h levelFloor) WithGroup(n string) slog.Handler {
	return levelFloor{h.Handler.WithGroup(n), h.min}
}
