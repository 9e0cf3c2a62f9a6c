package jobs

import (
	"context"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Recovery on PostgreSQL: every process renews its lease every LeaseBeat; a
// lease not renewed for LeaseTTL belongs to a dead process, and the jobs it
// left running are made available by whichever replica beats next. A dead
// replica's work runs again within LeaseTTL + LeaseBeat of its death, not
// after River's stuck-job rescue (RescueStuckJobsAfter, which must exceed the
// longest job's timeout). A live process that stalls past LeaseTTL may see a
// job it still runs started again elsewhere; every job is idempotent.
const (
	LeaseBeat = 2 * time.Second
	LeaseTTL  = 10 * time.Second
)

// recover hands back, before this process works any job, what a dead one
// left running. On SQLite one process owns the file, so every job marked
// running is orphaned; on PostgreSQL those of workers whose lease ran out.
func (s *Service) recover(ctx context.Context) error {
	var got store.Orphans
	var err error
	if s.st.Dialect() == store.SQLite {
		got, err = s.st.RequeueAllRunningJobs(ctx)
	} else {
		if err = s.st.RenewLease(ctx, s.id); err != nil {
			return err
		}
		got, err = s.st.RequeueOrphanedJobs(ctx, LeaseTTL)
	}
	s.logOrphans(got)
	return err
}

func (s *Service) logOrphans(o store.Orphans) {
	if o.Requeued > 0 || o.Discarded > 0 {
		s.log.Warn("jobs left running by a stopped process taken up again", "requeued", o.Requeued, "discarded_out_of_attempts", o.Discarded)
	}
}

// beat renews this process's lease and takes back dead replicas' jobs until
// stop is closed (PostgreSQL only).
func (s *Service) beat(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(LeaseBeat)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), LeaseBeat)
		err := s.st.RenewLease(ctx, s.id)
		if err == nil {
			var got store.Orphans
			got, err = s.st.RequeueOrphanedJobs(ctx, LeaseTTL)
			s.logOrphans(got)
		}
		cancel()
		if err != nil {
			s.log.Warn("job lease not renewed", "err", err)
		}
	}
}
