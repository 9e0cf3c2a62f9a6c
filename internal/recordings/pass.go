package recordings

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Passes list a rep's recordings from Zoom: every 15 minutes since the last
// success (healing what a webhook missed, D2), and the past 30 days when a
// person presses Sync Recordings (R5).
const (
	PassEvery   = 15 * time.Minute
	SweepWindow = 30 * 24 * time.Hour
	passOverlap = 24 * time.Hour // Zoom lists by day; a recording can finish hours after its meeting started
)

// target is one rep a pass lists: how they are reached and their Zoom user.
type target struct {
	rep
	zoomUserID string
}

// targets lists the organization's reps whose recordings are kept, one each,
// their own connection preferred.
func (s *Service) targets(ctx context.Context, orgID int64) ([]target, error) {
	conns, err := s.st.Connections(ctx, orgID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var hosts []string
	for _, c := range conns {
		if c.Kind == store.KindUserOAuth {
			if !seen[c.ZoomUserID] {
				seen[c.ZoomUserID], hosts = true, append(hosts, c.ZoomUserID)
			}
			continue
		}
		users, err := s.st.ZoomUsersOfConnection(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.PersonID != 0 && !seen[u.ZoomUserID] {
				seen[u.ZoomUserID], hosts = true, append(hosts, u.ZoomUserID)
			}
		}
	}
	var out []target
	for _, h := range hosts {
		reps, err := s.repsOf(ctx, s.st, conns, h)
		if err != nil {
			return nil, err
		}
		for _, r := range reps {
			out = append(out, target{rep: r, zoomUserID: h})
		}
	}
	return out, nil
}

// PassArgs lists one rep's recordings.
type PassArgs struct {
	OrgID    int64 `json:"org_id"`
	PersonID int64 `json:"person_id"`
	Sweep    bool  `json:"sweep,omitempty"`
}

// Kind names the job in the queue.
func (PassArgs) Kind() string { return "recordings_pass" }

// PassWorker runs PassArgs jobs.
type PassWorker struct {
	river.WorkerDefaults[PassArgs]
	S *Service
}

// Work runs the pass.
func (w *PassWorker) Work(ctx context.Context, job *river.Job[PassArgs]) error {
	return w.S.Pass(ctx, job.Args)
}

// Pass lists one rep's recordings and stores and links what it finds. A
// Basic plan or a missing scope is recorded for the rep's panel without a
// single recording call (C6, C3).
func (s *Service) Pass(ctx context.Context, a PassArgs) error {
	ts, err := s.targets(ctx, a.OrgID)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.personID == a.PersonID {
			return s.pass(ctx, t, a.Sweep)
		}
	}
	return nil // no longer a rep with recordings kept
}

// Blocker is why a rep's recordings cannot be listed, as a code, with the
// missing scopes; "" when nothing blocks.
func Blocker(c store.Connection, userType int) (string, []string) {
	if userType == connect.PlanBasic {
		return store.RecordingProblemBasic, nil
	}
	for _, p := range connect.MissingScopes(c) {
		if p.Feature == recordingsFeature {
			return store.RecordingProblemMissingScope, p.Scopes
		}
	}
	return "", nil
}

// recordingsFeature is how connect names the feature needing recording scopes.
const recordingsFeature = "Cloud recordings"

func (s *Service) pass(ctx context.Context, t target, sweep bool) error {
	now := s.now()
	if problem, _ := Blocker(t.conn, t.userType); problem != "" {
		return s.st.RecordRecordingPass(ctx, t.conn.OrgID, t.personID, time.Time{}, problem, sweep, now)
	}
	rp, err := s.st.RecordingPersonOf(ctx, t.conn.OrgID, t.personID)
	if err != nil {
		return err
	}
	from := now.Add(-SweepWindow)
	if !sweep && rp.SyncedUntil.After(from) {
		from = rp.SyncedUntil.Add(-passOverlap)
	}
	zc := s.conn(t.conn)
	err = zc.Recordings(ctx, t.zoomUserID, from, now, func(p *zoom.RecordingsPage) error {
		for _, m := range p.Meetings {
			if err := s.storeListed(ctx, zc, t.rep, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if problem := problemOf(err); problem != "" {
			return s.st.RecordRecordingPass(ctx, t.conn.OrgID, t.personID, time.Time{}, problem, sweep, now)
		}
		return err
	}
	return s.st.RecordRecordingPass(ctx, t.conn.OrgID, t.personID, now, "", sweep, now)
}

// storeListed saves a listed meeting's files, and its summary when Zoom
// lists a summary file the rep's summaries do not hold yet. Listed files are
// stored as present with no time of state, so a trash or delete event
// already applied is never undone by a listing.
func (s *Service) storeListed(ctx context.Context, zc *zoom.Conn, r rep, m zoom.RecordingMeeting) error {
	arts := filesFromAPI(r, m, time.Time{})
	for i := range arts {
		arts[i].DescribedAt, arts[i].TopicAt = time.Time{}, time.Time{}
	}
	summary, err := s.listedSummary(ctx, zc, r, m)
	if err != nil {
		return err
	}
	if summary != nil {
		arts = append(arts, *summary)
	}
	return s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		for _, a := range arts {
			if _, err := s.save(ctx, tx, a); err != nil {
				return err
			}
		}
		return s.relinkMeeting(ctx, tx, r.conn.OrgID, m.UUID)
	})
}

func (s *Service) listedSummary(ctx context.Context, zc *zoom.Conn, r rep, m zoom.RecordingMeeting) (*store.Artifact, error) {
	hasFile := false
	for _, f := range m.RecordingFiles {
		hasFile = hasFile || f.FileType == "SUMMARY"
	}
	if !hasFile {
		return nil, nil
	}
	if _, err := s.st.ArtifactByKey(ctx, r.conn.OrgID, store.ArtifactSummary, m.UUID); err == nil {
		return nil, nil
	}
	sm, err := zc.MeetingSummary(ctx, m.UUID)
	if zoom.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	keep, err := s.st.KeepSummaryText(ctx, r.conn.OrgID)
	if err != nil {
		return nil, err
	}
	a := summaryFromAPI(r, sm, keep, time.Time{})
	a.DescribedAt, a.TopicAt = time.Time{}, time.Time{}
	return &a, nil
}

// TickArgs queues each rep's incremental pass.
type TickArgs struct{}

// Kind names the job in the queue.
func (TickArgs) Kind() string { return "recordings_tick" }

// TickWorker runs TickArgs jobs.
type TickWorker struct {
	river.WorkerDefaults[TickArgs]
	S *Service
}

// Work queues a pass for every rep of every organization.
func (w *TickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	return w.S.QueuePasses(ctx, false)
}

// QueuePasses queues a pass for every rep of every organization.
func (s *Service) QueuePasses(ctx context.Context, sweep bool) error {
	orgs, err := s.st.Organizations(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		ts, err := s.targets(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if err := s.QueuePass(ctx, o.ID, t.personID, sweep); err != nil {
				return err
			}
		}
	}
	return nil
}

// QueuePass queues one rep's pass; a pass of the same kind waiting or
// running is enough. Completed passes are left out of the uniqueness, or a
// rep's next pass would wait for River to forget the last one.
func (s *Service) QueuePass(ctx context.Context, orgID, personID int64, sweep bool) error {
	return s.st.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		_, err := s.queue.InsertTx(ctx, sqlTx, PassArgs{OrgID: orgID, PersonID: personID, Sweep: sweep},
			&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: passStates}})
		return err
	})
}

var passStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable}

// TickPeriodic is the 15-minute incremental pass.
func TickPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(PassEvery), func() (river.JobArgs, *river.InsertOpts) {
		return TickArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: PassEvery}}
	}, nil)
}
