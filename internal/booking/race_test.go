package booking_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

type apiAnswer struct {
	status int
	code   string
	id     int64
}

// book fires n bookings at once, body(i) each, and collects the answers.
func bookAtOnce(w *bookingtest.World, n int, body func(i int) map[string]string) []apiAnswer {
	out := make([]apiAnswer, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var res struct {
				ID    int64 `json:"id"`
				Error struct {
					Code string `json:"code"`
				} `json:"error"`
			}
			st := w.Call("POST", "/api/v1/bookings", body(i), &res)
			out[i] = apiAnswer{st, res.Error.Code, res.ID}
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// onlyOneWins checks exactly one 201 and a clear "just taken" 409 for the rest.
func onlyOneWins(t *testing.T, answers []apiAnswer) int64 {
	t.Helper()
	var won int64
	for i, a := range answers {
		switch {
		case a.status == http.StatusCreated && won == 0:
			won = a.id
		case a.status == http.StatusConflict && a.code == "slot_taken":
		default:
			t.Errorf("booking %d: %d %q (won so far: %d)", i, a.status, a.code, won)
		}
	}
	if won == 0 {
		t.Fatal("no booking succeeded")
	}
	return won
}

// R17: fifty bookers submit the same slot at the same moment; exactly one
// gets it and the others are told it was just taken. Then bookings of two
// meeting types whose slots overlap race the same way.
func TestFiftyConcurrentBookingsOfOneSlot(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		w := bookingtest.NewWorld(t, d, nil)
		w.AddType("deep-dive", 60)
		ny, _ := time.LoadLocation("America/New_York")
		var slots struct {
			Slots []time.Time `json:"slots"`
		}
		if st := w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &slots); st != 200 || len(slots.Slots) == 0 {
			t.Fatalf("slots: %d %v", st, slots.Slots)
		}
		first := slots.Slots[0]
		if want := time.Date(2026, 11, 2, 9, 0, 0, 0, ny); !first.Equal(want) {
			t.Fatalf("first slot %v, want %v (09:00 in New York on the Monday)", first, want)
		}
		answers := bookAtOnce(w, 50, func(i int) map[string]string {
			return map[string]string{"person": w.Slug, "meeting_type": "intro", "start": first.Format(time.RFC3339),
				"name": fmt.Sprintf("Booker %d", i), "email": fmt.Sprintf("booker%d@example.com", i), "time_zone": "Asia/Kolkata"}
		})
		onlyOneWins(t, answers)

		// A 60-minute deep dive at 11:00 and a 30-minute intro at 11:30 overlap
		// (the host's own Zoom meeting at 10:30 keeps 10:00 out of this).
		eleven := time.Date(2026, 11, 2, 11, 0, 0, 0, ny)
		answers = bookAtOnce(w, 50, func(i int) map[string]string {
			typ, start := "deep-dive", eleven
			if i%2 == 1 {
				typ, start = "intro", eleven.Add(30*time.Minute)
			}
			return map[string]string{"person": w.Slug, "meeting_type": typ, "start": start.Format(time.RFC3339),
				"name": fmt.Sprintf("Booker %d", i), "email": fmt.Sprintf("racer%d@example.com", i)}
		})
		onlyOneWins(t, answers)

		got, err := w.Srv.Store.ConfirmedBookings(w.Ctx, w.Host.ID, first.Add(-time.Hour), first.Add(24*time.Hour))
		bookingtest.Must(t, err)
		if len(got) != 2 {
			t.Fatalf("%d confirmed bookings stored, want 2", len(got))
		}
		for i := 1; i < len(got); i++ {
			if got[i].Start.Before(got[i-1].End) {
				t.Fatalf("stored bookings overlap: %v-%v and %v-%v", got[i-1].Start, got[i-1].End, got[i].Start, got[i].End)
			}
		}
		// The slot is gone from the link, and asking for it again is still a clear 409.
		var again struct{ Slots []time.Time }
		w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &again)
		if len(again.Slots) == 0 || again.Slots[0].Equal(first) {
			t.Fatalf("the taken slot is still offered: %v", again.Slots[:min(3, len(again.Slots))])
		}
		var res struct {
			Error struct{ Code, Message string }
		}
		st := w.Call("POST", "/api/v1/bookings", map[string]string{"person": w.Slug, "meeting_type": "intro", "start": first.Format(time.RFC3339),
			"name": "Late", "email": "late@example.com"}, &res)
		if st != http.StatusConflict || res.Error.Code != "slot_taken" || res.Error.Message != booking.ErrJustTaken.Error() {
			t.Fatalf("late booking: %d %+v", st, res.Error)
		}
	})
}
