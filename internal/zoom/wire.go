package zoom

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Timestamp is a time in Zoom's JSON: "2021-07-13T21:44:51Z", sometimes with
// an offset, and "" (or absent) when Zoom has none, e.g. an instant meeting's
// start_time. The zero Timestamp is "none".
type Timestamp struct{ time.Time }

// UnmarshalJSON accepts Zoom's forms and leaves "" and null as zero.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s = strings.TrimSpace(s); s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return &time.ParseError{Layout: time.RFC3339, Value: s, Message: ": not a Zoom time"}
}

// MarshalJSON writes Zoom's form, or "" for none.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`""`), nil
	}
	return json.Marshal(t.UTC().Format("2006-01-02T15:04:05Z"))
}

// zoomDate is how date-range endpoints take from and to (UTC days).
func zoomDate(t time.Time) string { return t.UTC().Format("2006-01-02") }

// MeetingPathID puts a meeting id or instance UUID into a path. Zoom asks for
// UUIDs that begin with "/" or contain "//" to be encoded twice.
func MeetingPathID(id string) string {
	if strings.HasPrefix(id, "/") || strings.Contains(id, "//") {
		return url.PathEscape(url.PathEscape(id))
	}
	return url.PathEscape(id)
}

// IsPageTokenExpired reports whether err is Zoom refusing a next_page_token
// (they expire after 15 minutes): the listing must start again.
func IsPageTokenExpired(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.Status != 400 || (e.Code != 300 && e.Code != 400) {
		return false
	}
	return strings.Contains(strings.ToLower(e.Message), "next page token")
}
