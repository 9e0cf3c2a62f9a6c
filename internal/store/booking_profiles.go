package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// BookingProfile is a person's scheduling set-up (feature S1): the public
// slug of their booking links and their working hours (JSON, internal/booking).
type BookingProfile struct {
	PersonID        int64
	OrgID           int64
	Slug            string
	Hours           string
	LinkKeyEnc      []byte
	BusyRefreshedAt time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

const profileCols = "person_id, org_id, slug, hours, link_key_enc, busy_refreshed_at, created_at, updated_at"

func scanProfile(row interface{ Scan(...any) error }) (BookingProfile, error) {
	var p BookingProfile
	var refreshed, created, updated int64
	err := row.Scan(&p.PersonID, &p.OrgID, &p.Slug, &p.Hours, &p.LinkKeyEnc, &refreshed, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	p.BusyRefreshedAt, p.CreatedAt, p.UpdatedAt = fromMS(refreshed), fromMS(created), fromMS(updated)
	return p, err
}

// CreateBookingProfile stores a new profile; a taken slug is ErrDuplicate.
func (s *Store) CreateBookingProfile(ctx context.Context, p BookingProfile, now time.Time) error {
	_, err := s.exec(ctx, "INSERT INTO booking_profiles ("+profileCols+") VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
		p.PersonID, p.OrgID, p.Slug, p.Hours, p.LinkKeyEnc, ms(now), ms(now))
	return dupErr(err)
}

// UpdateBookingProfile changes the slug and working hours.
func (s *Store) UpdateBookingProfile(ctx context.Context, p BookingProfile, now time.Time) error {
	return dupErr(mustAffect(s.exec(ctx, "UPDATE booking_profiles SET slug = ?, hours = ?, updated_at = ? WHERE person_id = ? AND org_id = ?",
		p.Slug, p.Hours, ms(now), p.PersonID, p.OrgID)))
}

// BookingProfileOf is the person's profile.
func (s *Store) BookingProfileOf(ctx context.Context, personID int64) (BookingProfile, error) {
	return scanProfile(s.queryRow(ctx, "SELECT "+profileCols+" FROM booking_profiles WHERE person_id = ?", personID))
}

// BookingProfileBySlug finds the profile behind a public link.
func (s *Store) BookingProfileBySlug(ctx context.Context, slug string) (BookingProfile, error) {
	return scanProfile(s.queryRow(ctx, "SELECT "+profileCols+" FROM booking_profiles WHERE slug = ?", slug))
}

// BookingProfiles lists every profile (the busy-time refresh walks them).
func (s *Store) BookingProfiles(ctx context.Context) ([]BookingProfile, error) {
	rows, err := s.query(ctx, "SELECT "+profileCols+" FROM booking_profiles ORDER BY person_id")
	if err != nil {
		return nil, err
	}
	return collect(rows, scanProfile)
}

// LockBookingProfile takes the person's booking lock for the rest of the
// transaction: bookings of one person are decided one at a time. PostgreSQL
// locks the row; SQLite's write transaction already holds the only writer.
func (s *Store) LockBookingProfile(ctx context.Context, personID int64) (BookingProfile, error) {
	if s.dialect == Postgres {
		return scanProfile(s.q.QueryRowContext(ctx, s.rebind("SELECT "+profileCols+" FROM booking_profiles WHERE person_id = ? FOR UPDATE"), personID))
	}
	// Touch the row so the transaction holds the write lock from here on.
	if err := mustAffect(s.exec(ctx, "UPDATE booking_profiles SET updated_at = updated_at WHERE person_id = ?", personID)); err != nil {
		return BookingProfile{}, err
	}
	return scanProfile(s.q.QueryRowContext(ctx, "SELECT "+profileCols+" FROM booking_profiles WHERE person_id = ?", personID))
}

// ErrDuplicate is a unique constraint refusing a row.
var ErrDuplicate = errors.New("already exists")

// dupErr turns either database's unique violation into ErrDuplicate.
func dupErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return ErrDuplicate
	}
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return ErrDuplicate
	}
	return err
}

// ZoomUserOfPerson is the active Zoom user a connection maps to the person:
// whom an account-level connection acts for when it books on their account.
func (s *Store) ZoomUserOfPerson(ctx context.Context, connID, personID int64) (ZoomUser, error) {
	return scanZoomUser(s.queryRow(ctx, "SELECT "+zoomUserCols+" FROM zoom_users WHERE connection_id = ? AND person_id = ? AND status = 'active' ORDER BY id LIMIT 1", connID, personID))
}
