package booking_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
)

// A meeting the host makes elsewhere in Zoom becomes busy time: once the
// busy time is due for a refresh, a look at the link queues a read of the
// host's upcoming meetings, after which the times it covers are not offered.
func TestMeetingMadeElsewhereInZoomIsBusy(t *testing.T) {
	w := bookingtest.NewWorld(t, store.SQLite, nil)
	ny, _ := time.LoadLocation("America/New_York")
	nine := time.Date(2026, 11, 2, 9, 0, 0, 0, ny)
	w.MeetingElsewhere("Board call", nine, 45)
	// Busy time was read when the world started; it is due again once it is
	// older than booking.FreshFor, and the link's next view queues the read.
	w.Sim.Advance(booking.FreshFor)
	var slots struct{ Slots []time.Time }
	w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &slots)
	w.WaitJob("booking_refresh_upcoming", river.EventKindJobCompleted)
	w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &slots)
	// 09:00 and 09:30 overlap the 45-minute call; 10:00 is the first free time.
	if len(slots.Slots) == 0 || !slots.Slots[0].Equal(nine.Add(time.Hour)) {
		t.Fatalf("first slot %v, want %v", slots.Slots[:min(2, len(slots.Slots))], nine.Add(time.Hour))
	}
}
