package outbound

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Enqueuer is the job client deliveries are enqueued on (jobs.Client).
type Enqueuer interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// Publish has only a Store, so the process's queue is found by the store's
// database. A database without a registered queue (a tool, a test without
// a server) still gets its deliveries: the due sweep of the next process
// that works the queue enqueues them.
var queues sync.Map // *sql.DB → Enqueuer

// register makes q the queue of st's database until the returned func runs.
func register(st *store.Store, q Enqueuer) func() {
	queues.Store(st.DB(), q)
	return func() { queues.CompareAndDelete(st.DB(), q) }
}

// jobDeliveries is the most deliveries one job attempts.
const jobDeliveries = 100

// enqueueTx queues the deliveries' jobs in st's transaction, to run at
// (real) time at, or now when at is zero.
func enqueueTx(ctx context.Context, st *store.Store, ids []int64, at time.Time) error {
	q, ok := queues.Load(st.DB())
	if !ok || len(ids) == 0 || st.Tx() == nil {
		return nil
	}
	var params []river.InsertManyParams
	for len(ids) > 0 {
		n := min(len(ids), jobDeliveries)
		params = append(params, river.InsertManyParams{Args: DeliverArgs{DeliveryIDs: ids[:n]}, InsertOpts: &river.InsertOpts{ScheduledAt: at}})
		ids = ids[n:]
	}
	_, err := q.(Enqueuer).InsertManyTx(ctx, st.Tx(), params)
	return err
}

// subscriptionTTL bounds how long a process trusts its cached list of an
// organization's subscriptions. Changes made through this process are seen at
// once; another replica's (PostgreSQL) within this time.
const subscriptionTTL = time.Second

// subscriptions caches each organization's enabled endpoints and filters.
type subscriptions struct {
	mu    sync.Mutex
	gen   uint64 // bumped by every change; a load that raced one is not kept
	byOrg map[subKey]subEntry
}

type subKey struct {
	db  *sql.DB
	org int64
}

type subEntry struct {
	eps    []store.OutboundEndpoint
	loaded time.Time // real time: the TTL is about other processes, not the emulated clock
}

var subs = &subscriptions{byOrg: map[subKey]subEntry{}}

// endpoints returns the ids of the organization's enabled endpoints that
// want eventType.
func (c *subscriptions) endpoints(ctx context.Context, st *store.Store, orgID int64, eventType string) ([]int64, error) {
	key := subKey{st.DB(), orgID}
	c.mu.Lock()
	e, ok := c.byOrg[key]
	gen := c.gen
	c.mu.Unlock()
	if !ok || time.Since(e.loaded) > subscriptionTTL {
		eps, err := st.OutboundSubscriptions(ctx, orgID)
		if err != nil {
			return nil, err
		}
		e = subEntry{eps: eps, loaded: time.Now()}
		c.mu.Lock()
		if c.gen == gen {
			c.byOrg[key] = e
		}
		c.mu.Unlock()
	}
	var ids []int64
	for _, ep := range e.eps {
		if ep.Wants(eventType) {
			ids = append(ids, ep.ID)
		}
	}
	return ids, nil
}

// forget drops an organization's cached subscriptions after a change.
func (c *subscriptions) forget(st *store.Store, orgID int64) {
	c.mu.Lock()
	c.gen++
	delete(c.byOrg, subKey{st.DB(), orgID})
	c.mu.Unlock()
}
