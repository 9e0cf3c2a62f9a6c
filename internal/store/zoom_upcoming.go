package store

import (
	"context"
	"database/sql"
	"time"
)

// UpcomingMeeting is one of a person's upcoming Zoom meetings, wherever it
// was made: busy time for booking links, and the app's upcoming list (S2).
// Metadata only: number, topic, times and the join link.
type UpcomingMeeting struct {
	OrgID         int64
	PersonID      int64
	ZoomMeetingID string
	Topic         string
	Start, End    time.Time
	JoinURL       string
}

// ReplaceUpcoming sets the person's upcoming meetings to list (a fresh read from Zoom).
func (s *Store) ReplaceUpcoming(ctx context.Context, orgID, personID int64, list []UpcomingMeeting, now time.Time) error {
	return s.InTx(ctx, func(tx *Store, _ *sql.Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM zoom_upcoming WHERE person_id = ?", personID); err != nil {
			return err
		}
		for _, m := range list {
			m.OrgID, m.PersonID = orgID, personID
			if err := tx.UpsertUpcoming(ctx, m, now); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, "UPDATE booking_profiles SET busy_refreshed_at = ? WHERE person_id = ?", ms(now), personID)
		return err
	})
}

// UpsertUpcoming adds or updates one meeting (one zoombridge just made).
func (s *Store) UpsertUpcoming(ctx context.Context, m UpcomingMeeting, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO zoom_upcoming (org_id, person_id, zoom_meeting_id, topic, start_at, end_at, join_url, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (person_id, zoom_meeting_id) DO UPDATE SET topic = excluded.topic, start_at = excluded.start_at,
		end_at = excluded.end_at, join_url = excluded.join_url, updated_at = excluded.updated_at`,
		m.OrgID, m.PersonID, m.ZoomMeetingID, m.Topic, ms(m.Start), ms(m.End), m.JoinURL, ms(now))
	return err
}

// DeleteUpcoming removes one meeting (deleted in Zoom).
func (s *Store) DeleteUpcoming(ctx context.Context, personID int64, zoomMeetingID string) error {
	_, err := s.exec(ctx, "DELETE FROM zoom_upcoming WHERE person_id = ? AND zoom_meeting_id = ?", personID, zoomMeetingID)
	return err
}

// Upcoming lists the person's meetings that end after from and start before to.
func (s *Store) Upcoming(ctx context.Context, personID int64, from, to time.Time) ([]UpcomingMeeting, error) {
	rows, err := s.query(ctx, `SELECT org_id, person_id, zoom_meeting_id, topic, start_at, end_at, join_url FROM zoom_upcoming
		WHERE person_id = ? AND end_at > ? AND start_at < ? ORDER BY start_at`, personID, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (UpcomingMeeting, error) {
		var m UpcomingMeeting
		var start, end int64
		err := r.Scan(&m.OrgID, &m.PersonID, &m.ZoomMeetingID, &m.Topic, &start, &end, &m.JoinURL)
		m.Start, m.End = fromMS(start), fromMS(end)
		return m, err
	})
}

// UpcomingTimes is Upcoming cut to what busy time needs: number, start, end.
func (s *Store) UpcomingTimes(ctx context.Context, personID int64, from, to time.Time) ([]UpcomingMeeting, error) {
	rows, err := s.query(ctx, `SELECT zoom_meeting_id, start_at, end_at FROM zoom_upcoming
		WHERE person_id = ? AND end_at > ? AND start_at < ?`, personID, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (UpcomingMeeting, error) {
		var m UpcomingMeeting
		var start, end int64
		err := r.Scan(&m.ZoomMeetingID, &start, &end)
		m.Start, m.End = fromMS(start), fromMS(end)
		return m, err
	})
}
