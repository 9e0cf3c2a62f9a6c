package booking_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// Target G14: availability of a person with 500 upcoming meetings over a
// 60-day window, p99 ≤ 20 ms; and the public booking page's render time.
// Figures (on a quiet machine):
//
//	go test -run '^$' -bench 'Availability|BookingPage' -benchtime 2000x ./internal/booking
//
// Each reports p50 and p99 per operation on SQLite and PostgreSQL.

// withBusyHost is a world whose host has a 60-day link and 500 upcoming
// Zoom meetings spread over those 60 days.
func withBusyHost(b *testing.B, d store.Dialect) *bookingtest.World {
	w := bookingtest.NewWorld(b, d, nil)
	w.WaitJob("sync_pass", river.EventKindJobCompleted) // the connection's backfill, not to be measured alongside
	w.AddType("long-window", 30)
	t, err := w.Srv.Store.BookingTypeBySlug(w.Ctx, w.Host.ID, "long-window")
	bookingtest.Must(b, err)
	t.WindowDays, t.IncrementMin = 60, 15
	bookingtest.Must(b, w.Srv.Store.UpdateBookingType(w.Ctx, t, w.Sim.Now()))
	var list []store.UpcomingMeeting
	now := w.Sim.Now()
	for i := range 500 {
		start := now.Add(time.Duration(i) * 60 * 24 * time.Hour / 500).Truncate(15 * time.Minute)
		list = append(list, store.UpcomingMeeting{ZoomMeetingID: fmt.Sprint(90000000000 + i), Topic: "Busy", Start: start,
			End: start.Add(45 * time.Minute), JoinURL: "https://zoom.test/j/" + fmt.Sprint(i)})
	}
	bookingtest.Must(b, w.Srv.Store.ReplaceUpcoming(w.Ctx, w.Org.ID, w.Host.ID, list, now))
	return w
}

func reportPercentiles(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	at := func(q float64) float64 {
		return float64(d[min(len(d)-1, int(q*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

func BenchmarkAvailability500Meetings60Days(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			if d == store.Postgres {
				testdb.NewPostgresURL(b) // skips (or fails under CI's requirement) without PostgreSQL
			}
			w := withBusyHost(b, d)
			l, err := w.Srv.Booking.LinkBySlugs(w.Ctx, w.Srv.Store, w.Slug, "long-window")
			bookingtest.Must(b, err)
			durs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				slots, err := w.Srv.Booking.Availability(w.Ctx, w.Srv.Store, l)
				durs = append(durs, time.Since(t0))
				if err != nil || len(slots) == 0 {
					b.Fatalf("%d slots, %v", len(slots), err)
				}
			}
			reportPercentiles(b, durs)
		})
	}
}

func BenchmarkBookingPageRender(b *testing.B) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			if d == store.Postgres {
				testdb.NewPostgresURL(b)
			}
			w := withBusyHost(b, d)
			url := w.Srv.URL() + "/book/" + w.Slug + "/long-window?tz=Asia%2FKolkata"
			durs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				res, err := http.Get(url)
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				durs = append(durs, time.Since(t0))
				if err != nil || res.StatusCode != http.StatusOK {
					b.Fatalf("page: %v %v", res.StatusCode, err)
				}
			}
			reportPercentiles(b, durs)
		})
	}
}
