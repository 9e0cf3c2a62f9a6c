package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Booking statuses and the states of its Zoom meeting.
const (
	BookingConfirmed = "confirmed"
	BookingCancelled = "cancelled"

	ZoomPending = "pending" // the job has not created the meeting yet
	ZoomCreated = "created"
	// ZoomDeleted (artifacts.go, the same word) once a cancel deleted it.
	ZoomFailed = "failed" // Zoom refused for good; ZoomError says why
)

// Booking is a slot taken on a person's booking link.
type Booking struct {
	ID             int64
	OrgID          int64
	PersonID       int64
	TypeID         int64
	UID            string // the calendar UID: the same across reschedules
	Sequence       int    // the calendar SEQUENCE: one more on every change
	Status         string
	Start, End     time.Time
	BufferBefore   int // minutes, the type's at booking time
	BufferAfter    int
	LocalDate      string // the host's date of Start
	BookerName     string
	BookerEmail    string
	BookerZone     string
	Note           string
	DealRef        string
	ZoomState      string
	ZoomMeetingID  string
	JoinURL        string
	ZoomError      string
	ZoomSequence   int // the Sequence the Zoom meeting reflects; -1 before it exists
	MailedSequence int // the last Sequence mailed out; -1 before the first
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

const bookingCols = `id, org_id, person_id, type_id, uid, sequence, status, start_at, end_at, buffer_before_min, buffer_after_min,
	local_date, booker_name, booker_email, booker_zone, note, deal_ref, zoom_state, zoom_meeting_id, join_url, zoom_error,
	zoom_sequence, mailed_sequence, created_at, updated_at`

func scanBooking(row interface{ Scan(...any) error }) (Booking, error) {
	var b Booking
	var start, end, created, updated int64
	err := row.Scan(&b.ID, &b.OrgID, &b.PersonID, &b.TypeID, &b.UID, &b.Sequence, &b.Status, &start, &end, &b.BufferBefore, &b.BufferAfter,
		&b.LocalDate, &b.BookerName, &b.BookerEmail, &b.BookerZone, &b.Note, &b.DealRef, &b.ZoomState, &b.ZoomMeetingID, &b.JoinURL, &b.ZoomError,
		&b.ZoomSequence, &b.MailedSequence, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrNotFound
	}
	b.Start, b.End, b.CreatedAt, b.UpdatedAt = fromMS(start), fromMS(end), fromMS(created), fromMS(updated)
	return b, err
}

// CreateBooking takes a slot. Call it under LockBookingProfile after checking
// availability; a confirmed booking at the same start is ErrDuplicate.
func (s *Store) CreateBooking(ctx context.Context, b Booking, now time.Time) (Booking, error) {
	id, err := s.insertID(ctx, `INSERT INTO bookings (org_id, person_id, type_id, uid, sequence, status, start_at, end_at,
		buffer_before_min, buffer_after_min, local_date, booker_name, booker_email, booker_zone, note, deal_ref, zoom_state,
		zoom_meeting_id, join_url, zoom_error, mailed_sequence, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, -1, ?, ?)`,
		b.OrgID, b.PersonID, b.TypeID, b.UID, b.Sequence, b.Status, ms(b.Start), ms(b.End), b.BufferBefore, b.BufferAfter,
		b.LocalDate, b.BookerName, b.BookerEmail, b.BookerZone, b.Note, b.DealRef, b.ZoomState, b.ZoomMeetingID, b.JoinURL, b.ZoomError,
		ms(now), ms(now))
	if err != nil {
		return Booking{}, dupErr(err)
	}
	b.ID, b.ZoomSequence, b.MailedSequence, b.CreatedAt, b.UpdatedAt = id, -1, -1, now, now
	return b, nil
}

// BookingByID is one booking (any organization: links carry the id, signed).
func (s *Store) BookingByID(ctx context.Context, id int64) (Booking, error) {
	return scanBooking(s.queryRow(ctx, "SELECT "+bookingCols+" FROM bookings WHERE id = ?", id))
}

// OrgBooking is a booking of the organization.
func (s *Store) OrgBooking(ctx context.Context, orgID, id int64) (Booking, error) {
	return scanBooking(s.queryRow(ctx, "SELECT "+bookingCols+" FROM bookings WHERE org_id = ? AND id = ?", orgID, id))
}

// ConfirmedBookings lists the person's confirmed bookings that end after from
// and start before to.
func (s *Store) ConfirmedBookings(ctx context.Context, personID int64, from, to time.Time) ([]Booking, error) {
	rows, err := s.query(ctx, "SELECT "+bookingCols+" FROM bookings WHERE person_id = ? AND status = ? AND end_at > ? AND start_at < ? ORDER BY start_at",
		personID, BookingConfirmed, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanBooking)
}

// OrgBookings lists an organization's bookings starting in [from, to), optionally of one person.
func (s *Store) OrgBookings(ctx context.Context, orgID, personID int64, from, to time.Time) ([]Booking, error) {
	rows, err := s.query(ctx, "SELECT "+bookingCols+" FROM bookings WHERE org_id = ? AND (? = 0 OR person_id = ?) AND start_at >= ? AND start_at < ? ORDER BY start_at",
		orgID, personID, personID, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	return collect(rows, scanBooking)
}

// RescheduleBooking moves a confirmed booking and raises its sequence.
func (s *Store) RescheduleBooking(ctx context.Context, id int64, start, end time.Time, localDate string, now time.Time) error {
	return dupErr(mustAffect(s.exec(ctx, `UPDATE bookings SET start_at = ?, end_at = ?, local_date = ?, sequence = sequence + 1, updated_at = ?
		WHERE id = ? AND status = ?`, ms(start), ms(end), localDate, ms(now), id, BookingConfirmed)))
}

// CancelBooking frees the slot and raises the sequence.
func (s *Store) CancelBooking(ctx context.Context, id int64, now time.Time) error {
	return mustAffect(s.exec(ctx, "UPDATE bookings SET status = ?, sequence = sequence + 1, updated_at = ? WHERE id = ? AND status = ?",
		BookingCancelled, ms(now), id, BookingConfirmed))
}

// SetBookingZoom records the booking's Zoom meeting as of sequence seq.
// Only a booking without a meeting yet takes a new one (onlyIfNone), so two
// jobs racing to create never leave two meetings on it.
func (s *Store) SetBookingZoom(ctx context.Context, id int64, state, meetingID, joinURL, zoomErr string, seq int, onlyIfNone bool, now time.Time) (bool, error) {
	q := "UPDATE bookings SET zoom_state = ?, zoom_meeting_id = ?, join_url = ?, zoom_error = ?, zoom_sequence = ?, updated_at = ? WHERE id = ?"
	if onlyIfNone {
		q += " AND zoom_meeting_id = ''"
	}
	res, err := s.exec(ctx, q, state, meetingID, joinURL, zoomErr, seq, ms(now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// MarkBookingMailed records that the invite of a sequence went out.
func (s *Store) MarkBookingMailed(ctx context.Context, id int64, sequence int) error {
	_, err := s.exec(ctx, "UPDATE bookings SET mailed_sequence = ? WHERE id = ? AND mailed_sequence < ?", sequence, id, sequence)
	return err
}

// BookingsPerDay counts a type's confirmed bookings per host-local date,
// over bookings starting in [from, to).
func (s *Store) BookingsPerDay(ctx context.Context, typeID int64, from, to time.Time) (map[string]int, error) {
	rows, err := s.query(ctx, "SELECT local_date, COUNT(*) FROM bookings WHERE type_id = ? AND status = ? AND start_at >= ? AND start_at < ? GROUP BY local_date",
		typeID, BookingConfirmed, ms(from), ms(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out[d] = n
	}
	return out, rows.Err()
}
