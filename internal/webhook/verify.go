// Package webhook receives Zoom's event notifications: it verifies them (v0
// HMAC-SHA256 over the raw body, a five-minute replay window), answers the
// endpoint.url_validation handshake, stores each event and its processing job
// in one durable commit before answering, and processes events idempotently in
// jobs, in any order.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
)

// Header names Zoom signs deliveries with.
const (
	HeaderTimestamp = "x-zm-request-timestamp"
	HeaderSignature = "x-zm-signature"
)

// Window is how far a delivery's timestamp may be from now, either way. Zoom
// publishes none; five minutes is what its own plugin recommends and what
// bounds a captured request's replay.
const Window = 5 * time.Minute

// Rejection reasons; each is a metric label and never tells a caller more
// than "unauthorized".
var (
	ErrMissingHeaders = errors.New("missing_headers")
	ErrBadTimestamp   = errors.New("stale_timestamp")
	ErrBadSignature   = errors.New("bad_signature")
)

// CheckTimestamp parses Zoom's timestamp header (Unix seconds) and rejects it
// when it is more than Window from now either way.
func CheckTimestamp(ts string, now time.Time) error {
	if ts == "" {
		return ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(ts) > 12 {
		return ErrBadTimestamp
	}
	d := now.Unix() - sec
	if d > int64(Window/time.Second) || d < -int64(Window/time.Second) {
		return ErrBadTimestamp
	}
	return nil
}

// Sign returns the x-zm-signature value Zoom sends for body at ts.
func Sign(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	var sum [sha256.Size]byte
	return "v0=" + hex.EncodeToString(m.Sum(sum[:0]))
}

// VerifySignature checks sig against every secret in constant time per
// secret (an organization may hold more than one app). It returns the index of
// the secret that matched.
func VerifySignature(secrets [][]byte, ts, sig string, body []byte) (int, error) {
	if sig == "" || ts == "" {
		return -1, ErrMissingHeaders
	}
	match := -1
	for i, s := range secrets {
		if len(s) == 0 {
			continue
		}
		if hmac.Equal([]byte(Sign(s, ts, body)), []byte(sig)) && match < 0 {
			match = i
		}
	}
	if match < 0 {
		return -1, ErrBadSignature
	}
	return match, nil
}

// Verify is the whole check of one delivery: headers present, timestamp in
// the window, signature valid for one of secrets.
func Verify(secrets [][]byte, ts, sig string, body []byte, now time.Time) (int, error) {
	if ts == "" || sig == "" {
		return -1, ErrMissingHeaders
	}
	if err := CheckTimestamp(ts, now); err != nil {
		return -1, err
	}
	return VerifySignature(secrets, ts, sig, body)
}

// ValidationToken is the encryptedToken of Zoom's url_validation handshake:
// hex(HMAC-SHA256(secret, plainToken)).
func ValidationToken(secret []byte, plainToken string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(plainToken))
	return hex.EncodeToString(m.Sum(nil))
}
