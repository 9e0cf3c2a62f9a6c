package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseCursor (R12): any string is a cursor or a 400, never a panic; a
// cursor this server made reads back as the keys it holds, and one made for
// another list is refused.
func FuzzParseCursor(f *testing.F) {
	f.Add(cursor{list: "activities", keys: []int64{1762070400000, 42}}.String(), "activities", int64(7), int64(9))
	f.Add(cursor{list: "people", keys: []int64{3}}.String(), "people", int64(0), int64(0))
	f.Add("djE6YWN0aXZpdGllczotMTox", "activities", int64(-1), int64(1))
	f.Add("", "people", int64(1), int64(2))
	f.Add("%%%", "x", int64(1), int64(2))
	f.Fuzz(func(t *testing.T, s, list string, k1, k2 int64) {
		for n := 0; n <= 2; n++ {
			keys, e := parseCursor(s, list, n)
			if e != nil {
				if keys != nil {
					t.Fatal("keys with an error")
				}
				continue
			}
			if s != "" && len(keys) != n {
				t.Fatalf("%d keys for a cursor of %d", len(keys), n)
			}
			for _, k := range keys {
				if k < 0 {
					t.Fatalf("negative key %d accepted", k)
				}
			}
		}
		if k1 < 0 || k2 < 0 {
			return
		}
		c := cursor{list: list, keys: []int64{k1, k2}}
		keys, e := parseCursor(c.String(), list, 2)
		// Only a list name with ':' or one too long for a cursor cannot round-trip.
		fits := !strings.Contains(list, ":") && len("v1:"+list+":"+fmt.Sprint(k1)+":"+fmt.Sprint(k2)) <= 100
		switch {
		case e == nil && (keys[0] != k1 || keys[1] != k2):
			t.Fatalf("cursor %v read back as %v", c, keys)
		case e != nil && fits:
			t.Fatalf("own cursor %v refused: %s", c, e.Message)
		}
		if _, e := parseCursor(c.String(), list+"x", 2); e == nil {
			t.Fatalf("cursor of %q accepted for %q", list, list+"x")
		}
	})
}

// FuzzParams (R12): any query string gives either a 400 naming a parameter
// or values within their documented bounds, never a panic.
func FuzzParams(f *testing.F) {
	for _, s := range []string{"limit=50&from=2026-11-02T09:00:00Z&to=2026-11-09T09:00:00Z", "limit=0", "limit=501", "persn=12",
		"limit=1&limit=2", "from=2026-13-02", "person=1,2,3&type=meeting", "cursor=djE6cGVvcGxlOjM", "%zz", "to=+2026-11-02T09:00:00%2B01:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // net/http answers 400 before a handler sees it
		}
		p := newParams(q, "limit", "from", "to", "person", "type", "cursor")
		limit := p.limit()
		from, to := p.time("from"), p.time("to")
		_ = p.list("person")
		_ = p.list("type")
		if limit < 1 || limit > maxLimit {
			t.Fatalf("limit %d outside 1..%d", limit, maxLimit)
		}
		if p.err == nil {
			for name := range q {
				if !contains([]string{"limit", "from", "to", "person", "type", "cursor"}, name) {
					t.Fatalf("unknown parameter %q accepted", name)
				}
			}
			if len(q["limit"]) > 1 || len(q["from"]) > 1 || len(q["to"]) > 1 {
				t.Fatal("a parameter given twice was accepted")
			}
			if !from.IsZero() && q.Get("from") == "" || !to.IsZero() && q.Get("to") == "" {
				t.Fatal("a time read from an empty parameter")
			}
		} else if p.err.Status != 400 {
			t.Fatalf("status %d for a bad query, want 400", p.err.Status)
		}
	})
}
