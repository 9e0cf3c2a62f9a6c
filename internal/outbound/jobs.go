package outbound

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"github.com/zoombridge/zoombridge/internal/store"
)

// DeliverArgs is the job of due attempts: the deliveries of one commit (an
// event to several endpoints, a batch of activities), or one retry. One job
// for many keeps the queue's own work per delivery small.
type DeliverArgs struct {
	DeliveryIDs []int64 `json:"delivery_ids"`
}

// Kind names the job in the queue.
func (DeliverArgs) Kind() string { return "outbound_deliver" }

// Queue is the job queue deliveries run in: waiting on receivers, they need
// many more workers than the CPU-bound jobs of the default queue.
const Queue = "outbound"

// QueueWorkers is how many deliveries a process has in flight at once.
const QueueWorkers = 100

// InsertOpts: an attempt's outcome is recorded by Attempt itself, so River
// retries only what broke before that (the database).
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 5}
}

// Queues are the job queues the job client must work for deliveries.
func Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{Queue: {MaxWorkers: QueueWorkers}}
}

// AddQueue has an already built job client work deliveries (tests, tools).
func AddQueue(c interface{ Queues() *river.QueueBundle }) error {
	return c.Queues().Add(Queue, Queues()[Queue])
}

// DeliverWorker makes delivery attempts.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	Service *Service
}

// Work makes the attempts the deliveries are due for.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.Service.Attempt(ctx, job.Args.DeliveryIDs...)
}

// Timeout leaves room for the request and the records around it.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return lease }

// DueArgs is the periodic sweep for deliveries whose job did not run when
// due: an attempt cut off by a crash (its lease ended), an event published
// where no queue was registered, or a clock other than River's.
type DueArgs struct{}

// Kind names the job in the queue.
func (DueArgs) Kind() string { return "outbound_due" }

// DueWorker runs the sweep.
type DueWorker struct {
	river.WorkerDefaults[DueArgs]
	Service *Service
}

// sweepGrace leaves deliveries whose own job is about to run to that job.
const sweepGrace = 10 * time.Second

// Work enqueues overdue deliveries.
func (w *DueWorker) Work(ctx context.Context, _ *river.Job[DueArgs]) error {
	_, err := w.Service.Sweep(ctx, w.Service.now().Add(-sweepGrace))
	return err
}

// DuePeriodic schedules the sweep every interval, and once at start (after
// a crash, the deliveries it cut off).
func DuePeriodic(every time.Duration) *river.PeriodicJob { return periodic(DueArgs{}, every) }

// periodic runs a job every interval and once at start. Only River's elected
// leader enqueues periodic jobs and the unique-by-period option makes a second
// insert in a period a no-op, so it runs once per period across replicas.
func periodic(args river.JobArgs, every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// Sweep enqueues an attempt for every pending delivery due at or before
// until, and returns how many.
func (s *Service) Sweep(ctx context.Context, until time.Time) (int, error) {
	ids, err := s.st.DueOutboundDeliveries(ctx, until, 1000)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return len(ids), s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error { return enqueueTx(ctx, st, ids, time.Time{}) })
}

// AddWorkers registers the delivery, sweep, retention and activity events workers.
func (s *Service) AddWorkers(w *river.Workers) {
	river.AddWorker(w, &DeliverWorker{Service: s})
	river.AddWorker(w, &DueWorker{Service: s})
	river.AddWorker(w, &PruneWorker{Service: s})
	river.AddWorker(w, &ActivityEventsWorker{Service: s})
}

// ActivityEventsArgs is the job that writes a batch of upserts' activity
// events (ActivityBatch), in the delivery queue, off the ingest path.
type ActivityEventsArgs struct {
	OrgID      int64         `json:"org_id"`
	At         time.Time     `json:"at"` // when the change was made: the events' timestamp
	Activities []ActivityRef `json:"activities"`
}

// Kind names the job in the queue.
func (ActivityEventsArgs) Kind() string { return "outbound_activity_events" }

// InsertOpts: in the delivery queue, beside the deliveries it leads to.
func (ActivityEventsArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: Queue} }

// ActivityEventsWorker writes activity events.
type ActivityEventsWorker struct {
	river.WorkerDefaults[ActivityEventsArgs]
	Service *Service
}

// Work writes the events and completes the job in one transaction, so a
// crash either leaves both undone (the job runs again) or both done: the
// events are written once.
func (w *ActivityEventsWorker) Work(ctx context.Context, job *river.Job[ActivityEventsArgs]) error {
	return w.Service.st.InTx(ctx, func(st *store.Store, tx *sql.Tx) error {
		if _, err := writeActivityEvents(ctx, st, job.Args); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[riverdriver.Driver[*sql.Tx]](ctx, tx, job)
		return err
	})
}
