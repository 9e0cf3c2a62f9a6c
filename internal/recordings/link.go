package recordings

import (
	"context"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Tolerance widens a meeting's time on both sides when looking for the rep's
// overlapping CRM activity (rule 3): calls start early and run late.
const Tolerance = 15 * time.Minute

// meetingKey is what linking knows of a meeting; never attendee identities.
type meetingKey struct {
	orgID        int64
	number, uuid string
	personID     int64
	start, end   time.Time
}

// match applies the linking rules in order: (1) the CRM activity a booking
// created for this meeting; (2) a CRM activity registered with the meeting
// id or UUID; (3) the rep's CRM activity overlapping the meeting's time
// within Tolerance; otherwise unlinked, with the reason.
func match(ctx context.Context, tx *store.Store, m meetingKey) (store.Link, error) {
	registered, err := tx.CRMActivitiesForMeeting(ctx, m.orgID, m.number, m.uuid)
	if err != nil {
		return store.Link{}, err
	}
	var booked, byMeeting []store.CRMActivity
	for _, a := range registered {
		if a.Source == store.CRMSourceBooking {
			booked = append(booked, a)
		} else {
			byMeeting = append(byMeeting, a)
		}
	}
	if a, ok := closest(booked, m); ok {
		return linkTo(a, store.LinkBooking), nil
	}
	if a, ok := closest(byMeeting, m); ok {
		return linkTo(a, store.LinkMeeting), nil
	}
	if m.personID != 0 && !m.start.IsZero() {
		end := m.end
		if end.Before(m.start) {
			end = m.start
		}
		near, err := tx.CRMActivitiesOverlapping(ctx, m.orgID, m.personID, m.start.Add(-Tolerance), end.Add(Tolerance))
		if err != nil {
			return store.Link{}, err
		}
		if a, ok := closest(near, m); ok {
			return linkTo(a, store.LinkOverlap), nil
		}
	}
	return store.Link{UnlinkedReason: store.UnlinkedNoActivity}, nil
}

func linkTo(a store.CRMActivity, rule string) store.Link {
	return store.Link{DealID: a.DealID, CRMActivityID: a.ID, Rule: rule}
}

// closest picks, among candidates, one registered with the meeting's exact
// UUID, else the one whose start is nearest the meeting's (a recurring
// meeting's number is shared by every occurrence).
func closest(cands []store.CRMActivity, m meetingKey) (store.CRMActivity, bool) {
	best, found := store.CRMActivity{}, false
	score := func(a store.CRMActivity) time.Duration {
		if m.uuid != "" && a.ZoomMeetingUUID == m.uuid {
			return -1
		}
		d := a.StartAt.Sub(m.start)
		if d < 0 {
			d = -d
		}
		return d
	}
	for _, a := range cands {
		if !found || score(a) < score(best) {
			best, found = a, true
		}
	}
	return best, found
}

// relinkMeeting links a meeting's artifacts by the rules, leaving those a
// person moved or detached alone, and publishes each change.
func (s *Service) relinkMeeting(ctx context.Context, tx *store.Store, orgID int64, uuid string) error {
	arts, err := tx.Artifacts(ctx, store.ArtifactFilter{OrgID: orgID, MeetingUUID: uuid, WithGone: true})
	if err != nil || len(arts) == 0 {
		return err
	}
	m := meetingKey{orgID: orgID, uuid: uuid}
	for _, a := range arts {
		m.number = firstNonEmpty(m.number, a.MeetingID)
		if m.personID == 0 {
			m.personID = a.PersonID
		}
		if m.start.IsZero() {
			m.start = a.MeetingStart
		}
		if a.MeetingEnd.After(m.end) {
			m.end = a.MeetingEnd
		}
	}
	l, err := match(ctx, tx, m)
	if err != nil {
		return err
	}
	for _, a := range arts {
		if a.Rule == store.LinkManual || a.Detached || a.Link == l {
			continue
		}
		if err := s.setLink(ctx, tx, a, l, "system"); err != nil {
			return err
		}
	}
	return nil
}

// setLink saves a link change and publishes it: linked (from nowhere), moved
// (from one deal or activity to another) or detached (to nowhere).
func (s *Service) setLink(ctx context.Context, tx *store.Store, a store.Artifact, l store.Link, actor string) error {
	was := a.Link
	if err := tx.SetArtifactLink(ctx, a.OrgID, a.ID, l, s.now()); err != nil {
		return err
	}
	a.Link = l
	if l.Detached {
		a.ConnectionID = 0
	}
	var ev string
	switch {
	case !was.Linked() && l.Linked():
		ev = EventLinked
	case was.Linked() && l.Linked() && (was.DealID != l.DealID || was.CRMActivityID != l.CRMActivityID):
		ev = EventMoved
	case was.Linked() && !l.Linked(), l.Detached && !was.Detached:
		ev = EventDetached
	default:
		return nil // only the rule or the reason changed
	}
	return s.publish(ctx, tx, ev, a, actor)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
