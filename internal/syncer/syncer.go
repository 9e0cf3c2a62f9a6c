// Package syncer keeps each Zoom connection's users and activity (hosted
// meetings, hosted webinars, Zoom Phone calls) current: a 30-day backfill
// when a connection is made, an incremental pass every 15 minutes and an
// on-demand 30-day sweep, checkpointed so a pass that dies resumes, within
// Zoom's rate limits ("sync" is taken by the standard library).
package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Config is what a Syncer needs. Store and Conn are required.
// DefaultEvery is the incremental cadence when Config.Every is unset.
const DefaultEvery = 15 * time.Minute

type Config struct {
	Store *store.Store
	// Conn is the REST client acting for a connection (connect.Service.Conn
	// in production). A fresh one per call: its counters are one run's usage.
	Conn func(store.Connection) *zoom.Conn
	Log  *slog.Logger
	Now  func() time.Time

	Window  time.Duration // backfill and sweep reach: 30 days (Zoom keeps reports a month at a time)
	Every   time.Duration // incremental cadence: 15 minutes
	Overlap time.Duration // an incremental listing starts this long before the cursor: 24 hours
	// HeavyDaily is how many Heavy calls a day incremental passes may spend
	// on each account (meeting reports are Heavy; Pro accounts have 30,000 a
	// day for everything Heavy). Users' reports are then refreshed as often
	// as that allows, never more often than Every. Default 15,000.
	HeavyDaily int
	Workers    int           // concurrent listings per stream in a pass: 4
	Slice      time.Duration // one job run works this long, then yields: 3 minutes
	SkipFor    time.Duration // a user Zoom said a stream does not apply to is probed again after: 24 hours
}

// Syncer runs passes. It is safe for concurrent use; River makes sure one
// pass per connection runs at a time.
type Syncer struct {
	cfg Config
	st  *store.Store
	log *slog.Logger
	now func() time.Time
}

// New builds a Syncer.
func New(cfg Config) (*Syncer, error) {
	if cfg.Store == nil || cfg.Conn == nil {
		return nil, errors.New("syncer: Store and Conn are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Window, 30*24*time.Hour)
	def(&cfg.Every, DefaultEvery)
	def(&cfg.Overlap, 24*time.Hour)
	def(&cfg.Slice, 3*time.Minute)
	def(&cfg.SkipFor, 24*time.Hour)
	if cfg.HeavyDaily <= 0 {
		cfg.HeavyDaily = 15000
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	return &Syncer{cfg: cfg, st: cfg.Store, log: cfg.Log.With("component", "syncer"), now: cfg.Now}, nil
}

// Outcome is what one run of a pass achieved.
type Outcome struct {
	Pass store.SyncPass // as it stands after the run
	Done bool           // the pass finished (or there was nothing to do)
	// RetryAt, when set, is when to run again: a rate limit was met, or the
	// run used its time slice. The job snoozes until then. Rate limits are
	// real time (wall clock), whatever clock Config.Now keeps for data.
	RetryAt time.Time
}

// Run works on the connection's pass under way, or starts one: a backfill
// if the connection never had one, a sweep if one was asked for (hint
// store.PassSweep asks too), an incremental pass otherwise.
func (s *Syncer) Run(ctx context.Context, connID int64, hint string) (Outcome, error) {
	conn, err := s.st.ConnectionByID(ctx, connID)
	if errors.Is(err, store.ErrNotFound) {
		return Outcome{Done: true}, nil // disconnected meanwhile: nothing left to sync
	}
	if err != nil {
		return Outcome{}, err
	}
	if conn.Status != store.StatusActive {
		return Outcome{Done: true}, nil // waits for a reconnect; the page says so
	}
	org, err := s.st.OrganizationByID(ctx, conn.OrgID)
	if err != nil {
		return Outcome{}, err
	}
	sp, err := s.beginOrResume(ctx, conn, hint)
	if err != nil {
		return Outcome{}, err
	}
	p := &pass{s: s, conn: conn, org: org, sp: sp, zc: s.cfg.Conn(conn), deadline: time.Now().Add(s.cfg.Slice)}
	out, err := p.run(zoom.WithCaller(ctx, fmt.Sprintf("connection:%d", conn.ID)))
	calls, limited := p.zc.Calls()
	if uerr := s.st.AddSyncUsage(context.WithoutCancel(ctx), sp.ID, calls, limited); uerr != nil {
		err = errors.Join(err, uerr)
	}
	if err != nil {
		s.st.NoteSyncError(context.WithoutCancel(ctx), conn.ID, connect.CodeOf(err), err.Error(), s.now()) //nolint:errcheck // the job's own error is what matters
		return out, err
	}
	if out.Pass, err = s.st.SyncPassByID(ctx, sp.ID); err != nil {
		return out, err
	}
	s.log.Info("sync run", "connection_id", conn.ID, "pass_id", sp.ID, "kind", sp.Kind, "done", out.Done,
		"api_calls", calls, "rate_limited", limited, "written", out.Pass.Written(), "errors", out.Pass.Errors)
	return out, nil
}

func (s *Syncer) beginOrResume(ctx context.Context, conn store.Connection, hint string) (store.SyncPass, error) {
	state, err := s.st.SyncStateOf(ctx, conn.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.SyncPass{}, err
	}
	if state.PassID != 0 {
		sp, err := s.st.SyncPassByID(ctx, state.PassID)
		if err == nil && sp.Status == store.PassRunning {
			return sp, s.st.ResumeSyncPass(ctx, sp.ID, s.now())
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return sp, err
		}
	}
	kind := store.PassIncremental
	switch {
	case state.BackfilledAt.IsZero():
		kind = store.PassBackfill
	case !state.SweepRequestedAt.IsZero() || hint == store.PassSweep:
		kind = store.PassSweep
	}
	now := s.now()
	return s.st.BeginSyncPass(ctx, conn.ID, kind, now.Add(-s.cfg.Window), now, now)
}
