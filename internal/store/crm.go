package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CRM activity sources: who registered the activity. A booking's activity
// links its meeting's artifacts before any other rule (feature R2, rule 1).
const (
	CRMSourceAPI     = "api"
	CRMSourceBooking = "booking"
)

// Deal is a CRM deal a host product registered, keyed by its external id.
type Deal struct {
	ID            int64
	OrgID         int64
	ExternalID    string
	Name          string
	Stage         string
	OwnerPersonID int64 // 0 when no owner is known
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// CRMActivity is one planned call with a deal: the thing Zoom's artifacts link to.
type CRMActivity struct {
	ID              int64
	OrgID           int64
	ExternalID      string
	DealID          int64 // 0 when not (yet) tied to a deal
	RepPersonID     int64 // the rep whose Zoom hosts the call; 0 when unknown
	Title           string
	StartAt         time.Time
	EndAt           time.Time
	ZoomMeetingID   string // meeting number, "" when not registered
	ZoomMeetingUUID string // one instance's UUID, "" when not registered
	Source          string // CRMSourceAPI or CRMSourceBooking
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

const dealCols = "id, org_id, external_id, name, stage, owner_person_id, created_at, updated_at"

func scanDeal(row interface{ Scan(...any) error }) (Deal, error) {
	var d Deal
	var owner sql.NullInt64
	var created, updated int64
	err := notFound(row.Scan(&d.ID, &d.OrgID, &d.ExternalID, &d.Name, &d.Stage, &owner, &created, &updated))
	d.OwnerPersonID, d.CreatedAt, d.UpdatedAt = owner.Int64, fromMS(created), fromMS(updated)
	return d, err
}

// UpsertDeal creates or updates the organization's deal with d.ExternalID.
// The owner, when set, must be a person of the same organization.
func (s *Store) UpsertDeal(ctx context.Context, d Deal, now time.Time) (Deal, error) {
	if strings.TrimSpace(d.ExternalID) == "" || strings.TrimSpace(d.Name) == "" {
		return Deal{}, fmt.Errorf("deal: external id and name are required")
	}
	if err := s.checkPerson(ctx, d.OrgID, d.OwnerPersonID, "owner"); err != nil {
		return Deal{}, err
	}
	id, err := s.insertID(ctx, `INSERT INTO crm_deals (org_id, external_id, name, stage, owner_person_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, external_id) DO UPDATE SET name = excluded.name, stage = excluded.stage,
			owner_person_id = excluded.owner_person_id, updated_at = excluded.updated_at`,
		d.OrgID, d.ExternalID, d.Name, d.Stage, nullID(d.OwnerPersonID), ms(now), ms(now))
	if err != nil {
		return Deal{}, err
	}
	return s.DealByID(ctx, d.OrgID, id)
}

// DealByID returns a deal of the organization.
func (s *Store) DealByID(ctx context.Context, orgID, id int64) (Deal, error) {
	return scanDeal(s.queryRow(ctx, "SELECT "+dealCols+" FROM crm_deals WHERE id = ? AND org_id = ?", id, orgID))
}

// DealByExternalID returns the organization's deal with the host product's id.
func (s *Store) DealByExternalID(ctx context.Context, orgID int64, externalID string) (Deal, error) {
	return scanDeal(s.queryRow(ctx, "SELECT "+dealCols+" FROM crm_deals WHERE org_id = ? AND external_id = ?", orgID, externalID))
}

// Deals lists the organization's deals by name; a non-empty search keeps
// those whose name or external id contains it, case-insensitively.
func (s *Store) Deals(ctx context.Context, orgID int64, search string, limit int) ([]Deal, error) {
	like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(strings.TrimSpace(search))) + "%"
	rows, err := s.query(ctx, "SELECT "+dealCols+` FROM crm_deals WHERE org_id = ?
		AND (LOWER(name) LIKE ? ESCAPE '\' OR LOWER(external_id) LIKE ? ESCAPE '\') ORDER BY name, id LIMIT ?`, orgID, like, like, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanDeal)
}

// DeleteDeal removes a deal; its activities stay, without a deal.
func (s *Store) DeleteDeal(ctx context.Context, orgID, id int64) error {
	return mustAffect(s.exec(ctx, "DELETE FROM crm_deals WHERE id = ? AND org_id = ?", id, orgID))
}

// checkPerson refuses a person id that is not of the organization, so one
// organization's records never point at another's people.
func (s *Store) checkPerson(ctx context.Context, orgID, personID int64, role string) error {
	if personID == 0 {
		return nil
	}
	if _, err := s.PersonByID(ctx, orgID, personID); err != nil {
		return fmt.Errorf("%s person %d: %w", role, personID, err)
	}
	return nil
}

// notFound turns "no rows" into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
