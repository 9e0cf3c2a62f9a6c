package zoomsim

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// A recorded meeting's files follow what people do in Zoom: trashed, they
// leave the listing for the trash and their URLs stop working; recovered,
// they come back; deleted, they are gone. Recording calls are counted.
func TestRecordedMeetingTrashRecoverDelete(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 4, Users: 5, Plan: "business", Days: 1})
	host := userWith(t, s, func(u User) bool { return u.Type == 2 && u.Status == "active" })
	m, err := s.RecordMeeting(NewRecordedMeeting{HostID: host.ID, Topic: "Pricing", Start: s.Now().Add(time.Minute), Minutes: 20, Transcript: true, Summary: true,
		UUID: "/xy//Zq=="})
	must(t, err)
	if len(m.FileIDs) != 3 || m.RecordingAt.IsZero() || m.TranscriptAt.IsZero() || m.SummaryAt.IsZero() {
		t.Fatalf("planned %+v, want MP4, M4A and VTT with a summary", m)
	}
	if err := s.ChangeRecording(m.UUID, ActionTrash); err != ErrNoRecording {
		t.Fatalf("trashing a recording not finished yet: %v", err)
	}
	s.Advance(time.Hour)
	tok := s2sToken(t, s)
	before := s.APICalls("/recordings")
	path := "/v2/meetings/" + url.PathEscape(url.PathEscape(m.UUID)) + "/recordings"
	var rec recordingMeeting
	get(t, s, tok, path+"?include_fields=download_access_token&ttl=60", &rec)
	if rec.UUID != m.UUID || len(rec.RecordingFiles) != 4 { // with the summary's file
		t.Fatalf("GET recordings of the double-encoded UUID: %+v", rec)
	}
	if n := s.APICalls("/recordings") - before; n != 1 {
		t.Fatalf("counted %d recording calls, want 1", n)
	}
	dl := rec.RecordingFiles[0].DownloadURL
	must(t, s.ChangeRecording(m.UUID, ActionTrash))
	status, _, b := call(t, s, tok, http.MethodGet, path, nil)
	wantZoomError(t, status, b, 404, 3301)
	var trash recordingListResponse
	get(t, s, tok, "/v2/users/"+host.ID+"/recordings?trash=true", &trash)
	if len(trash.Meetings) != 1 || trash.Meetings[0].UUID != m.UUID {
		t.Fatalf("the trash lists %+v", trash.Meetings)
	}
	if st, _, _ := call(t, s, tok, http.MethodGet, dl[len(s.URL()):], nil); st != 404 {
		t.Fatalf("a trashed file's download answered %d", st)
	}
	if err := s.ChangeRecording(m.UUID, ActionTrash); err == nil {
		t.Fatal("trashed twice")
	}
	must(t, s.ChangeRecording(m.UUID, ActionRecover))
	get(t, s, tok, path, nil)
	must(t, s.ChangeRecording(m.UUID, ActionDelete))
	status, _, b = call(t, s, tok, http.MethodGet, path, nil)
	wantZoomError(t, status, b, 404, 3301)
	if err := s.ChangeRecording(m.UUID, ActionRecover); err != ErrNoRecording {
		t.Fatalf("recovering a deleted recording: %v", err)
	}
	must(t, s.ChangeSummary(m.UUID, ActionTrash))
	status, _, b = call(t, s, tok, http.MethodGet, "/v2/meetings/"+url.PathEscape(url.PathEscape(m.UUID))+"/meeting_summary", nil)
	wantZoomError(t, status, b, 404, 3001)
}

// A Basic user's meeting is not recorded to the cloud.
func TestRecordedMeetingOfABasicUserHasNoRecording(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 4, Users: 5, Plan: "business", Days: 1})
	basic := userWith(t, s, func(u User) bool { return u.Type == 1 })
	m, err := s.RecordMeeting(NewRecordedMeeting{HostID: basic.ID, Topic: "Free", Start: s.Now(), Transcript: true, Summary: true})
	must(t, err)
	if !m.RecordingAt.IsZero() || len(m.FileIDs) != 0 {
		t.Fatalf("a Basic user's meeting got %+v", m)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
