package webhook_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// zoomSign is Zoom's documented algorithm written out independently of the
// package: "v0=" + hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)).
func zoomSign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":" + string(body)))
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

func TestUnverifiedDeliveriesAre401AndStoreNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite)
	body := example(t, "meeting.started")
	now := h.clock().Unix()
	ts := func(d time.Duration) string { return strconv.FormatInt(now+int64(d/time.Second), 10) }
	flipped := append([]byte(nil), body...)
	flipped[len(flipped)/2] ^= 0x01
	cases := []struct {
		name, ts, sig, reason string
		body                  []byte
	}{
		{"bad signature", ts(0), zoomSign("another-secret", ts(0), body), "bad_signature", body},
		{"body changed after signing", ts(0), zoomSign(secret, ts(0), body), "bad_signature", flipped},
		{"signature for another timestamp", ts(0), zoomSign(secret, ts(-time.Second), body), "bad_signature", body},
		{"signature without v0=", ts(0), strings.TrimPrefix(zoomSign(secret, ts(0), body), "v0="), "bad_signature", body},
		{"stale timestamp", ts(-301 * time.Second), zoomSign(secret, ts(-301*time.Second), body), "stale_timestamp", body},
		{"future timestamp", ts(301 * time.Second), zoomSign(secret, ts(301*time.Second), body), "stale_timestamp", body},
		{"timestamp in milliseconds", ts(0) + "000", zoomSign(secret, ts(0)+"000", body), "stale_timestamp", body},
		{"timestamp not a number", "yesterday", zoomSign(secret, "yesterday", body), "stale_timestamp", body},
		{"no timestamp", "", zoomSign(secret, ts(0), body), "missing_headers", body},
		{"no signature", ts(0), "", "missing_headers", body},
	}
	for _, c := range cases {
		before := h.rejected(c.reason)
		code, _ := h.post("/webhooks/zoom", c.body, c.ts, c.sig)
		if code != http.StatusUnauthorized {
			t.Errorf("%s: got %d, want 401", c.name, code)
		}
		if h.rejected(c.reason) != before+1 {
			t.Errorf("%s: rejected{reason=%q} not counted", c.name, c.reason)
		}
	}
	if n := len(h.inbox()); n != 0 {
		t.Fatalf("%d events stored from unverified deliveries", n)
	}
	// The window's edges are inside it.
	for _, d := range []time.Duration{-299 * time.Second, 299 * time.Second} {
		if code, _ := h.post("/webhooks/zoom", body, ts(d), zoomSign(secret, ts(d), body)); code != http.StatusOK {
			t.Fatalf("timestamp %v from now: got %d, want 200", d, code)
		}
	}
}

func TestBodyOverCapIs413(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite)
	ts := strconv.FormatInt(h.clock().Unix(), 10)
	big := append([]byte(`{"event":"meeting.started","payload":{"x":"`), bytes.Repeat([]byte("a"), webhook.MaxBody)...)
	big = append(big, `"}}`...)
	sig := zoomSign(secret, ts, big)
	if code, _ := h.post("/webhooks/zoom", big, ts, sig); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared length over the cap: got %d, want 413", code)
	}
	// Without a declared length (chunked), the read stops at the cap.
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/webhooks/zoom", struct{ *bytes.Reader }{bytes.NewReader(big)})
	req.Header.Set(webhook.HeaderTimestamp, ts)
	req.Header.Set(webhook.HeaderSignature, sig)
	if code, _ := do(t, req); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked body over the cap: got %d, want 413", code)
	}
	if n := len(h.inbox()); n != 0 {
		t.Fatalf("%d events stored", n)
	}
}

func TestInvalidJSONWithValidSignatureIs400(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite)
	for _, body := range []string{`{"event":"meeting.started",`, `not json`, `[]`, `{"payload":{}}`, `{"event":""}`, ``} {
		if code := h.deliver([]byte(body)); code != http.StatusBadRequest {
			t.Errorf("%q: got %d, want 400", body, code)
		}
	}
	if n := len(h.inbox()); n != 0 {
		t.Fatalf("%d events stored", n)
	}
}

func TestURLValidationAnswersZoomsHandshake(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite)
	code, got := h.postSigned(example(t, "endpoint.url_validation"))
	if code != http.StatusOK {
		t.Fatalf("got %d", code)
	}
	var ans struct{ PlainToken, EncryptedToken string }
	must(t, json.Unmarshal(got, &ans))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("qgg8vlvZRS6UYooatFL8Aw"))
	if ans.PlainToken != "qgg8vlvZRS6UYooatFL8Aw" || ans.EncryptedToken != hex.EncodeToString(m.Sum(nil)) {
		t.Fatalf("answer %s", got)
	}
	if n := len(h.inbox()); n != 0 {
		t.Fatalf("the handshake was stored as an event")
	}
	// Unsigned, it is refused like any delivery.
	if code, _ := h.post("/webhooks/zoom", example(t, "endpoint.url_validation"), "", ""); code != http.StatusUnauthorized {
		t.Fatalf("unsigned handshake: got %d", code)
	}
}

func TestNoSecretFailsClosed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite)
	mux := http.NewServeMux()
	mux.Handle("POST /none", h.svc.Receiver.Handler(webhook.DeploymentApp("")))
	srv := newServer(t, mux)
	body := example(t, "meeting.started")
	ts := strconv.FormatInt(h.clock().Unix(), 10)
	for _, sig := range []string{webhook.Sign(nil, ts, body), webhook.Sign([]byte(""), ts, body), "v0="} {
		req, _ := http.NewRequest(http.MethodPost, srv+"/none", bytes.NewReader(body))
		req.Header.Set(webhook.HeaderTimestamp, ts)
		req.Header.Set(webhook.HeaderSignature, sig)
		if code, _ := do(t, req); code != http.StatusServiceUnavailable {
			t.Fatalf("no secret configured: got %d, want 503", code)
		}
	}
	if n := len(h.inbox()); n != 0 {
		t.Fatalf("%d events stored without a secret", n)
	}
}

// A retry (same event, new timestamp) and a duplicate delivery are stored
// once, with one processing job, and both acknowledged.
func TestDuplicatesAreAcknowledgedAndStoredOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d)
		body := example(t, "meeting.ended")
		for i := 0; i < 3; i++ {
			if code := h.deliver(body); code != http.StatusOK {
				t.Fatalf("delivery %d: %d", i, code)
			}
			h.now.Add(int64(time.Minute / time.Millisecond))
		}
		evs := h.inbox()
		if len(evs) != 1 || evs[0].Duplicates != 2 || h.jobsQueued() != 1 {
			t.Fatalf("stored %d events (duplicates %v), %d jobs; want 1 event, 2 duplicates, 1 job", len(evs), evs, h.jobsQueued())
		}
		// A different event at the same instant is not a duplicate.
		if code := h.deliver(example(t, "webinar.ended")); code != http.StatusOK || len(h.inbox()) != 2 {
			t.Fatalf("second event: %d, %d stored", code, len(h.inbox()))
		}
	})
}

// The download_token of recording events is a bearer credential: it is not
// kept at rest.
func TestDownloadTokenIsNotStored(t *testing.T) {
	t.Parallel()
	h := newHarness(t, store.SQLite)
	body := example(t, "recording.completed")
	if code := h.deliver(body); code != http.StatusOK {
		t.Fatal(code)
	}
	ev := h.inbox()[0]
	if bytes.Contains(ev.Body, []byte("abJhbGciOiJIUzUxMiJ9")) || !json.Valid(ev.Body) || !bytes.Contains(ev.Body, []byte("recording_files")) {
		t.Fatalf("stored body: %s", ev.Body)
	}
}

func (h *harness) postSigned(body []byte) (int, []byte) {
	ts := strconv.FormatInt(h.clock().Unix(), 10)
	return h.post("/webhooks/zoom", body, ts, zoomSign(secret, ts, body))
}
