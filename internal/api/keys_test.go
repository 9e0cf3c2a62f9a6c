package api

import (
	"strings"
	"testing"
)

func TestParseKey(t *testing.T) {
	t.Parallel()
	prefix, secret := randomText(prefixBytes), randomText(secretBytes)
	good := keyScheme + prefix + "_" + secret
	if p, s, ok := parseKey(good); !ok || p != prefix || s != secret {
		t.Fatalf("a generated key does not parse: %q %q %v", p, s, ok)
	}
	bad := []string{
		"",
		prefix + "_" + secret,                                   // no scheme
		"zb" + prefix + "_" + secret,                            // no underscore after scheme
		keyScheme + prefix + secret,                             // no separator
		keyScheme + prefix + "_" + secret[1:],                   // short secret
		keyScheme + prefix + "_" + secret + "a",                 // long secret
		keyScheme + prefix[1:] + "_a" + secret,                  // short prefix
		keyScheme + strings.ToUpper(prefix) + "_" + secret,      // alphabet is lower case
		keyScheme + prefix + "_" + secret[:len(secret)-1] + "1", // 1 is not base32
		keyScheme + prefix + "_" + secret[:len(secret)-1] + "_",
	}
	for _, k := range bad {
		if _, _, ok := parseKey(k); ok {
			t.Errorf("parseKey(%q) accepted", k)
		}
	}
}

func TestKeysAreRandomAndHashesBoundToPrefix(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		s := randomText(secretBytes)
		if seen[s] || len(s) != secretLength {
			t.Fatalf("secret %q repeated or of length %d", s, len(s))
		}
		seen[s] = true
	}
	h := hashSecret("aaaa", "secret")
	if h != hashSecret("aaaa", "secret") || h == hashSecret("aaab", "secret") || h == hashSecret("aaaa", "secreu") {
		t.Fatal("hash is not a function of both prefix and secret")
	}
	if strings.Contains(h, "secret") || len(h) != 64 {
		t.Fatalf("hash %q", h)
	}
}

func TestCursorRoundTripAndTampering(t *testing.T) {
	t.Parallel()
	c := cursor{list: "activities", keys: []int64{1762074000000, 42}}
	got, err := parseCursor(c.String(), "activities", 2)
	if err != nil || got[0] != 1762074000000 || got[1] != 42 {
		t.Fatalf("round trip %v %v", got, err)
	}
	people := cursor{list: "people", keys: []int64{42}}.String()
	for _, bad := range []string{people, "!!", "djE6YWN0aXZpdGllczox", c.String() + "x", "djE6YWN0aXZpdGllczotMTo1"} {
		if _, e := parseCursor(bad, "activities", 2); e == nil {
			t.Errorf("cursor %q accepted for activities", bad)
		} else if e.Parameter != "cursor" || e.Status != 400 {
			t.Errorf("cursor %q: %+v", bad, e)
		}
	}
}
