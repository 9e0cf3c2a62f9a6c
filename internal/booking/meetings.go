package booking

import (
	"context"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Meetings in the app (feature S2): the person's upcoming Zoom meetings,
// wherever they were made, and meetings started or scheduled from zoombridge
// on the person's own account.

// RefreshUpcoming reads the person's upcoming meetings from Zoom into the
// store, where booking links count them as busy and the app lists them.
func (s *Service) RefreshUpcoming(ctx context.Context, p store.Person) error {
	h, err := s.ResolveHost(ctx, s.cfg.Store, p)
	if err != nil {
		return err
	}
	list, err := s.cfg.Zoom(h.Conn).AllUpcomingMeetings(ctx, h.ZoomUserID)
	if err != nil {
		return err
	}
	var out []store.UpcomingMeeting
	for _, m := range list {
		start := m.Start()
		if start.IsZero() { // no fixed time: nothing to block
			continue
		}
		out = append(out, store.UpcomingMeeting{ZoomMeetingID: m.Number(), Topic: m.Topic, Start: start,
			End: start.Add(time.Duration(max(m.Duration, 1)) * time.Minute), JoinURL: m.JoinURL})
	}
	return s.cfg.Store.ReplaceUpcoming(ctx, p.OrgID, p.ID, out, s.now())
}

// Upcoming lists the person's meetings that have not ended, freshly read from
// Zoom when Zoom answers (stale is true when the list is the last one read).
func (s *Service) Upcoming(ctx context.Context, p store.Person) (list []store.UpcomingMeeting, stale error) {
	stale = s.RefreshUpcoming(ctx, p)
	now := s.now()
	list, err := s.cfg.Store.Upcoming(ctx, p.ID, now, now.AddDate(1, 0, 0))
	if err != nil {
		return nil, err
	}
	return list, stale
}

// NewMeeting is a meeting started or scheduled from the app; a zero Start
// starts an instant meeting.
type NewMeeting struct {
	Topic    string
	Start    time.Time
	Duration time.Duration
}

// CreateMeeting makes the meeting on the person's own Zoom account.
func (s *Service) CreateMeeting(ctx context.Context, p store.Person, in NewMeeting) (zoom.Meeting, error) {
	in.Topic = strings.TrimSpace(in.Topic)
	switch {
	case in.Topic == "" || len(in.Topic) > 200:
		return zoom.Meeting{}, &InputError{"topic", "Give the meeting a topic (up to 200 characters)."}
	case !in.Start.IsZero() && in.Start.Before(s.now().Add(-time.Minute)):
		return zoom.Meeting{}, &InputError{"start", "Pick a start in the future."}
	case in.Duration < 0 || in.Duration > 24*time.Hour:
		return zoom.Meeting{}, &InputError{"duration", "Duration is up to 24 hours."}
	}
	if in.Duration == 0 {
		in.Duration = 30 * time.Minute
	}
	h, err := s.ResolveHost(ctx, s.cfg.Store, p)
	if err != nil {
		return zoom.Meeting{}, err
	}
	zone := ""
	if prof, err := s.cfg.Store.BookingProfileOf(ctx, p.ID); err == nil {
		if hrs, err := ParseHoursJSON(prof.Hours); err == nil {
			zone = hrs.Zone
		}
	}
	m, err := s.cfg.Zoom(h.Conn).CreateMeeting(ctx, h.ZoomUserID, zoom.MeetingRequest{Topic: in.Topic, Start: in.Start, Duration: in.Duration, Timezone: zone})
	if err != nil {
		return m, err
	}
	if start := m.Start(); !in.Start.IsZero() && !start.IsZero() {
		err = s.cfg.Store.UpsertUpcoming(ctx, store.UpcomingMeeting{OrgID: p.OrgID, PersonID: p.ID, ZoomMeetingID: m.Number(),
			Topic: m.Topic, Start: start, End: start.Add(in.Duration), JoinURL: m.JoinURL}, s.now())
	}
	return m, err
}

// RefreshArgs refreshes one person's upcoming meetings (busy time).
type RefreshArgs struct {
	PersonID int64 `json:"person_id"`
	OrgID    int64 `json:"org_id"`
}

func (RefreshArgs) Kind() string { return "booking_refresh_upcoming" }

// InsertOpts keeps one waiting refresh per person.
func (RefreshArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// RefreshWorker runs RefreshArgs.
type RefreshWorker struct {
	river.WorkerDefaults[RefreshArgs]
	S *Service
}

func (w *RefreshWorker) Work(ctx context.Context, job *river.Job[RefreshArgs]) error {
	p, err := w.S.cfg.Store.PersonByID(ctx, job.Args.OrgID, job.Args.PersonID)
	if err != nil {
		return nil // gone
	}
	err = w.S.RefreshUpcoming(ctx, p)
	if permanentCode(err) != "" {
		return nil // the booking page says why; nothing to retry
	}
	return err
}

// TickArgs queues a refresh of every booking profile whose busy time is older
// than FreshFor: Zoom meetings made elsewhere become busy within minutes.
type TickArgs struct{}

func (TickArgs) Kind() string { return "booking_refresh_tick" }

// FreshFor is how old busy time may get before the tick refreshes it.
const FreshFor = 10 * time.Minute

// TickWorker runs TickArgs.
type TickWorker struct {
	river.WorkerDefaults[TickArgs]
	S *Service
}

func (w *TickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	profiles, err := w.S.cfg.Store.BookingProfiles(ctx)
	if err != nil {
		return err
	}
	now := w.S.now()
	for _, p := range profiles {
		if now.Sub(p.BusyRefreshedAt) < FreshFor {
			continue
		}
		if _, err := w.S.cfg.Jobs().Insert(ctx, RefreshArgs{PersonID: p.PersonID, OrgID: p.OrgID}, nil); err != nil {
			return err
		}
	}
	return nil
}

// TickPeriodic runs the tick every period.
func TickPeriodic(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return TickArgs{}, nil
	}, &river.PeriodicJobOpts{RunOnStart: true})
}
