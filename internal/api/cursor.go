package api

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// A cursor is where the next page starts: the sort key of the last row sent.
// It is opaque to clients (base64 of "<list>:<key>..."), so the format can
// change; the list name stops a people cursor being used for activities.
// Lists sorted by a text key (Zoom user ids) carry it in text.
type cursor struct {
	list string
	keys []int64
	text string
}

func (c cursor) String() string {
	parts := []string{"v1", c.list}
	for _, k := range c.keys {
		parts = append(parts, strconv.FormatInt(k, 10))
	}
	if c.text != "" {
		parts = append(parts, "t", c.text)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, ":")))
}

func badCursor() *Error {
	return badParam("cursor", "not a cursor of this list: pass next_cursor from the previous page unchanged")
}

// parseCursor reads a cursor of list with n keys; "" means the first page.
func parseCursor(s, list string, n int) ([]int64, *Error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) > 100 {
		return nil, badCursor()
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != n+2 || parts[0] != "v1" || parts[1] != list {
		return nil, badCursor()
	}
	keys := make([]int64, n)
	for i, p := range parts[2:] {
		var err error
		if keys[i], err = strconv.ParseInt(p, 10, 64); err != nil || keys[i] < 0 {
			return nil, badCursor()
		}
	}
	return keys, nil
}

// parseTextCursor reads a cursor of list with a text key.
func parseTextCursor(s, list string) (string, *Error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) > 400 {
		return "", badCursor()
	}
	parts := strings.SplitN(string(raw), ":", 4)
	if len(parts) != 4 || parts[0] != "v1" || parts[1] != list || parts[2] != "t" || parts[3] == "" {
		return "", badCursor()
	}
	return parts[3], nil
}

// page is every list's envelope: the rows, and the cursor of the next page
// (null on the last).
type page[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

func nextCursor(c cursor) *string {
	s := c.String()
	return &s
}
