package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// A booker in Asia/Kolkata books a host in America/New_York on the public
// link, in Chromium with Kolkata's clock: the page offers times in Kolkata,
// the emulator holds the Zoom meeting on the host's account at the instant
// picked, the host's Meetings page lists it beside one made elsewhere in
// Zoom, a reschedule keeps the join link, and a cancel deletes the meeting.
func TestBookingFromKolkataWithHostInNewYork(t *testing.T) {
	requireBrowser(t)
	w := bookingtest.NewWorld(t, store.SQLite, nil)
	_, err := web.EnableSignIn(w.Ctx, w.Srv.Store, w.Org.ID, w.Host.ID, testPassword, w.Sim.Now())
	bookingtest.Must(t, err)
	ny, _ := time.LoadLocation("America/New_York")

	b := newTab(t, w.Srv.URL())
	if _, err := chromedp.Call(b.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Kolkata"}); err != nil {
		t.Fatal(err)
	}
	b.open("/book/" + w.Slug + "/intro")
	// booking.js puts the browser's own zone in the address; wait for that page.
	b.do("page shown", chromedp.WaitVisible(chromedp.CSS(".book-slot")))
	deadline := time.Now().Add(20 * time.Second)
	// Chromium names Kolkata by its older name, Asia/Calcutta; both are the same zone.
	for !strings.Contains(b.path(), "tz=Asia%2FKolkata") && !strings.Contains(b.path(), "tz=Asia%2FCalcutta") {
		if time.Now().After(deadline) {
			t.Fatalf("the page did not switch to the browser's zone: %s", b.path())
		}
		b.do("wait for the detected zone", chromedp.WaitReady(chromedp.CSS("body")))
	}
	b.do("slots shown", chromedp.WaitVisible(chromedp.CSS(".book-slot")))
	// Monday 09:00 in New York is 19:30 the same day in Kolkata.
	if day, first := b.text(`.book-day[aria-current="date"]`), b.text(".book-slot"); !strings.HasPrefix(day, "Mon 2 Nov") || first != "19:30" {
		t.Fatalf("first day %q, first time %q; want Mon 2 Nov, 19:30", day, first)
	}
	b.follow(".book-slot")
	b.do("fill the form",
		chromedp.SendKeys(chromedp.CSS("#name"), "Priya Booker", chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS("#email"), "priya@example.in"))
	b.follow("#confirm")
	if got := b.text("#when"); !strings.Contains(got, "19:30 – 20:00 IST") {
		t.Fatalf("confirmation shows %q", got)
	}

	bk := w.WaitBooking(w.OnlyBooking().ID, "Zoom meeting created", func(b store.Booking) bool { return b.ZoomState == store.ZoomCreated })
	b.open(b.path()) // the page refreshes itself while the link is on its way; load it now
	join := b.text("#join")
	m, ok := w.Sim.Meeting(bk.ZoomMeetingID)
	want := time.Date(2026, 11, 2, 9, 0, 0, 0, ny)
	if !ok || m.HostID != w.ZoomID || !m.Start.Equal(want) || m.Duration != 30 || m.Deleted || m.JoinURL != join || join == "" {
		t.Fatalf("emulator meeting %+v (found %v), page join link %q; want host %s at %v for 30 minutes", m, ok, join, w.ZoomID, want)
	}

	// The host's Meetings page: the booking, and a meeting made elsewhere in Zoom.
	other := w.MeetingElsewhere("Made in the Zoom app", time.Date(2026, 11, 3, 11, 0, 0, 0, ny), 45)
	host := newTab(t, w.Srv.URL())
	host.signIn(w.Host.Email, testPassword)
	host.open("/meetings")
	for id, link := range map[string]string{bk.ZoomMeetingID: join, other.Number(): other.JoinURL} {
		if got := eval[string](host, `(document.querySelector('tr[data-meeting="`+id+`"] a')||{}).href||''`); got != link {
			t.Errorf("upcoming row of meeting %s links to %q, want %q", id, got, link)
		}
	}
	if row := host.text(`tr[data-meeting="` + bk.ZoomMeetingID + `"]`); !strings.Contains(row, "Mon 2 Nov 09:00") {
		t.Errorf("host's row %q, want the host's own time (09:00 in New York)", row)
	}

	// The host starts an instant meeting from the same page.
	host.do("topic", chromedp.SendKeys(chromedp.CSS("#topic"), "Quick huddle", chromedp.NodeVisible))
	host.follow("#instant")
	instantJoin := eval[string](host, `(document.querySelector('#created-join')||{}).href||''`)
	if instantJoin == "" || !strings.Contains(host.text("#created"), "Quick huddle") {
		t.Fatalf("instant meeting: %q", host.text("main"))
	}
	number, _, _ := strings.Cut(instantJoin[strings.Index(instantJoin, "/j/")+3:], "?")
	if m, ok := w.Sim.Meeting(number); !ok || m.HostID != w.ZoomID || m.Topic != "Quick huddle" {
		t.Fatalf("instant meeting in the emulator: %+v (%v)", m, ok)
	}

	// Reschedule to the next time, 20:00 in Kolkata: same meeting, same link.
	b.follow(".book-slots li:nth-child(2) .book-slot")
	b.follow("#confirm-move")
	moved := w.WaitBooking(bk.ID, "Zoom meeting moved", func(b store.Booking) bool { return b.ZoomSequence == 1 })
	m, _ = w.Sim.Meeting(bk.ZoomMeetingID)
	if moved.UID != bk.UID || moved.Sequence != 1 || moved.ZoomMeetingID != bk.ZoomMeetingID || moved.JoinURL != join ||
		!m.Start.Equal(want.Add(30*time.Minute)) || m.JoinURL != join {
		t.Fatalf("after reschedule: booking %+v, emulator %+v", moved, m)
	}
	b.open(b.path())
	if got, link := b.text("#when"), b.text("#join"); !strings.Contains(got, "20:00") || link != join {
		t.Fatalf("after reschedule the page shows %q and link %q", got, link)
	}

	b.follow("#cancel")
	w.WaitBooking(bk.ID, "Zoom meeting deleted", func(b store.Booking) bool { return b.ZoomState == store.ZoomDeleted })
	if m, _ := w.Sim.Meeting(bk.ZoomMeetingID); !m.Deleted {
		t.Fatalf("the emulator still holds the cancelled meeting: %+v", m)
	}
	if got := b.text("#booking h2"); got != "Cancelled" {
		t.Fatalf("after cancel the page says %q", got)
	}
}
