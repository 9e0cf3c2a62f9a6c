// Package recordings links Zoom's cloud recordings, transcripts and AI
// summaries to the CRM deals a host product registers (features R1-R5): it
// ingests them from Zoom's events and a periodic pass, keeps their metadata
// (never bytes, download tokens or transcript text), links each to a CRM
// activity by rule, and lets people move or detach them.
package recordings

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Config is what the service needs from the process.
type Config struct {
	Store *store.Store
	Log   *slog.Logger
	Now   func() time.Time
	// Conn binds the process's one rate-limited Zoom client to a connection.
	Conn func(c store.Connection) *zoom.Conn
}

// Enqueuer inserts jobs in the caller's transaction (River's client).
type Enqueuer interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// Service is the recordings feature of one process.
type Service struct {
	st    *store.Store
	log   *slog.Logger
	now   func() time.Time
	conn  func(c store.Connection) *zoom.Conn
	queue Enqueuer
}

// New builds the service; SetQueue must follow before events are handled.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Conn == nil {
		return nil, errors.New("recordings: Store and Conn are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{st: cfg.Store, log: cfg.Log.With("component", "recordings"), now: cfg.Now, conn: cfg.Conn}, nil
}

// SetQueue gives the service the job queue (it exists after workers are registered).
func (s *Service) SetQueue(q Enqueuer) { s.queue = q }

// enqueue inserts a job in tx's transaction.
func (s *Service) enqueue(ctx context.Context, tx *store.Store, args river.JobArgs) error {
	if s.queue == nil {
		return errors.New("recordings: no job queue")
	}
	return tx.InTx(ctx, func(_ *store.Store, sqlTx *sql.Tx) error {
		_, err := s.queue.InsertTx(ctx, sqlTx, args, nil)
		return err
	})
}
