package webhook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// FuzzVerifyAndParse drives the request path's untrusted-input code, seeded
// with Zoom's documented example payloads: signature and replay-window
// checks, the envelope scan and dedup key, and the cut to the allow-list.
func FuzzVerifyAndParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/zoom/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, int64(0), uint32(7))
		f.Add(b, int64(301), uint32(len(b)*4))
	}
	f.Add([]byte(`{"event":"x","download_token":"t","payload":{"object":{"uuid":1}},"download_token":"u"}`), int64(-300), uint32(0))
	f.Add([]byte(`{"event":"pay\u006coad","Payload":[{"a":"\"}"}]}`), int64(-301), uint32(3))
	secret := []byte("fuzz-secret")
	now := time.Unix(1_800_000_000, 0)
	f.Fuzz(func(t *testing.T, body []byte, offset int64, flip uint32) {
		offset %= 1_000_000
		ts := strconv.FormatInt(now.Unix()+offset, 10)
		sig := Sign(secret, ts, body)
		_, err := Verify([][]byte{secret}, ts, sig, body, now)
		inWindow := offset >= -300 && offset <= 300
		if (err == nil) != inWindow {
			t.Fatalf("offset %d: verify error %v", offset, err)
		}
		if _, err := Verify([][]byte{[]byte("other")}, ts, sig, body, now); err == nil {
			t.Fatal("accepted a signature made with another secret")
		}
		if bit := int(flip); bit < len(body)*8 {
			flipped := append([]byte(nil), body...)
			flipped[bit/8] ^= 1 << (bit % 8)
			if _, err := VerifySignature([][]byte{secret}, ts, sig, flipped); err == nil {
				t.Fatal("accepted a body with a flipped bit")
			}
		}

		env, err := ParseEnvelope(body)
		if err != nil {
			return
		}
		if !json.Valid(body) || env.Event == "" || len(env.DedupKey) != dedupKeyLen {
			t.Fatalf("accepted %q as %+v", body, env)
		}
		if again, _ := ParseEnvelope(body); again != env {
			t.Fatal("the dedup key is not deterministic")
		}
		stored := reduce(env.Event, body)
		if !json.Valid(stored) {
			t.Fatalf("stored body is not JSON: %q from %q", stored, body)
		}
		if _, ok := member(stored, "download_token"); ok {
			t.Fatalf("download_token kept in %q", stored)
		}
		if !keptOnlyAllowed(stored, allowListOf(env.Event)) {
			t.Fatalf("%s: stored %q keeps a field outside the allow-list", env.Event, stored)
		}
	})
}

// keptOnlyAllowed checks a stored body against the allow-list by decoding
// it as the processing does.
func keptOnlyAllowed(b []byte, f fields) bool {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	var ok func(v any, f fields) bool
	ok = func(v any, f fields) bool {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				sub, found := lookup(f, []byte(strconv.Quote(k)))
				if !found || !ok(e, sub) {
					return false
				}
			}
		case []any:
			for _, e := range x {
				if _, isObj := e.(map[string]any); !isObj || !ok(e, f) {
					return false
				}
			}
			return f != nil
		default:
			return f == nil
		}
		return f != nil || v == nil
	}
	return ok(v, f)
}
