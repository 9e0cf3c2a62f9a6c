package booking

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzBookingForm reads arbitrary booking-page forms as the POST does and
// checks them as Book does before it touches the database. A refusal names a
// field; an accepted request has a one-line name of at most 200 characters,
// an address with one @ and no spaces or control characters, a note of at
// most 2000 characters, a picked slot that reads back, a zone that loads
// under its own name, and text the databases can store (valid UTF-8, no
// control characters but a note's line breaks and tabs).
func FuzzBookingForm(f *testing.F) {
	add := func(name, email, start, tz, note, deal string) { f.Add(name, email, start, tz, note, deal) }
	add("Ada Lovelace", "ada@example.com", "2026-12-03T09:00:00Z", "Europe/London", "About the demo.\r\nThanks!", "D-42")
	add(" Ada ", " ada@example.com ", "2026-12-03T10:30:00+01:00", "", "", "")
	add("Ada", "Ada <ada@example.com>", "2026-12-03T09:00:00Z", "", "", "")
	add("Ada", "ada@example.com", "2026-12-03 09:00", "UTC", "", "")
	add("Ada\r\nBcc: x@evil.example", "ada@example.com", "2026-12-03T09:00:00Z", "", "", "")
	add("Ada", "ada@example.com\r\nBcc: x@evil.example", "2026-12-03T09:00:00Z", "", "", "")
	add("Ada\x00", "ada@example.com", "2026-12-03T09:00:00Z", "", "", "")
	add("Ada", "ada@example.com", "2026-12-03T09:00:00Z", "", "note\x00", "")
	add("Ada", "ada@example.com", "2026-12-03T09:00:00Z", "", "", "deal\x7f")
	add("Ad\xffa", "ada@example.com", "2026-12-03T09:00:00Z", "", "", "")
	add("Ada", "\"ada lovelace\"@example.com", "2026-12-03T09:00:00Z", "", "", "")
	add("Ada", "adä@exämple.com", "2026-12-03T09:00:00Z", "", "", "")
	add("Ada", "ada@example.com", "0000-01-01T00:00:00Z", "", "", "")
	add("Ada", "ada@example.com", "2026-12-03T09:00:00Z", "Local", "", "")
	add("Ada", "ada@example.com", "2026-12-03T09:00:00Z", "../../../etc/passwd", "", "")
	add("Ada", "ada@example.com", "2026-12-03T09:00:00Z", "utc", "", "")
	add(strings.Repeat("é", 201), "ada@example.com", "2026-12-03T09:00:00Z", "", strings.Repeat("n", 2001), strings.Repeat("d", 201))
	add("Ada", strings.Repeat("a", 250)+"@x.io", "2026-12-03T09:00:00Z", "", "", "")
	f.Fuzz(func(t *testing.T, name, email, start, tz, note, deal string) {
		form := url.Values{"name": {name}, "email": {email}, "start": {start}, "tz": {tz}, "note": {note}, "deal": {deal}}
		r := RequestFromForm("ada", "intro", form)
		if err := r.validate(); err != nil {
			var in *InputError
			if !errors.As(err, &in) || in.Field == "" || in.Message == "" {
				t.Fatalf("a refusal without a field and a message: %v", err)
			}
			return
		}
		switch {
		case r.Name == "" || utf8.RuneCountInString(r.Name) > 200 || !storable(r.Name, ""):
			t.Fatalf("accepted name %q", r.Name)
		case len(r.Email) > 254 || strings.Count(r.Email, "@") < 1 || strings.HasPrefix(r.Email, "@") || strings.HasSuffix(r.Email, "@") ||
			strings.IndexFunc(r.Email, unicode.IsSpace) >= 0 || !storable(r.Email, ""):
			t.Fatalf("accepted email %q", r.Email)
		case utf8.RuneCountInString(r.Note) > 2000 || !storable(r.Note, "\t\r\n"):
			t.Fatalf("accepted note %q", r.Note)
		case len(r.DealRef) > 200 || !storable(r.DealRef, ""):
			t.Fatalf("accepted deal reference %q", r.DealRef)
		}
		if picked, err := time.Parse(time.RFC3339, start); err != nil || r.Start.IsZero() || !r.Start.Equal(picked) {
			t.Fatalf("accepted start %v from %q (%v)", r.Start, start, err)
		}
		if r.Zone != "" {
			if loc, err := time.LoadLocation(r.Zone); err != nil || loc.String() != r.Zone || loc == time.Local {
				t.Fatalf("accepted zone %q", r.Zone)
			}
		}
		again := r
		if err := again.validate(); err != nil || again != r {
			t.Fatalf("an accepted request %+v is refused or changed when checked again: %+v, %v", r, again, err)
		}
	})
}

// storable: valid UTF-8 with no control characters but those in allowed
// (PostgreSQL refuses NUL and invalid UTF-8 in text; mail headers and .ics
// lines break on the rest).
func storable(s, allowed string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !strings.ContainsRune(allowed, r)
	}) < 0
}
