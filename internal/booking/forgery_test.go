package booking_test

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The public forms need no sign-in but refuse what another site could send:
// a booking without the browser's form token or marked cross-site, and a
// manage link whose signature is not zoombridge's. Nothing changes.
func TestPublicBookingFormsRefuseForgedRequests(t *testing.T) {
	w := bookingtest.NewWorld(t, store.SQLite, nil)
	var slots struct{ Slots []time.Time }
	w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &slots)
	form := url.Values{"start": {slots.Slots[0].Format(time.RFC3339)}, "name": {"Mallory"}, "email": {"m@example.com"}, "tz": {"UTC"}}
	post := func(c *http.Client, path string, v url.Values, crossSite bool) int {
		req, _ := http.NewRequest("POST", w.Srv.URL()+path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if crossSite {
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
		res, err := c.Do(req)
		bookingtest.Must(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	if st := post(http.DefaultClient, "/book/"+w.Slug+"/intro", form, false); st != http.StatusForbidden {
		t.Errorf("booking without a form token: %d", st)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	w.Get(c, "/book/"+w.Slug+"/intro")
	u, _ := url.Parse(w.Srv.URL())
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "zb_csrf" {
			form.Set("csrf", ck.Value)
		}
	}
	if st := post(c, "/book/"+w.Slug+"/intro", form, true); st != http.StatusForbidden {
		t.Errorf("cross-site booking with the token: %d", st)
	}
	var v booking.View
	w.Call("POST", "/api/v1/bookings", map[string]string{"person": w.Slug, "meeting_type": "intro", "start": slots.Slots[1].Format(time.RFC3339),
		"name": "Real", "email": "real@example.com"}, &v)
	b := w.OnlyBooking()
	tok, err := w.Srv.Booking.ManageToken(w.Ctx, b)
	bookingtest.Must(t, err)
	forged := fmt.Sprintf("%d.%s", b.ID, strings.Repeat("A", len(tok)-len(fmt.Sprint(b.ID))-1))
	if st, _ := w.Get(c, "/book/manage/"+forged); st != http.StatusNotFound {
		t.Errorf("manage page with a forged signature: %d", st)
	}
	if st := post(c, "/book/manage/"+forged+"/cancel", url.Values{"csrf": {form.Get("csrf")}}, false); st != http.StatusNotFound {
		t.Errorf("cancel with a forged signature: %d", st)
	}
	if st := post(c, "/book/manage/"+tok+"/cancel", url.Values{}, false); st != http.StatusForbidden {
		t.Errorf("cancel without the form token: %d", st)
	}
	if got := w.OnlyBooking(); got.Status != store.BookingConfirmed || got.ID != v.ID {
		t.Fatalf("after forged requests: %+v", got)
	}
}
