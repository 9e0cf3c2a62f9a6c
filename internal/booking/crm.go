package booking

import (
	"context"
	"errors"

	"github.com/zoombridge/zoombridge/internal/store"
)

// crmExternalID keys a booking's CRM activity: one per booking, kept across
// reschedules, so recordings of its meeting link to the booking's deal.
func crmExternalID(b store.Booking) string { return "booking:" + b.UID }

// syncCRM writes the booking's CRM activity in the caller's transaction: on
// the deal the link carried (when the organization knows it), with the Zoom
// meeting id once the meeting exists. A cancelled booking's activity goes.
func (s *Service) syncCRM(ctx context.Context, tx *store.Store, b store.Booking, t store.BookingType) error {
	ext := crmExternalID(b)
	if b.Status == store.BookingCancelled {
		a, err := tx.CRMActivityByExternalID(ctx, b.OrgID, ext)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.DeleteCRMActivity(ctx, b.OrgID, a.ID)
	}
	var dealID int64
	if b.DealRef != "" {
		d, err := tx.DealByExternalID(ctx, b.OrgID, b.DealRef)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		dealID = d.ID
	}
	_, err := tx.UpsertCRMActivity(ctx, store.CRMActivity{
		OrgID: b.OrgID, ExternalID: ext, DealID: dealID, RepPersonID: b.PersonID, Title: t.Name + " with " + b.BookerName,
		StartAt: b.Start, EndAt: b.End, ZoomMeetingID: b.ZoomMeetingID, Source: store.CRMSourceBooking,
	}, s.now())
	return err
}
