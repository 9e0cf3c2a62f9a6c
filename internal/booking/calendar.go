package booking

import (
	"context"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Link is one public booking link: its profile, host and meeting type.
type Link struct {
	Profile store.BookingProfile
	Person  store.Person
	Type    store.BookingType
	Hours   Hours
}

// RulesOf turns a stored type into availability rules.
func RulesOf(t store.BookingType) Rules {
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	return Rules{Duration: m(t.DurationMin), BufferBefore: m(t.BufferBefore), BufferAfter: m(t.BufferAfter),
		Notice: m(t.NoticeMin), Increment: m(t.IncrementMin), WindowDays: t.WindowDays, DailyLimit: t.DailyLimit}
}

// LinkBySlugs finds an active link; anything else is ErrNotFound.
func (s *Service) LinkBySlugs(ctx context.Context, st *store.Store, personSlug, typeSlug string) (Link, error) {
	p, err := st.BookingProfileBySlug(ctx, personSlug)
	if err != nil {
		return Link{}, notFound(err)
	}
	return s.link(ctx, st, p, typeSlug)
}

func (s *Service) link(ctx context.Context, st *store.Store, p store.BookingProfile, typeSlug string) (Link, error) {
	person, err := st.PersonByID(ctx, p.OrgID, p.PersonID)
	if err != nil {
		return Link{}, notFound(err)
	}
	t, err := st.BookingTypeBySlug(ctx, p.PersonID, typeSlug)
	if err != nil {
		return Link{}, notFound(err)
	}
	if !t.Active {
		return Link{}, ErrNotFound
	}
	h, err := ParseHoursJSON(p.Hours)
	if err != nil {
		return Link{}, err
	}
	return Link{Profile: p, Person: person, Type: t, Hours: h}, nil
}

func notFound(err error) error {
	if err == store.ErrNotFound {
		return ErrNotFound
	}
	return err
}

// calendar reads what availability needs around [from, to): the person's
// upcoming Zoom meetings and confirmed bookings as busy time (a booking's own
// Zoom meeting counts once, as the booking; skip is a booking being moved),
// and the type's bookings per day.
func (s *Service) calendar(ctx context.Context, st *store.Store, l Link, from, to time.Time, skip int64) (Calendar, error) {
	pad := 48 * time.Hour
	bookings, err := st.ConfirmedBookings(ctx, l.Person.ID, from.Add(-pad), to.Add(pad))
	if err != nil {
		return Calendar{}, err
	}
	meetings, err := st.UpcomingTimes(ctx, l.Person.ID, from.Add(-pad), to.Add(pad))
	if err != nil {
		return Calendar{}, err
	}
	taken, err := st.BookingsPerDay(ctx, l.Type.ID, from.Add(-pad), to.Add(pad))
	if err != nil {
		return Calendar{}, err
	}
	cal := Calendar{Hours: l.Hours, Taken: taken, Now: s.now()}
	ours := map[string]bool{}
	for _, b := range bookings {
		if b.ZoomMeetingID != "" {
			ours[b.ZoomMeetingID] = true
		}
		if b.ID == skip {
			if b.TypeID == l.Type.ID {
				cal.Taken[b.LocalDate]--
			}
			continue
		}
		cal.Busy = append(cal.Busy, Busy{Start: b.Start, End: b.End,
			Before: time.Duration(b.BufferBefore) * time.Minute, After: time.Duration(b.BufferAfter) * time.Minute})
	}
	for _, m := range meetings {
		if !ours[m.ZoomMeetingID] {
			cal.Busy = append(cal.Busy, Busy{Start: m.Start, End: m.End})
		}
	}
	return cal, nil
}

// Availability lists the link's open slots from now through its window.
// Busy time older than FreshFor is refreshed by a job meanwhile; the answer
// never waits on Zoom.
func (s *Service) Availability(ctx context.Context, st *store.Store, l Link) ([]time.Time, error) {
	if s.now().Sub(l.Profile.BusyRefreshedAt) >= FreshFor {
		if _, err := s.cfg.Jobs().Insert(ctx, RefreshArgs{PersonID: l.Person.ID, OrgID: l.Person.OrgID}, nil); err != nil {
			s.log.Warn("booking: queue busy-time refresh", "person_id", l.Person.ID, "err", err)
		}
	}
	return s.AvailabilityMoving(ctx, st, l, 0)
}

// AvailabilityMoving lists the slots booking id may move to: its own time
// does not count as busy.
func (s *Service) AvailabilityMoving(ctx context.Context, st *store.Store, l Link, id int64) ([]time.Time, error) {
	now := s.now()
	days := l.Type.WindowDays
	if days <= 0 {
		days = DefaultWindowDays
	}
	to := now.Add(time.Duration(days) * 24 * time.Hour)
	cal, err := s.calendar(ctx, st, l, now, to, id)
	if err != nil {
		return nil, err
	}
	return Slots(cal, RulesOf(l.Type), now, to)
}
