package recordings

import (
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// Both event families give the meeting's identity, host and time; only the
// files zoombridge keeps become artifacts.
func TestMeetingOfEvents(t *testing.T) {
	m, ok := meetingOf("recording.trashed", []byte(`{"uuid":"u/1==","id":81234567890,"host_id":"h1","topic":"Demo","start_time":"2026-11-02T09:00:00Z","duration":30,
		"recording_files":[{"id":"f1","file_type":"MP4"},{"id":"f2","file_type":"CHAT"},{"id":"f3","file_type":"TRANSCRIPT"},{"id":"f4","file_type":"SUMMARY"}]}`))
	if !ok || m.uuid != "u/1==" || m.number != "81234567890" || m.hostID != "h1" || !m.end.Equal(t0.Add(30*time.Minute)) || len(m.files) != 4 {
		t.Fatalf("recording event read as %+v", m)
	}
	var kept []string
	for _, f := range m.files {
		if a, ok := fileArtifact(rep{}, m, f); ok {
			kept = append(kept, a.Kind+":"+a.ZoomKey)
		}
	}
	if len(kept) != 2 || kept[0] != store.ArtifactRecording+":f1" || kept[1] != store.ArtifactTranscript+":f3" {
		t.Fatalf("kept %v, want the MP4 as a recording and the VTT as a transcript", kept)
	}
	s, ok := meetingOf("meeting.summary_deleted", []byte(`{"meeting_uuid":"u2","meeting_id":5,"meeting_host_id":"h2","meeting_start_time":"2026-11-02T09:00:00Z","meeting_end_time":"2026-11-02T09:45:00Z"}`))
	if !ok || s.uuid != "u2" || s.number != "5" || s.hostID != "h2" || !s.end.Equal(t0.Add(45*time.Minute)) {
		t.Fatalf("summary event read as %+v", s)
	}
	for _, bad := range []string{`{"id":1}`, `[]`, `{"uuid":5}`} {
		if _, ok := meetingOf("recording.completed", []byte(bad)); ok {
			t.Errorf("%s was read as a meeting", bad)
		}
	}
}

// Among activities registered with a meeting, the exact UUID wins, then the
// start nearest the meeting's (a recurring meeting shares its number).
func TestClosestActivity(t *testing.T) {
	m := meetingKey{uuid: "u-3", start: t0}
	near := store.CRMActivity{ID: 1, StartAt: t0.Add(10 * time.Minute)}
	far := store.CRMActivity{ID: 2, StartAt: t0.Add(-7 * 24 * time.Hour)}
	exact := store.CRMActivity{ID: 3, StartAt: t0.Add(48 * time.Hour), ZoomMeetingUUID: "u-3"}
	if got, _ := closest([]store.CRMActivity{far, near}, m); got.ID != near.ID {
		t.Fatalf("picked %d, want the nearest start", got.ID)
	}
	if got, _ := closest([]store.CRMActivity{near, exact, far}, m); got.ID != exact.ID {
		t.Fatalf("picked %d, want the exact UUID", got.ID)
	}
	if _, ok := closest(nil, m); ok {
		t.Fatal("picked an activity from none")
	}
}
