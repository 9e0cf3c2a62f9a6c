package booking_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking/bookingtest"
	"github.com/zoombridge/zoombridge/internal/store"
)

type apiMeeting struct {
	ID       string    `json:"zoom_meeting_id"`
	Topic    string    `json:"topic"`
	Start    time.Time `json:"start"`
	JoinURL  string    `json:"join_url"`
	StartURL string    `json:"start_url"`
}

// S2 through the API: schedule a meeting and start an instant one on the
// person's own Zoom account; the upcoming list has the scheduled one beside
// those made elsewhere in Zoom, each with its join link.
func TestMeetingsFromTheAppThroughTheAPI(t *testing.T) {
	w := bookingtest.NewWorld(t, store.SQLite, nil)
	ny, _ := time.LoadLocation("America/New_York")
	at := time.Date(2026, 11, 4, 14, 0, 0, 0, ny)
	base := fmt.Sprintf("/api/v1/people/%d/meetings", w.Host.ID)
	var sched, instant apiMeeting
	if st := w.Call("POST", base, map[string]any{"topic": "Planning", "start": at.Format(time.RFC3339), "duration_minutes": 50}, &sched); st != http.StatusCreated {
		t.Fatalf("schedule: %d", st)
	}
	if st := w.Call("POST", base, map[string]any{"topic": "Quick sync"}, &instant); st != http.StatusCreated || instant.JoinURL == "" || instant.StartURL == "" || !instant.Start.IsZero() {
		t.Fatalf("instant: %d %+v", st, instant)
	}
	for _, m := range []apiMeeting{sched, instant} {
		if info, ok := w.Sim.Meeting(m.ID); !ok || info.HostID != w.ZoomID || info.JoinURL != m.JoinURL {
			t.Fatalf("emulator has %+v for %+v", info, m)
		}
	}
	if info, _ := w.Sim.Meeting(sched.ID); !info.Start.Equal(at) || info.Duration != 50 {
		t.Fatalf("scheduled meeting in the emulator: %+v, want %v for 50 minutes", info, at)
	}
	elsewhere := w.MeetingElsewhere("Made in Zoom", at.Add(24*time.Hour), 30)
	var list struct {
		Data  []apiMeeting `json:"data"`
		Stale bool         `json:"stale"`
	}
	w.Call("GET", base, nil, &list)
	found := map[string]apiMeeting{}
	for _, m := range list.Data {
		found[m.ID] = m
	}
	if list.Stale || found[sched.ID].JoinURL != sched.JoinURL || !found[sched.ID].Start.Equal(at) || found[elsewhere.Number()].JoinURL != elsewhere.JoinURL {
		t.Fatalf("upcoming %+v (stale %v); want %s and %s", list.Data, list.Stale, sched.ID, elsewhere.Number())
	}
	var other struct {
		Error struct{ Code, Parameter string }
	}
	if st := w.Call("GET", "/api/v1/people/999999/meetings", nil, &other); st != http.StatusNotFound {
		t.Fatalf("someone not in the organization: %d %+v", st, other)
	}
	// A refusal names the field as the client sent it; the person may be named by email.
	if st := w.Call("POST", "/api/v1/people/"+w.Host.Email+"/meetings", map[string]any{"topic": "Long", "duration_minutes": 2000}, &other); st != http.StatusBadRequest || other.Error.Parameter != "duration_minutes" {
		t.Fatalf("a 2000-minute meeting: %d %+v, want 400 naming duration_minutes", st, other)
	}
}
