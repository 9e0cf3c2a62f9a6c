package webhook

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// FuzzVerifyAndParse drives the request path's untrusted-input code, seeded
// with Zoom's documented example payloads: signature and replay-window
// checks, the envelope scan and dedup key, and the stored-body rewrite.
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
		stored := withoutMember(body, "download_token")
		if !json.Valid(stored) {
			t.Fatalf("stored body is not JSON: %q from %q", stored, body)
		}
		if _, ok := member(stored, "download_token"); ok {
			t.Fatalf("download_token kept in %q", stored)
		}
		p1, _ := member(body, "payload")
		p2, _ := member(stored, "payload")
		if !bytes.Equal(p1, p2) {
			t.Fatalf("payload changed by the rewrite: %q -> %q", p1, p2)
		}
	})
}
