package booking_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/store"
)

// inviteMail is a received booking email, taken apart.
type inviteMail struct {
	to, subject, text string
	calendar, ics     []byte // the inline text/calendar part and the .ics attachment
	method            string // the calendar part's method parameter
}

func readInviteMail(t *testing.T, m bookingtest.Mail) inviteMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	bookingtest.Must(t, err)
	out := inviteMail{to: msg.Header.Get("To")}
	out.subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	bookingtest.Must(t, err)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		bookingtest.Must(t, err)
		body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		bookingtest.Must(t, err)
		ctype, cparams, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ctype {
		case "text/plain":
			out.text = string(body)
		case "text/calendar":
			out.calendar, out.method = body, cparams["method"]
		case "application/ics":
			if !strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment") {
				t.Errorf("the .ics part is not an attachment: %q", p.Header.Get("Content-Disposition"))
			}
			out.ics = body
		}
	}
	if len(out.ics) == 0 || !bytes.Equal(out.ics, out.calendar) {
		t.Fatalf("mail to %s has no invite attached (or two different ones)", out.to)
	}
	return out
}

// parsed is what a calendar program reads from an invite.
type parsed struct {
	Method   string `json:"method"`
	UID      string `json:"uid"`
	Sequence int    `json:"sequence"`
	Status   string `json:"status"`
	Start    string `json:"start"`
	End      string `json:"end"`
}

// requireTool fails under ZOOMBRIDGE_TEST_REQUIRE_ICAL=1 (CI) and otherwise
// skips loudly, noting the skip in ZOOMBRIDGE_SKIP_LOG.
func requireTool(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("ZOOMBRIDGE_TEST_REQUIRE_ICAL") == "1" {
		t.Fatalf("%s; ZOOMBRIDGE_TEST_REQUIRE_ICAL=1", msg)
	}
	if log := os.Getenv("ZOOMBRIDGE_SKIP_LOG"); log != "" {
		if f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s: %s\n", t.Name(), msg)
			f.Close()
		}
	}
	t.Skipf("SKIPPED: %s; set ZOOMBRIDGE_TEST_REQUIRE_ICAL=1 to fail instead", msg)
}

const pythonReader = `
import json, sys
from datetime import timezone
from icalendar import Calendar
out = []
for name in sys.argv[1:]:
    cal = Calendar.from_ical(open(name, "rb").read())
    ev = next(iter(cal.walk("VEVENT")))
    utc = lambda k: ev.decoded(k).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out.append({"method": str(cal.get("METHOD")), "uid": str(ev.get("UID")), "sequence": int(ev.get("SEQUENCE")),
                "status": str(ev.get("STATUS")), "start": utc("DTSTART"), "end": utc("DTEND")})
print(json.dumps(out))
`

// readWithPython parses the files with Debian's python3-icalendar.
func readWithPython(t *testing.T, files []string) []parsed {
	t.Helper()
	py := os.Getenv("ZOOMBRIDGE_PYTHON")
	if py == "" {
		py = "/usr/bin/python3" // Debian's, where python3-icalendar installs
	}
	if err := exec.Command(py, "-c", "import icalendar").Run(); err != nil {
		requireTool(t, "python3-icalendar not importable by "+py+" (apt-get install -y python3-icalendar)")
	}
	return runReader(t, exec.Command(py, append([]string{"-c", pythonReader}, files...)...))
}

// readWithICALjs parses the files with npm's ical.js (conformance/ics-check.mjs).
func readWithICALjs(t *testing.T, files []string) []parsed {
	t.Helper()
	dir, _ := filepath.Abs("../../conformance")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ical.js")); err != nil {
		requireTool(t, "ical.js not installed (cd conformance && npm ci)")
	}
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "ics-check.mjs")}, files...)...)
	cmd.Dir = dir
	return runReader(t, cmd)
}

func runReader(t *testing.T, cmd *exec.Cmd) []parsed {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd.Path, err, stderr.String())
	}
	var got []parsed
	bookingtest.Must(t, json.Unmarshal(out, &got))
	for i := range got { // ical.js writes milliseconds; compare instants
		for _, p := range []*string{&got[i].Start, &got[i].End} {
			if ts, err := time.Parse(time.RFC3339, *p); err == nil {
				*p = ts.UTC().Format(time.RFC3339)
			}
		}
	}
	return got
}

// The invites of a booking's creation, reschedule and cancellation reach a
// real SMTP server, the booker's and the host's, each with the invite
// attached; the invites have CRLF lines and UTC times, and Debian's
// python3-icalendar and npm's ical.js read from them the same UID, a rising
// SEQUENCE, METHOD REQUEST then CANCEL, and the booked times.
func TestInvitesReachSMTPAndParseInCalendarLibraries(t *testing.T) {
	mb := bookingtest.NewMailbox(t)
	w := bookingtest.NewWorld(t, store.SQLite, func(c *config.Config) { c.SMTPURL = mb.URL() })
	var slots struct{ Slots []time.Time }
	w.Call("GET", "/api/v1/booking-links/"+w.Slug+"/intro/slots", nil, &slots)
	first, second := slots.Slots[0], slots.Slots[1]
	deal, err := w.Srv.Store.UpsertDeal(w.Ctx, store.Deal{OrgID: w.Org.ID, ExternalID: "deal-42", Name: "Acme renewal"}, w.Sim.Now())
	bookingtest.Must(t, err)

	var v booking.View
	w.Call("POST", "/api/v1/bookings", map[string]string{"person": w.Slug, "meeting_type": "intro", "start": first.Format(time.RFC3339),
		"name": "Ravi Booker", "email": "ravi@example.in", "time_zone": "Asia/Kolkata", "deal_ref": "deal-42"}, &v)
	type step struct {
		method, status string
		seq            int
		start          time.Time
	}
	steps := []step{{"REQUEST", "CONFIRMED", 0, first}, {"REQUEST", "CONFIRMED", 1, second}, {"CANCEL", "CANCELLED", 2, second}}
	var files []string
	var join string
	for i, s := range steps {
		switch i {
		case 1:
			w.Call("POST", fmt.Sprintf("/api/v1/bookings/%d/reschedule", v.ID), map[string]string{"start": second.Format(time.RFC3339)}, nil)
		case 2:
			w.Call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", v.ID), nil, nil)
		}
		got := map[string]inviteMail{}
		for range 2 {
			m := readInviteMail(t, mb.Next(t))
			got[m.to] = m
		}
		booker, host := got["ravi@example.in"], got[w.Host.Email]
		if booker.ics == nil || host.ics == nil {
			t.Fatalf("step %d: mail went to %v", i, mapsKeys(got))
		}
		if booker.method != s.method || host.method != s.method {
			t.Errorf("step %d: calendar part method %q / %q, want %s", i, booker.method, host.method, s.method)
		}
		b, err := w.Srv.Store.BookingByID(w.Ctx, v.ID)
		bookingtest.Must(t, err)
		if i == 0 {
			join = b.JoinURL
			// The booking's CRM activity is on the link's deal, with the Zoom meeting on it.
			a, err := w.Srv.Store.CRMActivityByExternalID(w.Ctx, w.Org.ID, "booking:"+b.UID)
			bookingtest.Must(t, err)
			if a.DealID != deal.ID || a.ZoomMeetingID != b.ZoomMeetingID || a.ZoomMeetingID == "" || a.Source != store.CRMSourceBooking || !a.StartAt.Equal(first) {
				t.Errorf("CRM activity %+v; want deal %d, meeting %s, source booking, start %v", a, deal.ID, b.ZoomMeetingID, first)
			}
		}
		if join == "" || (s.method == "REQUEST" && !strings.Contains(booker.text, join)) {
			t.Errorf("step %d: the booker's email does not carry the join link %q:\n%s", i, join, booker.text)
		}
		if s.method == "REQUEST" && !strings.Contains(booker.text, "/book/manage/") {
			t.Errorf("step %d: the booker's email has no reschedule/cancel link", i)
		}
		if strings.Contains(host.text, "/book/manage/") {
			t.Errorf("step %d: the host's copy carries the booker's signed link", i)
		}
		ics := string(booker.ics)
		if strings.Contains(strings.ReplaceAll(ics, "\r\n", ""), "\n") || !strings.HasSuffix(ics, "\r\n") {
			t.Errorf("step %d: invite lines do not all end in CRLF", i)
		}
		if want := "DTSTART:" + s.start.UTC().Format("20060102T150405Z"); !strings.Contains(ics, want+"\r\n") {
			t.Errorf("step %d: invite lacks %s (UTC):\n%s", i, want, ics)
		}
		f := filepath.Join(t.TempDir(), fmt.Sprintf("invite-%d.ics", i))
		bookingtest.Must(t, os.WriteFile(f, booker.ics, 0o644))
		files = append(files, f)
	}
	bookUID := v.UID
	events, err := w.Srv.Store.OutboundEvents(w.Ctx, w.Org.ID, 0, 100)
	bookingtest.Must(t, err)
	var types []string
	for _, e := range events {
		contracttest.Event(t, []byte(e.Payload))
		if !strings.HasPrefix(e.Type, "booking.") {
			continue // the set-up's own events (person.created, connection.connected, sync.completed)
		}
		var env struct {
			Data booking.View `json:"data"`
		}
		bookingtest.Must(t, json.Unmarshal([]byte(e.Payload), &env))
		if env.Data.UID != bookUID {
			t.Errorf("event %s is about booking %q", e.Type, env.Data.UID)
		}
		types = append(types, e.Type)
	}
	if strings.Join(types, " ") != "booking.created booking.rescheduled booking.cancelled" {
		t.Errorf("outbound events %v", types)
	}
	for name, read := range map[string]func(*testing.T, []string) []parsed{"python3-icalendar": readWithPython, "ical.js": readWithICALjs} {
		t.Run(name, func(t *testing.T) {
			got := read(t, files)
			for i, s := range steps {
				want := parsed{Method: s.method, UID: bookUID, Sequence: s.seq, Status: s.status,
					Start: s.start.UTC().Format(time.RFC3339), End: s.start.Add(30 * time.Minute).UTC().Format(time.RFC3339)}
				if i >= len(got) || got[i] != want {
					t.Errorf("%s read invite %d as %+v, want %+v", name, i, got[min(i, len(got)-1)], want)
				}
			}
		})
	}
}

func mapsKeys(m map[string]inviteMail) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
