package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

const crmActivityCols = "id, org_id, external_id, deal_id, rep_person_id, title, start_at, end_at, zoom_meeting_id, zoom_meeting_uuid, source, created_at, updated_at"

func scanCRMActivity(row interface{ Scan(...any) error }) (CRMActivity, error) {
	var a CRMActivity
	var deal, rep sql.NullInt64
	var start, end, created, updated int64
	err := notFound(row.Scan(&a.ID, &a.OrgID, &a.ExternalID, &deal, &rep, &a.Title, &start, &end,
		&a.ZoomMeetingID, &a.ZoomMeetingUUID, &a.Source, &created, &updated))
	a.DealID, a.RepPersonID = deal.Int64, rep.Int64
	a.StartAt, a.EndAt, a.CreatedAt, a.UpdatedAt = fromMS(start), fromMS(end), fromMS(created), fromMS(updated)
	return a, err
}

// UpsertCRMActivity creates or updates the organization's CRM activity with
// a.ExternalID. Its deal and rep, when set, must be of the same organization.
func (s *Store) UpsertCRMActivity(ctx context.Context, a CRMActivity, now time.Time) (CRMActivity, error) {
	if strings.TrimSpace(a.ExternalID) == "" {
		return CRMActivity{}, fmt.Errorf("crm activity: external id is required")
	}
	if a.StartAt.IsZero() || a.EndAt.Before(a.StartAt) {
		return CRMActivity{}, fmt.Errorf("crm activity: a start, and an end not before it, are required")
	}
	if a.Source == "" {
		a.Source = CRMSourceAPI
	}
	if a.Source != CRMSourceAPI && a.Source != CRMSourceBooking {
		return CRMActivity{}, fmt.Errorf("crm activity: source %q is not api or booking", a.Source)
	}
	if a.DealID != 0 {
		if _, err := s.DealByID(ctx, a.OrgID, a.DealID); err != nil {
			return CRMActivity{}, fmt.Errorf("deal %d: %w", a.DealID, err)
		}
	}
	if err := s.checkPerson(ctx, a.OrgID, a.RepPersonID, "rep"); err != nil {
		return CRMActivity{}, err
	}
	id, err := s.insertID(ctx, `INSERT INTO crm_activities (org_id, external_id, deal_id, rep_person_id, title, start_at, end_at,
			zoom_meeting_id, zoom_meeting_uuid, source, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, external_id) DO UPDATE SET deal_id = excluded.deal_id, rep_person_id = excluded.rep_person_id,
			title = excluded.title, start_at = excluded.start_at, end_at = excluded.end_at,
			zoom_meeting_id = excluded.zoom_meeting_id, zoom_meeting_uuid = excluded.zoom_meeting_uuid,
			source = excluded.source, updated_at = excluded.updated_at`,
		a.OrgID, a.ExternalID, nullID(a.DealID), nullID(a.RepPersonID), a.Title, ms(a.StartAt), ms(a.EndAt),
		strings.TrimSpace(a.ZoomMeetingID), strings.TrimSpace(a.ZoomMeetingUUID), a.Source, ms(now), ms(now))
	if err != nil {
		return CRMActivity{}, err
	}
	return s.CRMActivityByID(ctx, a.OrgID, id)
}

// CRMActivityByID returns a CRM activity of the organization.
func (s *Store) CRMActivityByID(ctx context.Context, orgID, id int64) (CRMActivity, error) {
	return scanCRMActivity(s.queryRow(ctx, "SELECT "+crmActivityCols+" FROM crm_activities WHERE id = ? AND org_id = ?", id, orgID))
}

// CRMActivityByExternalID returns the organization's CRM activity with the host product's id.
func (s *Store) CRMActivityByExternalID(ctx context.Context, orgID int64, externalID string) (CRMActivity, error) {
	return scanCRMActivity(s.queryRow(ctx, "SELECT "+crmActivityCols+" FROM crm_activities WHERE org_id = ? AND external_id = ?", orgID, externalID))
}

// CRMActivitiesForDeal lists a deal's activities by start.
func (s *Store) CRMActivitiesForDeal(ctx context.Context, orgID, dealID int64) ([]CRMActivity, error) {
	return s.crmActivities(ctx, "org_id = ? AND deal_id = ? ORDER BY start_at, id", orgID, dealID)
}

// CRMActivitiesForMeeting lists the activities registered with a Zoom meeting
// number or instance UUID (either may be empty), those from bookings first,
// then by start. Linking rules 1 and 2 choose among them.
func (s *Store) CRMActivitiesForMeeting(ctx context.Context, orgID int64, meetingID, meetingUUID string) ([]CRMActivity, error) {
	if meetingID == "" && meetingUUID == "" {
		return nil, nil
	}
	return s.crmActivities(ctx, `org_id = ? AND ((zoom_meeting_id <> '' AND zoom_meeting_id = ?) OR (zoom_meeting_uuid <> '' AND zoom_meeting_uuid = ?))
		ORDER BY CASE WHEN source = ? THEN 0 ELSE 1 END, start_at, id`, orgID, meetingID, meetingUUID, CRMSourceBooking)
}

// CRMActivitiesOverlapping lists a rep's activities whose time overlaps
// [from, to), by start (linking rule 3).
func (s *Store) CRMActivitiesOverlapping(ctx context.Context, orgID, repPersonID int64, from, to time.Time) ([]CRMActivity, error) {
	return s.crmActivities(ctx, "org_id = ? AND rep_person_id = ? AND start_at < ? AND end_at > ? ORDER BY start_at, id",
		orgID, repPersonID, ms(to), ms(from))
}

// DeleteCRMActivity removes a CRM activity.
func (s *Store) DeleteCRMActivity(ctx context.Context, orgID, id int64) error {
	return mustAffect(s.exec(ctx, "DELETE FROM crm_activities WHERE id = ? AND org_id = ?", id, orgID))
}

func (s *Store) crmActivities(ctx context.Context, where string, args ...any) ([]CRMActivity, error) {
	rows, err := s.query(ctx, "SELECT "+crmActivityCols+" FROM crm_activities WHERE "+where, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanCRMActivity)
}
