package booking

import (
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// View is a booking as the API and outbound events show it.
type View struct {
	ID            int64     `json:"id"`
	UID           string    `json:"uid"`
	Sequence      int       `json:"sequence"`
	Status        string    `json:"status"`
	PersonID      int64     `json:"person_id"`
	MeetingType   string    `json:"meeting_type"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	BookerName    string    `json:"booker_name"`
	BookerEmail   string    `json:"booker_email"`
	BookerZone    string    `json:"booker_time_zone"`
	DealRef       string    `json:"deal_ref,omitempty"`
	ZoomState     string    `json:"zoom_state"`
	ZoomMeetingID string    `json:"zoom_meeting_id,omitempty"`
	JoinURL       string    `json:"join_url,omitempty"`
}

// ViewOf shows a booking of meeting type t.
func ViewOf(b store.Booking, t store.BookingType) View {
	return View{ID: b.ID, UID: b.UID, Sequence: b.Sequence, Status: b.Status, PersonID: b.PersonID, MeetingType: t.Slug,
		Start: b.Start.UTC(), End: b.End.UTC(), BookerName: b.BookerName, BookerEmail: b.BookerEmail, BookerZone: b.BookerZone,
		DealRef: b.DealRef, ZoomState: b.ZoomState, ZoomMeetingID: b.ZoomMeetingID, JoinURL: b.JoinURL}
}
