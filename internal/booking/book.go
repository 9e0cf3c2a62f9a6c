package booking

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Request is a booker's submission.
type Request struct {
	PersonSlug, TypeSlug string
	Start                time.Time
	Name, Email          string
	Zone                 string // the booker's IANA zone, for their invite; the host's when empty
	Note                 string
	DealRef              string // a CRM deal's external id carried by the link
}

// RequestFromForm reads the public booking page's form (POST
// /book/{person}/{type}). start is the picked slot in RFC 3339; one that
// does not parse stays zero and is refused as no time picked.
func RequestFromForm(personSlug, typeSlug string, f url.Values) Request {
	start, _ := time.Parse(time.RFC3339, f.Get("start"))
	return Request{PersonSlug: personSlug, TypeSlug: typeSlug, Start: start,
		Name: f.Get("name"), Email: f.Get("email"), Zone: f.Get("tz"), Note: f.Get("note"), DealRef: f.Get("deal")}
}

func (r *Request) validate() error {
	r.Name, r.Email = strings.TrimSpace(r.Name), strings.TrimSpace(r.Email)
	r.Note, r.DealRef, r.Zone = strings.TrimSpace(r.Note), strings.TrimSpace(r.DealRef), strings.TrimSpace(r.Zone)
	switch {
	case r.Name == "" || utf8.RuneCountInString(r.Name) > 200 || !plainText(r.Name, ""):
		return &InputError{"name", "Please give your name (up to 200 characters)."}
	case len(r.Email) > 254 || !validEmail(r.Email) || !plainText(r.Email, ""):
		return &InputError{"email", "Please give an email address like name@example.com."}
	case utf8.RuneCountInString(r.Note) > 2000 || !plainText(r.Note, "\t\r\n"):
		return &InputError{"note", "The note can be up to 2000 characters of text."}
	case len(r.DealRef) > 200 || !plainText(r.DealRef, ""):
		return &InputError{"deal", "The deal reference is too long or not text."}
	case r.Start.IsZero():
		return &InputError{"start", "Please pick a time."}
	}
	if r.Zone != "" {
		if _, err := time.LoadLocation(r.Zone); err != nil || strings.EqualFold(r.Zone, "local") {
			return &InputError{"zone", "Unknown time zone " + r.Zone + "."}
		}
	}
	return nil
}

// plainText is valid UTF-8 without control characters but those in allowed:
// PostgreSQL refuses NUL and invalid UTF-8 in text (a 500 instead of the
// form again), and the rest would reach mail headers and invites.
func plainText(s, allowed string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if unicode.IsControl(c) && !strings.ContainsRune(allowed, c) {
			return false
		}
	}
	return true
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

// Book takes a slot on a link: the slot is checked again under the person's
// booking lock, then the booking, the job that creates its Zoom meeting, its
// CRM activity and the booking.created event commit together.
// st is the caller's store: bound to the caller's transaction, the booking
// commits with it.
func (s *Service) Book(ctx context.Context, st *store.Store, r Request) (store.Booking, error) {
	if err := r.validate(); err != nil {
		return store.Booking{}, err
	}
	l, err := s.LinkBySlugs(ctx, st, r.PersonSlug, r.TypeSlug)
	if err != nil {
		return store.Booking{}, err
	}
	if _, err := s.ResolveHost(ctx, st, l.Person); err != nil {
		return store.Booking{}, err
	}
	loc, err := l.Hours.Location()
	if err != nil {
		return store.Booking{}, err
	}
	if r.Zone == "" {
		r.Zone = l.Hours.Zone
	}
	start := r.Start.UTC().Truncate(time.Minute)
	var out store.Booking
	err = st.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		if err := s.takeable(ctx, tx, l, start, 0); err != nil {
			return err
		}
		now := s.now()
		b, err := tx.CreateBooking(ctx, store.Booking{
			OrgID: l.Person.OrgID, PersonID: l.Person.ID, TypeID: l.Type.ID, UID: s.newUID(), Status: store.BookingConfirmed,
			Start: start, End: start.Add(time.Duration(l.Type.DurationMin) * time.Minute),
			BufferBefore: l.Type.BufferBefore, BufferAfter: l.Type.BufferAfter, LocalDate: DateOf(start, loc).String(),
			BookerName: r.Name, BookerEmail: r.Email, BookerZone: r.Zone, Note: r.Note, DealRef: r.DealRef, ZoomState: store.ZoomPending,
		}, now)
		if errors.Is(err, store.ErrDuplicate) {
			return ErrJustTaken
		}
		if err != nil {
			return err
		}
		out = b
		return s.changed(ctx, tx, sqlTx, b, l.Type, "booking.created")
	})
	return out, err
}

// takeable checks, inside the transaction and under the person's lock, that
// start is still one of the link's slots. A slot that is open on the working
// hours but clashes with what is now busy was just taken.
func (s *Service) takeable(ctx context.Context, tx *store.Store, l Link, start time.Time, moving int64) error {
	if _, err := tx.LockBookingProfile(ctx, l.Person.ID); err != nil {
		return err
	}
	cal, err := s.calendar(ctx, tx, l, start, start.Add(time.Minute), moving)
	if err != nil {
		return err
	}
	rules := RulesOf(l.Type)
	ok, err := Open(cal, rules, start)
	if err != nil || ok {
		return err
	}
	free := Calendar{Hours: cal.Hours, Now: cal.Now}
	if open, _ := Open(free, rules, start); open {
		return ErrJustTaken
	}
	return ErrNotOpen
}

// changed records what every change of a booking brings along, in its
// transaction: the job that brings Zoom in step, the CRM activity, the event.
func (s *Service) changed(ctx context.Context, tx *store.Store, sqlTx *sql.Tx, b store.Booking, t store.BookingType, event string) error {
	if _, err := s.cfg.Jobs().InsertTx(ctx, sqlTx, ZoomArgs{BookingID: b.ID}, nil); err != nil {
		return err
	}
	if err := s.syncCRM(ctx, tx, b, t); err != nil {
		return err
	}
	return outbound.Publish(ctx, tx, b.OrgID, event, ViewOf(b, t), s.now())
}

// Reschedule moves a confirmed booking to another open slot of its type. The
// Zoom meeting is updated (its join link stays) and a new invite with the same
// UID and a higher SEQUENCE goes out.
func (s *Service) Reschedule(ctx context.Context, st *store.Store, id int64, start time.Time) (store.Booking, error) {
	b, l, err := s.bookingLink(ctx, st, id)
	if err != nil {
		return store.Booking{}, err
	}
	loc, err := l.Hours.Location()
	if err != nil {
		return store.Booking{}, err
	}
	start = start.UTC().Truncate(time.Minute)
	var out store.Booking
	err = st.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		if err := s.takeable(ctx, tx, l, start, b.ID); err != nil {
			return err
		}
		end := start.Add(time.Duration(l.Type.DurationMin) * time.Minute)
		err := tx.RescheduleBooking(ctx, b.ID, start, end, DateOf(start, loc).String(), s.now())
		switch {
		case errors.Is(err, store.ErrDuplicate):
			return ErrJustTaken
		case errors.Is(err, store.ErrNotFound):
			return ErrCancelled
		case err != nil:
			return err
		}
		if out, err = tx.BookingByID(ctx, b.ID); err != nil {
			return err
		}
		return s.changed(ctx, tx, sqlTx, out, l.Type, "booking.rescheduled")
	})
	return out, err
}

// Cancel frees the slot; the Zoom meeting is deleted and a METHOD:CANCEL
// invite goes out.
func (s *Service) Cancel(ctx context.Context, st *store.Store, id int64) (store.Booking, error) {
	var out store.Booking
	err := st.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		b, err := tx.BookingByID(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.LockBookingProfile(ctx, b.PersonID); err != nil {
			return err
		}
		if err := tx.CancelBooking(ctx, id, s.now()); errors.Is(err, store.ErrNotFound) {
			return ErrCancelled
		} else if err != nil {
			return err
		}
		t, err := tx.BookingTypeByID(ctx, b.OrgID, b.TypeID)
		if err != nil {
			return err
		}
		if out, err = tx.BookingByID(ctx, id); err != nil {
			return err
		}
		return s.changed(ctx, tx, sqlTx, out, t, "booking.cancelled")
	})
	return out, err
}

// bookingLink loads a confirmed booking and the link it was made on.
func (s *Service) bookingLink(ctx context.Context, st *store.Store, id int64) (store.Booking, Link, error) {
	b, err := st.BookingByID(ctx, id)
	if err != nil {
		return b, Link{}, notFound(err)
	}
	if b.Status != store.BookingConfirmed {
		return b, Link{}, ErrCancelled
	}
	t, err := st.BookingTypeByID(ctx, b.OrgID, b.TypeID)
	if err != nil {
		return b, Link{}, err
	}
	p, err := st.BookingProfileOf(ctx, b.PersonID)
	if err != nil {
		return b, Link{}, err
	}
	l, err := s.link(ctx, st, p, t.Slug)
	return b, l, err
}

// newUID is a calendar UID, unique and the same for the booking's life.
func (s *Service) newUID() string {
	var b [16]byte
	rand.Read(b[:])
	host := "zoombridge"
	if u, err := url.Parse(s.cfg.PublicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return hex.EncodeToString(b[:]) + "@" + host
}
