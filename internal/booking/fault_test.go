package booking_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// Zoom answers 503 to meeting creation when the booker submits: the booking
// is taken and kept, its slot is no longer offered, and once Zoom recovers
// the job creates the meeting and the booking carries the join link.
func TestZoomDownAtBookingKeepsTheSlotAndTheLinkArrivesLater(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		w := bookingtest.NewWorld(t, d, nil)
		if _, err := w.Sim.AddFault(zoomsim.Fault{Kind: "5xx", Status: 503, Path: "/v2/users/" + w.ZoomID + "/meetings"}); err != nil {
			t.Fatal(err)
		}
		var slots struct{ Slots []time.Time }
		w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &slots)
		var v booking.View
		st := w.Call("POST", "/api/v1/bookings", map[string]string{"person": w.Slug, "meeting_type": "intro",
			"start": slots.Slots[0].Format(time.RFC3339), "name": "Ola", "email": "ola@example.com"}, &v)
		if st != http.StatusCreated || v.ZoomState != store.ZoomPending || v.JoinURL != "" {
			t.Fatalf("booking while Zoom is down: %d %+v", st, v)
		}
		w.WaitJob("booking_zoom", river.EventKindJobFailed) // Zoom refused the first attempt
		b, err := w.Srv.Store.BookingByID(w.Ctx, v.ID)
		bookingtest.Must(t, err)
		if b.Status != store.BookingConfirmed || b.ZoomState != store.ZoomPending {
			t.Fatalf("after Zoom's 503 the booking is %s / %s", b.Status, b.ZoomState)
		}
		var after struct{ Slots []time.Time }
		w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &after)
		if after.Slots[0].Equal(slots.Slots[0]) {
			t.Fatal("the slot of the pending booking is still offered")
		}
		tok, err := w.Srv.Booking.ManageToken(w.Ctx, b)
		bookingtest.Must(t, err)
		if _, page := w.Get(http.DefaultClient, "/book/manage/"+tok); !strings.Contains(page, `id="pending"`) {
			t.Fatal("the confirmation page does not say the link is on its way")
		}

		w.Sim.ClearFaults()
		b = w.WaitBooking(v.ID, "meeting created after Zoom recovered", func(b store.Booking) bool { return b.ZoomState == store.ZoomCreated })
		m, ok := w.Sim.Meeting(b.ZoomMeetingID)
		if !ok || m.Deleted || !m.Start.Equal(slots.Slots[0]) || m.HostID != w.ZoomID || m.JoinURL != b.JoinURL {
			t.Fatalf("emulator meeting %+v for booking %+v", m, b)
		}
		w.Call("GET", "/api/v1/bookings/"+url.PathEscape(itoa(v.ID)), nil, &v)
		if v.JoinURL != b.JoinURL {
			t.Fatalf("API shows join link %q, want %q", v.JoinURL, b.JoinURL)
		}
		if _, page := w.Get(http.DefaultClient, "/book/manage/"+tok); !strings.Contains(page, `id="join" href="`+htmlAttr(b.JoinURL)+`"`) {
			t.Fatal("the confirmation page does not carry the join link")
		}
	})
}

// A person whose Zoom is not connected (or needs reconnecting) gets a page
// that says so and what to do; a submitted booking is refused and nothing is
// stored, on the page and through the API.
func TestPersonWithoutZoomGetsAClearPageAndNoBooking(t *testing.T) {
	w := bookingtest.NewWorld(t, store.SQLite, nil)
	nora, slug := w.Person("Nora Nozoom", "nora@example.com")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	st, page := w.Get(c, "/book/"+slug+"/intro")
	if st != http.StatusOK || !strings.Contains(page, `data-code="zoom_not_connected"`) || !strings.Contains(page, "Nora Nozoom has not connected Zoom yet") ||
		strings.Contains(page, `name="email"`) || strings.Contains(page, "book-slot") {
		t.Fatalf("page for a person without Zoom: %d\n%s", st, page)
	}
	// A crafted submission with a valid form token is refused all the same.
	csrf := regexp.MustCompile(`zb_csrf=([^;]+)`).FindStringSubmatch(cookieHeader(jar, w.Srv.URL()))
	if csrf == nil {
		t.Fatal("no form token cookie")
	}
	res, err := c.PostForm(w.Srv.URL()+"/book/"+slug+"/intro", url.Values{"csrf": {csrf[1]}, "start": {"2026-11-03T09:00:00Z"},
		"name": {"Eve"}, "email": {"eve@example.com"}, "tz": {"UTC"}})
	bookingtest.Must(t, err)
	res.Body.Close()
	var apiErr struct{ Error struct{ Code string } }
	ast := w.Call("POST", "/api/v1/bookings", map[string]string{"person": slug, "meeting_type": "intro", "start": "2026-11-03T09:00:00Z",
		"name": "Eve", "email": "eve@example.com"}, &apiErr)
	if res.StatusCode != http.StatusConflict || ast != http.StatusConflict || apiErr.Error.Code != booking.CodeNotConnected {
		t.Fatalf("booking a person without Zoom: page %d, API %d %q", res.StatusCode, ast, apiErr.Error.Code)
	}
	list, err := w.Srv.Store.OrgBookings(w.Ctx, w.Org.ID, nora.ID, time.Time{}, time.Now().AddDate(10, 0, 0))
	bookingtest.Must(t, err)
	if len(list) != 0 {
		t.Fatalf("bookings were taken: %+v", list)
	}

	// The host whose connection needs reconnecting is told that, not "not connected".
	bookingtest.Must(t, w.Srv.Store.SetConnectionStatus(w.Ctx, w.Conn.ID, store.StatusNeedsReconnect, "", w.Sim.Now()))
	if _, page := w.Get(c, "/book/"+w.Slug+"/intro"); !strings.Contains(page, `data-code="zoom_needs_reconnect"`) || strings.Contains(page, "book-slot") {
		t.Fatalf("page for a host whose Zoom needs reconnecting:\n%s", page)
	}
}

func cookieHeader(jar http.CookieJar, base string) string {
	u, _ := url.Parse(base)
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// htmlAttr is how html/template writes a URL into an attribute.
func htmlAttr(s string) string { return strings.ReplaceAll(s, "&", "&amp;") }
