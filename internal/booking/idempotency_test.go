package booking_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// TestMeetingCreationKeepsItsIdempotencyKey: POST .../meetings calls Zoom
// outside the database transaction, and still honours Idempotency-Key. A
// retry while the first request waits on Zoom gets 409
// idempotency_key_in_use with Retry-After; once answered, a retry gets the
// same meeting (Idempotent-Replayed) and Zoom holds one; the key with
// another body is a 422; a request Zoom refused releases its key, so its
// retry makes the meeting.
func TestMeetingCreationKeepsItsIdempotencyKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		w := bookingtest.NewWorld(t, d, nil)
		base := fmt.Sprintf("/api/v1/people/%d/meetings", w.Host.ID)
		meetingsPath := "/v2/users/" + w.ZoomID + "/meetings"
		ny, _ := time.LoadLocation("America/New_York")
		body := map[string]any{"topic": "Kept once", "start": time.Date(2026, 11, 5, 15, 0, 0, 0, ny).Format(time.RFC3339), "duration_minutes": 30}
		key := http.Header{"Idempotency-Key": {"create-1"}}
		type answer struct {
			status int
			header http.Header
			m      apiMeeting
		}
		call := func(h http.Header, b map[string]any) answer {
			var a answer
			a.status, a.header = w.CallWith("POST", base, h, b, &a.m)
			return a
		}

		_, err := w.Sim.AddFault(zoomsim.Fault{Kind: "slow", Path: meetingsPath, Count: 1, DelayMS: 3000})
		bookingtest.Must(t, err)
		first := make(chan answer)
		go func() { first <- call(key, body) }()
		waitClaim(t, w, "create-1")
		var busy struct {
			Error struct{ Code, Parameter string }
		}
		st, h := w.CallWith("POST", base, key, body, &busy)
		if st != http.StatusConflict || busy.Error.Code != "idempotency_key_in_use" || h.Get("Retry-After") == "" {
			t.Fatalf("retry while the first waits on Zoom: %d %+v Retry-After %q", st, busy, h.Get("Retry-After"))
		}
		a := <-first
		if a.status != http.StatusCreated || a.m.ID == "" {
			t.Fatalf("first request: %d %+v", a.status, a.m)
		}
		again := call(key, body)
		if again.status != http.StatusCreated || again.m.ID != a.m.ID || again.m.JoinURL != a.m.JoinURL || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry after the answer: %d %+v (replayed %q), want %+v replayed", again.status, again.m, again.header.Get("Idempotent-Replayed"), a.m)
		}
		var reused struct{ Error struct{ Code string } }
		if st, _ := w.CallWith("POST", base, key, map[string]any{"topic": "Another", "start": body["start"], "duration_minutes": 30}, &reused); st != http.StatusUnprocessableEntity || reused.Error.Code != "idempotency_key_reused" {
			t.Fatalf("the key with another body: %d %+v", st, reused)
		}

		_, err = w.Sim.AddFault(zoomsim.Fault{Kind: "5xx", Status: 503, Path: meetingsPath})
		bookingtest.Must(t, err)
		key2 := http.Header{"Idempotency-Key": {"create-2"}}
		if refused := call(key2, body); refused.status < 500 {
			t.Fatalf("Zoom answered 503, the API %d", refused.status)
		}
		w.Sim.ClearFaults()
		retried := call(key2, body)
		if retried.status != http.StatusCreated || retried.m.ID == a.m.ID || retried.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("retry after Zoom refused: %d %+v replayed %q, want a new meeting", retried.status, retried.m, retried.header.Get("Idempotent-Replayed"))
		}

		var list struct{ Data []apiMeeting }
		w.Call("GET", base, nil, &list)
		n := 0
		for _, m := range list.Data {
			if m.Topic == "Kept once" {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("Zoom holds %d meetings named Kept once, want 2 (one per key)", n)
		}
	})
}

// waitClaim waits until a request has claimed the Idempotency-Key.
func waitClaim(t *testing.T, w *bookingtest.World, key string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		err := w.Srv.Store.DB().QueryRow("SELECT COUNT(*) FROM api_idempotency WHERE idem_key = '" + key + "' AND status = 0").Scan(&n)
		bookingtest.Must(t, err)
		if n == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no request claimed %s", key)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
