package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// BookingType is a meeting type a person offers (feature S1); minutes and
// days as the owner set them, Zoom always the location.
type BookingType struct {
	ID           int64
	OrgID        int64
	PersonID     int64
	Slug         string
	Name         string
	Description  string
	DurationMin  int
	BufferBefore int
	BufferAfter  int
	NoticeMin    int
	IncrementMin int
	WindowDays   int
	DailyLimit   int
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const btypeCols = `id, org_id, person_id, slug, name, description, duration_min, buffer_before_min, buffer_after_min,
	notice_min, increment_min, window_days, daily_limit, active, created_at, updated_at`

func scanBType(row interface{ Scan(...any) error }) (BookingType, error) {
	var t BookingType
	var created, updated int64
	err := row.Scan(&t.ID, &t.OrgID, &t.PersonID, &t.Slug, &t.Name, &t.Description, &t.DurationMin, &t.BufferBefore, &t.BufferAfter,
		&t.NoticeMin, &t.IncrementMin, &t.WindowDays, &t.DailyLimit, &t.Active, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	return t, err
}

// CreateBookingType stores a meeting type; a slug the person already uses is ErrDuplicate.
func (s *Store) CreateBookingType(ctx context.Context, t BookingType, now time.Time) (BookingType, error) {
	id, err := s.insertID(ctx, `INSERT INTO booking_types (org_id, person_id, slug, name, description, duration_min, buffer_before_min,
		buffer_after_min, notice_min, increment_min, window_days, daily_limit, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.OrgID, t.PersonID, t.Slug, t.Name, t.Description, t.DurationMin, t.BufferBefore, t.BufferAfter,
		t.NoticeMin, t.IncrementMin, t.WindowDays, t.DailyLimit, t.Active, ms(now), ms(now))
	if err != nil {
		return BookingType{}, dupErr(err)
	}
	t.ID, t.CreatedAt, t.UpdatedAt = id, now, now
	return t, nil
}

// UpdateBookingType changes a meeting type of the person.
func (s *Store) UpdateBookingType(ctx context.Context, t BookingType, now time.Time) error {
	return dupErr(mustAffect(s.exec(ctx, `UPDATE booking_types SET slug = ?, name = ?, description = ?, duration_min = ?,
		buffer_before_min = ?, buffer_after_min = ?, notice_min = ?, increment_min = ?, window_days = ?, daily_limit = ?,
		active = ?, updated_at = ? WHERE id = ? AND person_id = ?`,
		t.Slug, t.Name, t.Description, t.DurationMin, t.BufferBefore, t.BufferAfter, t.NoticeMin, t.IncrementMin,
		t.WindowDays, t.DailyLimit, t.Active, ms(now), t.ID, t.PersonID)))
}

// BookingTypes lists a person's meeting types.
func (s *Store) BookingTypes(ctx context.Context, personID int64) ([]BookingType, error) {
	rows, err := s.query(ctx, "SELECT "+btypeCols+" FROM booking_types WHERE person_id = ? ORDER BY id", personID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanBType)
}

// BookingTypeBySlug is one of the person's meeting types by its link slug.
func (s *Store) BookingTypeBySlug(ctx context.Context, personID int64, slug string) (BookingType, error) {
	return scanBType(s.queryRow(ctx, "SELECT "+btypeCols+" FROM booking_types WHERE person_id = ? AND slug = ?", personID, slug))
}

// BookingTypeByID is a meeting type of the organization.
func (s *Store) BookingTypeByID(ctx context.Context, orgID, id int64) (BookingType, error) {
	return scanBType(s.queryRow(ctx, "SELECT "+btypeCols+" FROM booking_types WHERE org_id = ? AND id = ?", orgID, id))
}
