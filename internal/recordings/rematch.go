package recordings

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RematchWindow is how far back the daily re-match looks for artifacts whose
// CRM activity was registered after they arrived.
const RematchWindow = 7 * 24 * time.Hour

// RematchArgs runs the daily re-match.
type RematchArgs struct{}

// Kind names the job in the queue.
func (RematchArgs) Kind() string { return "recordings_rematch" }

// RematchWorker runs RematchArgs jobs.
type RematchWorker struct {
	river.WorkerDefaults[RematchArgs]
	S *Service
}

// Work re-matches every organization.
func (w *RematchWorker) Work(ctx context.Context, _ *river.Job[RematchArgs]) error {
	orgs, err := w.S.st.Organizations(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if _, err := w.S.Rematch(ctx, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// RematchPeriodic runs the re-match once a day.
func RematchPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour), func() (river.JobArgs, *river.InsertOpts) {
		return RematchArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
	}, nil)
}

// Rematch applies the linking rules again to the organization's unlinked
// artifacts of meetings in the last RematchWindow, and reports how many
// meetings it looked at.
func (s *Service) Rematch(ctx context.Context, orgID int64) (int, error) {
	seen := map[string]bool{}
	var after int64
	for {
		page, err := s.st.Artifacts(ctx, store.ArtifactFilter{OrgID: orgID, Unlinked: true, Since: s.now().Add(-RematchWindow), AfterID: after, Limit: 200})
		if err != nil || len(page) == 0 {
			return len(seen), err
		}
		for _, a := range page {
			after = a.ID
			if seen[a.MeetingUUID] {
				continue
			}
			seen[a.MeetingUUID] = true
			err := s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error { return s.relinkMeeting(ctx, tx, orgID, a.MeetingUUID) })
			if err != nil {
				return len(seen), err
			}
		}
	}
}
