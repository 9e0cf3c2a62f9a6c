package booking_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// A booking with text the database cannot store (PostgreSQL refuses NUL) is
// the booker's mistake: 400, not a 500 from the database.
// Found by FuzzBookingForm.
func TestBookingRefusesTextTheDatabaseCannotStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		w := bookingtest.NewWorld(t, d, nil)
		var slots struct{ Slots []time.Time }
		w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &slots)
		body := func(field, value string) map[string]string {
			b := map[string]string{"person": w.Slug, "meeting_type": "intro", "start": slots.Slots[0].Format(time.RFC3339),
				"name": "Ada", "email": "ada@example.com"}
			b[field] = value
			return b
		}
		for field, value := range map[string]string{"name": "Ada\x00", "email": "ada\x00@example.com", "note": "see\x00you", "deal_ref": "D\x00"} {
			if st := w.Call("POST", "/api/v1/bookings", body(field, value), nil); st != http.StatusBadRequest {
				t.Errorf("%s %q: %d, want 400", field, value, st)
			}
		}
		if st := w.Call("POST", "/api/v1/bookings", body("note", "see you\r\n\tsoon"), nil); st != http.StatusCreated {
			t.Fatalf("a note with line breaks and a tab: %d, want 201", st)
		}
	})
}
