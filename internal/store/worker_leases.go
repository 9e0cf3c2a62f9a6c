package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// nowMS is the database's clock in epoch milliseconds: leases of several
// replicas are written and judged by one clock, whatever theirs say.
func (s *Store) nowMS() string {
	if s.dialect == Postgres {
		return "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT"
	}
	return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
}

// RenewLease records that worker is alive, now by the database's clock.
func (s *Store) RenewLease(ctx context.Context, worker string) error {
	now := s.nowMS()
	_, err := s.exec(ctx, "INSERT INTO worker_leases (worker, started_at, heartbeat_at) VALUES (?, "+now+", "+now+")"+
		" ON CONFLICT (worker) DO UPDATE SET heartbeat_at = excluded.heartbeat_at", worker)
	return err
}

// DropLease forgets worker's lease (a clean stop).
func (s *Store) DropLease(ctx context.Context, worker string) error {
	_, err := s.exec(ctx, "DELETE FROM worker_leases WHERE worker = ?", worker)
	return err
}

// Orphans counts what a recovery handed back.
type Orphans struct {
	Requeued  int64 // jobs made available again
	Discarded int64 // jobs that had used every attempt
}

// RequeueAllRunningJobs makes every job marked running available again. It
// is for SQLite at start, before this process works any job: one process
// owns the file, so whatever is marked running was left by a dead one. A job
// that has used all its attempts is discarded instead, so that a job that
// kills the process cannot make it crash at every start.
func (s *Store) RequeueAllRunningJobs(ctx context.Context) (Orphans, error) {
	return s.requeue(ctx, "state = 'running'")
}

// RequeueOrphanedJobs (PostgreSQL) makes available again the jobs running
// under a worker whose lease is older than ttl, or which has none and
// started the job more than ttl ago (a process from before leases), and
// forgets the expired leases, in one transaction.
func (s *Store) RequeueOrphanedJobs(ctx context.Context, ttl time.Duration) (Orphans, error) {
	var out Orphans
	err := s.InTx(ctx, func(tx *Store, _ *sql.Tx) error {
		cutoff := tx.nowMS() + " - " + strconv.FormatInt(ttl.Milliseconds(), 10)
		live := "SELECT worker FROM worker_leases WHERE heartbeat_at >= " + cutoff
		var err error
		out, err = tx.requeue(ctx, "state = 'running'"+
			" AND attempted_at < clock_timestamp() - make_interval(secs => "+strconv.FormatInt(ttl.Milliseconds(), 10)+" / 1000.0)"+
			" AND NOT (attempted_by[array_length(attempted_by, 1)] = ANY (ARRAY("+live+")))")
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, "DELETE FROM worker_leases WHERE heartbeat_at < "+cutoff)
		return err
	})
	return out, err
}

func (s *Store) requeue(ctx context.Context, where string) (Orphans, error) {
	var out Orphans
	finalized := "datetime('now', 'subsec')"
	if s.dialect == Postgres {
		finalized = "now()"
	}
	res, err := s.exec(ctx, "UPDATE river_job SET state = 'discarded', finalized_at = "+finalized+" WHERE "+where+" AND attempt >= max_attempts")
	if err != nil {
		return out, err
	}
	out.Discarded, _ = res.RowsAffected()
	res, err = s.exec(ctx, "UPDATE river_job SET state = 'available' WHERE "+where)
	if err != nil {
		return out, err
	}
	out.Requeued, _ = res.RowsAffected()
	return out, nil
}

// LowestPendingInboxID is the id of the oldest event not processed yet, 0
// when there is none.
func (s *Store) LowestPendingInboxID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := s.queryRow(ctx, "SELECT MIN(id) FROM webhook_inbox WHERE processed_at = 0").Scan(&id)
	return id.Int64, err
}
