package booking

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidSlug reports whether s can be part of a booking link.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// slugFrom makes a link-safe slug of a name or email.
func slugFrom(s string) string {
	s = strings.ToLower(s)
	if at := strings.IndexByte(s, '@'); at > 0 {
		s = s[:at]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		out = "person"
	}
	return out[:min(len(out), 40)]
}

// Profile returns the person's booking profile, creating one (Monday to
// Friday, 09:00-17:00 in zone, a slug from their email) on first use.
func (s *Service) Profile(ctx context.Context, p store.Person, zone string) (store.BookingProfile, error) {
	st := s.cfg.Store
	prof, err := st.BookingProfileOf(ctx, p.ID)
	if !errors.Is(err, store.ErrNotFound) {
		return prof, err
	}
	if _, err := DefaultHours(zone).Location(); err != nil {
		zone = "UTC"
	}
	key, err := s.newLinkKey(p.ID)
	if err != nil {
		return prof, err
	}
	base := slugFrom(p.Email)
	for i := 1; ; i++ {
		slug := base
		if i > 1 {
			slug += "-" + strconv.Itoa(i)
		}
		prof = store.BookingProfile{PersonID: p.ID, OrgID: p.OrgID, Slug: slug, Hours: DefaultHours(zone).JSON(), LinkKeyEnc: key}
		err = st.CreateBookingProfile(ctx, prof, s.now())
		if !errors.Is(err, store.ErrDuplicate) || i > 50 {
			break
		}
	}
	if err != nil {
		return prof, err
	}
	return st.BookingProfileOf(ctx, p.ID)
}

// SaveProfile validates and stores a slug and working hours.
func (s *Service) SaveProfile(ctx context.Context, prof store.BookingProfile, h Hours) error {
	if !ValidSlug(prof.Slug) {
		return &InputError{"slug", "Use lower-case letters, digits and dashes (up to 63)."}
	}
	if _, err := h.Location(); err != nil {
		return &InputError{"zone", err.Error()}
	}
	prof.Hours = h.JSON()
	err := s.cfg.Store.UpdateBookingProfile(ctx, prof, s.now())
	if errors.Is(err, store.ErrDuplicate) {
		return &InputError{"slug", "That link name is taken; choose another."}
	}
	return err
}

// SaveType validates and creates (ID 0) or updates a meeting type.
func (s *Service) SaveType(ctx context.Context, t store.BookingType) (store.BookingType, error) {
	t.Name, t.Slug = strings.TrimSpace(t.Name), strings.TrimSpace(t.Slug)
	switch {
	case t.Name == "" || len(t.Name) > 120:
		return t, &InputError{"name", "Give the meeting type a name (up to 120 characters)."}
	case !ValidSlug(t.Slug):
		return t, &InputError{"slug", "Use lower-case letters, digits and dashes (up to 63)."}
	case t.DurationMin < 5 || t.DurationMin > 24*60:
		return t, &InputError{"duration", "Duration is 5 minutes to 24 hours."}
	case t.BufferBefore < 0 || t.BufferAfter < 0 || t.BufferBefore > 240 || t.BufferAfter > 240:
		return t, &InputError{"buffer", "Buffers are 0 to 240 minutes."}
	case t.NoticeMin < 0 || t.IncrementMin < 0 || t.IncrementMin > 24*60 || (t.IncrementMin > 0 && t.IncrementMin < 5):
		return t, &InputError{"increment", "Notice is 0 or more minutes; slot increments are 5 minutes to 24 hours (0: the duration)."}
	case t.WindowDays < 1 || t.WindowDays > 365:
		return t, &InputError{"window", "The booking window is 1 to 365 days."}
	case t.DailyLimit < 0:
		return t, &InputError{"limit", "The daily limit is 0 (none) or more."}
	}
	var err error
	if t.ID == 0 {
		t, err = s.cfg.Store.CreateBookingType(ctx, t, s.now())
	} else {
		err = s.cfg.Store.UpdateBookingType(ctx, t, s.now())
	}
	if errors.Is(err, store.ErrDuplicate) {
		return t, &InputError{"slug", "You already have a meeting type with that link name."}
	}
	return t, err
}
