package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalidJSON is a verified body that is not a JSON object with an event
// name; Zoom never sends one, so it is answered 400.
var ErrInvalidJSON = errors.New("invalid_json")

// Envelope is what the request path reads of an event: enough to store,
// deduplicate and route it. Typed decoding happens in the processing job.
type Envelope struct {
	Event      string
	EventTS    int64 // ms; 0 when Zoom sent none (app_deauthorized)
	AccountID  string
	ObjectID   string // the object's uuid, id, call_id or user id: for the dedup key
	PlainToken string // endpoint.url_validation only
	DedupKey   string
}

// rawEnvelope takes every leaf as raw JSON, so an unexpected type (a number
// where Zoom's docs show a string) never turns a genuine event into a 400.
type rawEnvelope struct {
	Event   json.RawMessage `json:"event"`
	EventTS json.RawMessage `json:"event_ts"`
	Payload struct {
		AccountID  json.RawMessage `json:"account_id"`
		PlainToken json.RawMessage `json:"plainToken"`
		UserID     json.RawMessage `json:"user_id"`
		Signature  json.RawMessage `json:"signature"`
		Object     struct {
			UUID        json.RawMessage `json:"uuid"`
			ID          json.RawMessage `json:"id"`
			CallID      json.RawMessage `json:"call_id"`
			UserID      json.RawMessage `json:"user_id"`
			MeetingUUID json.RawMessage `json:"meeting_uuid"`
		} `json:"object"`
	} `json:"payload"`
}

// ParseEnvelope reads the envelope of a verified body and derives its dedup
// key. Zoom sends no delivery id, and a retry resends the same event, so the
// key is a hash of the account, event, event_ts, object id and the payload's
// bytes: a retry or a duplicate delivery maps to the same key, two distinct
// events never do.
func ParseEnvelope(body []byte) (Envelope, error) {
	var raw rawEnvelope
	if i := firstByte(body); i < 0 || body[i] != '{' {
		return Envelope{}, ErrInvalidJSON
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return Envelope{}, ErrInvalidJSON
		}
	}
	e := Envelope{Event: text(raw.Event), EventTS: number(raw.EventTS), AccountID: text(raw.Payload.AccountID),
		PlainToken: text(raw.Payload.PlainToken)}
	if e.Event == "" {
		return Envelope{}, ErrInvalidJSON
	}
	o := raw.Payload.Object
	e.ObjectID = firstText(o.UUID, o.MeetingUUID, o.ID, o.CallID, o.UserID, raw.Payload.UserID, raw.Payload.Signature)
	payload, _ := member(body, "payload")
	e.DedupKey = dedupKey(e, payload)
	return e, nil
}

// dedupKeyLen is the length of every dedup key: 12 hex digits of event_ts,
// a colon, and 144 bits of the hash in base64url.
const dedupKeyLen = 12 + 1 + 24

// dedupKey names an event the same on every delivery of it. It starts with
// event_ts so that keys stored together sit together in the unique index: a
// bare hash put each new event on a page of its own, and each commit wrote
// one index page per event.
func dedupKey(e Envelope, payload []byte) string {
	ph := sha256.Sum256(payload)
	h := sha256.New()
	for _, part := range []string{"zoom.v1", e.AccountID, e.Event, strconv.FormatInt(e.EventTS, 10), e.ObjectID} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(ph[:])
	var sum [sha256.Size]byte
	ts := uint64(e.EventTS) & (1<<48 - 1) // milliseconds until the year 10889
	return fmt.Sprintf("%012x:", ts) + base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:18])
}

// text reads a JSON string, or a number as its decimal text; anything else is "".
func text(r json.RawMessage) string {
	r = bytes.TrimSpace(r)
	if len(r) == 0 {
		return ""
	}
	switch r[0] {
	case '"':
		var s string
		if json.Unmarshal(r, &s) != nil {
			return ""
		}
		return s
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(r)
	}
	return ""
}

// number reads an integer given as a JSON number or a string of digits.
func number(r json.RawMessage) int64 {
	s := text(r)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > -9e18 && f < 9e18 {
		return int64(f)
	}
	return 0
}

func firstText(rs ...json.RawMessage) string {
	for _, r := range rs {
		if s := text(r); s != "" {
			return s
		}
	}
	return ""
}

// clean makes a string from an event safe for a TEXT column on both
// databases (PostgreSQL refuses NUL) and bounded in size.
func clean(s string, max int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "")
	}
	return s
}
