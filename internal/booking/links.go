package booking

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/vault"
)

// Reschedule and cancel links carry the booking id and an HMAC over it and
// the booking's UID, keyed by a secret of the host's profile (sealed in the
// vault). Whoever holds the booker's email may change the booking; nobody
// can guess a link for another.

func linkKeyAAD(personID int64) string {
	return vault.AAD("booking_profiles", "link_key", strconv.FormatInt(personID, 10))
}

func (s *Service) newLinkKey(personID int64) ([]byte, error) {
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		return nil, err
	}
	return s.cfg.Vault.Seal(k[:], linkKeyAAD(personID))
}

func (s *Service) sign(ctx context.Context, b store.Booking) (string, error) {
	p, err := s.cfg.Store.BookingProfileOf(ctx, b.PersonID)
	if err != nil {
		return "", err
	}
	key, err := s.cfg.Vault.Open(p.LinkKeyEnc, linkKeyAAD(b.PersonID))
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("manage:" + strconv.FormatInt(b.ID, 10) + ":" + b.UID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

// ManageToken is the booking's signed token for its manage page.
func (s *Service) ManageToken(ctx context.Context, b store.Booking) (string, error) {
	sig, err := s.sign(ctx, b)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(b.ID, 10) + "." + sig, nil
}

// ManageURL is the page where the booker reschedules or cancels.
func (s *Service) ManageURL(ctx context.Context, b store.Booking) (string, error) {
	tok, err := s.ManageToken(ctx, b)
	return s.cfg.PublicURL + "/book/manage/" + tok, err
}

// ErrBadLink is a manage link that is not one zoombridge signed.
var ErrBadLink = errors.New("this link is not valid; use the link in your confirmation email")

// BookingByToken checks a manage token and returns its booking.
func (s *Service) BookingByToken(ctx context.Context, token string) (store.Booking, error) {
	idText, sig, ok := strings.Cut(token, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return store.Booking{}, ErrBadLink
	}
	b, err := s.cfg.Store.BookingByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Booking{}, ErrBadLink
	}
	if err != nil {
		return store.Booking{}, err
	}
	want, err := s.sign(ctx, b)
	if err != nil {
		return store.Booking{}, err
	}
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return store.Booking{}, ErrBadLink
	}
	return b, nil
}
