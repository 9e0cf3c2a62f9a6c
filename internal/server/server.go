// Package server assembles a zoombridge process: store, job queue, HTTP routes,
// and their start and shutdown in the right order.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/metrics"
	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/web"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// Options are what tests and the demo may change beyond Config.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time // the clock; time.Now by default
	ID     string           // this process's name in job records
	// ExtraWorkers registers more job workers (tests use it for controlled jobs).
	ExtraWorkers func(w *river.Workers)
}

// Server is one running zoombridge process.
type Server struct {
	Config  config.Config
	Log     *slog.Logger
	Store   *store.Store
	Jobs    *jobs.Service
	Metrics *metrics.Metrics
	Now     func() time.Time
	Vault   *vault.Vault // tokens and secrets at rest; webhooks, sync and connect share it

	Webhooks *webhook.Service    // Zoom's event notifications (wire_webhook.go)
	Connect  *connect.Service    // Zoom connections and their tokens; use connectService() (wire_connect.go)
	Web      *web.App            // the admin web app (wire_web.go)
	Booking  *booking.Service    // booking links and meetings from the app; use bookingService() (wire_booking.go)
	sync     syncParts           // activity sync and the shared rate-limited Zoom client (wire_sync.go)
	chat     chatParts           // the chat bot and its Teams surface (wire_chat.go)
	recs     *recordings.Service // recordings, transcripts and summaries on deals (wire_recordings.go)
	Outbound *outbound.Service   // outbound webhooks; use outboundService() (wire_outbound.go)

	stopOutbound func() // unregisters the outbound queue (wire_outbound.go)

	mux      *routeTable // every route (routes.go)
	http     *http.Server
	listener net.Listener
	served   chan error
	stopped  bool
}

// Open builds the process in the order its parts depend on each other;
// nothing runs until Start, and any failure stops the start with its error:
//
//  1. the encryption key (a missing one stops before the database is touched);
//  2. the database, with zoombridge's and River's migrations;
//  3. the features' services (buildFeatures, wire.go), none of them running;
//  4. the job queue, with the features' workers, queues and periodic jobs;
//  5. the queue handed to the features that enqueue work (useQueue, wire.go);
//  6. the HTTP routes.
func Open(ctx context.Context, cfg config.Config, opts Options) (*Server, error) {
	cfg.Finish()
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ID == "" {
		host, _ := os.Hostname()
		opts.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	vlt, err := vault.Load(cfg)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		return nil, err
	}
	if err := migrateAll(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	s := &Server{Config: cfg, Log: opts.Logger, Store: st, Metrics: metrics.New(), Now: opts.Now, Vault: vlt, served: make(chan error, 1)}
	if err := s.build(opts); err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// build is steps 3 to 6 of Open.
func (s *Server) build(opts Options) error {
	s.buildFeatures()
	var err error
	s.Jobs, err = jobs.New(s.Store, jobs.Config{
		Workers: s.Config.JobWorkers,
		ID:      opts.ID,
		Register: func(w *river.Workers) {
			s.registerWorkers(w, opts.ID)
			if opts.ExtraWorkers != nil {
				opts.ExtraWorkers(w)
			}
		},
		Queues:   s.featureQueues(),
		Periodic: s.periodicJobs(),
	}, s.Log, s.Metrics)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	s.useQueue()
	s.mux = s.routes()
	s.http = &http.Server{
		Handler:           observe(s.mux, s.Log, s.Metrics),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	return nil
}

// migrateAll applies zoombridge's and River's migrations.
func migrateAll(ctx context.Context, st *store.Store) error {
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, st); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

func (s *Server) registerWorkers(w *river.Workers, id string) {
	river.AddWorker(w, &jobs.HousekeepingWorker{Store: s.Store, Runner: id, Now: s.Now})
	s.featureWorkers(w)
}

func (s *Server) periodicJobs() []*river.PeriodicJob {
	return append([]*river.PeriodicJob{jobs.HousekeepingPeriodic(s.Config.HousekeepingEvery)}, s.featurePeriodic()...)
}

// Start listens on the configured address, serves HTTP and starts the jobs.
func (s *Server) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.Config.Addr, err)
	}
	s.listener = ln
	if err := s.resumeWebhooks(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("webhooks: %w", err)
	}
	if err := s.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		ln.Close()
		return fmt.Errorf("jobs: %w", err)
	}
	go func() { s.served <- s.http.Serve(ln) }()
	return nil
}

// Handler is the process's HTTP handler, for serving it on another listener
// too (tests reach it from a second client address that way).
func (s *Server) Handler() http.Handler { return s.http.Handler }

// Addr is the address the server listens on (useful with port 0).
func (s *Server) Addr() string { return s.listener.Addr().String() }

// URL is the base URL of the listening server.
func (s *Server) URL() string { return "http://" + s.Addr() }

// Shutdown stops in reverse order of dependence: stop taking requests and drain
// them, let jobs finish until the deadline (then cancel them: they are retried
// later), and close the database. Calling it twice is harmless.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.stopped {
		return nil
	}
	s.stopped = true
	var errs []error
	if s.listener != nil {
		if err := s.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http: %w", err))
		}
		if err := <-s.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if s.Webhooks != nil {
		s.Webhooks.Close(ctx) // later deliveries get 503; commits under way finish
	}
	if s.stopOutbound != nil {
		s.stopOutbound()
	}
	if err := s.Jobs.Stop(ctx); err != nil {
		errs = append(errs, fmt.Errorf("jobs: %w", err))
	}
	if err := s.Store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("database: %w", err))
	}
	return errors.Join(errs...)
}
