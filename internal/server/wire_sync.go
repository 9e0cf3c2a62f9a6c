package server

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/syncer"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Activity sync and the REST API for host products (internal/syncer, internal/api).

func (s *Server) mountAPI(mux *routeTable) {
	api.New(s.Store, s.Log, s.Now).WithRateLimit(s.Config.APIRateLimit, time.Minute).WithRecordings(s.recordingsService()).
		WithWebhooks(s.outboundService()).WithBooking(s.bookingService()).Mount(mux)
}

// syncParts are the sync feature's pieces of a Server.
type syncParts struct {
	api     *zoom.Client
	limiter *zoom.RateLimiter
	syncer  *syncer.Syncer
}

// zoomAPI is the process's one Zoom REST client. Every call waits on its rate
// limiter, so all connections and features share each Zoom account's limits;
// on PostgreSQL the budget lives in the database, shared by every replica
// (on SQLite there is one process, and memory is enough). Other features
// should make their Zoom calls through it too.
func (s *Server) zoomAPI() *zoom.Client {
	if s.sync.api != nil {
		return s.sync.api
	}
	var budget zoom.Budget = zoom.NewMemoryBudget()
	if s.Store.Dialect() == store.Postgres {
		budget = s.Store
	}
	// Pro until Zoom's headers say otherwise: the reports sync needs are Pro+.
	s.sync.limiter = zoom.NewRateLimiter(budget, zoom.PlanPro)
	s.sync.api = zoom.NewClient(s.Config.ZoomAPIURL, nil, s.sync.limiter)
	return s.sync.api
}

// syncService builds the syncer on first use (wiring runs in Open, on one goroutine).
func (s *Server) syncService() *syncer.Syncer {
	if s.sync.syncer != nil {
		return s.sync.syncer
	}
	client := s.zoomAPI()
	sy, err := syncer.New(syncer.Config{
		Store: s.Store, Log: s.Log, Now: s.Now,
		Conn: func(c store.Connection) *zoom.Conn {
			return client.For(s.connectService().TokenSource(c.ID), c.ZoomAccountID)
		},
	})
	if err != nil {
		panic("syncer: " + err.Error()) // only a missing Store, which Open always sets first
	}
	s.sync.syncer = sy
	return sy
}

// syncWorkers registers the pass and tick workers.
func (s *Server) syncWorkers(w *river.Workers) {
	sy := s.syncService()
	river.AddWorker(w, &syncer.PassWorker{Syncer: sy})
	river.AddWorker(w, &syncer.TickWorker{Syncer: sy})
}

// syncQueue has every new connection's backfill (or a reconnected one's
// catch-up) queued in the transaction that stores it.
func (s *Server) syncQueue() {
	sy := s.syncService()
	s.connectService().OnConnected(func(ctx context.Context, tx *store.Store, sqlTx *sql.Tx, c store.Connection, renewed bool) error {
		kind := store.PassBackfill
		if renewed {
			kind = ""
		}
		_, err := sy.EnqueueTx(ctx, tx, sqlTx, s.Jobs.Client(), c.ID, kind)
		return err
	})
}

// syncPeriodic looks for due passes every minute; each connection's
// incremental pass is due 15 minutes after its last one.
func (s *Server) syncPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{syncer.TickPeriodic(time.Minute)}
}

// syncNow queues "Sync now", the 30-day sweep of an organization's
// connection (web.Zoom.SyncNow). A pass already under way is followed by it.
func (s *Server) syncNow(ctx context.Context, orgID, connID, _ int64) error {
	if _, err := s.Store.OrgConnection(ctx, orgID, connID); err != nil {
		return err
	}
	_, err := s.syncService().Enqueue(ctx, s.Jobs.Client(), connID, store.PassSweep)
	return err
}
