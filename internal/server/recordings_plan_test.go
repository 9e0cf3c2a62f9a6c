package server

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// passAll runs every person's pass (sweep or incremental) through the job
// queue, as the 15-minute tick and the Sync Recordings button do.
func (r *recRun) passAll(sweep bool) {
	r.t.Helper()
	for _, p := range r.people {
		must(r.t, r.srv.recordingsService().QueuePass(context.Background(), r.org.ID, p.ID, sweep))
	}
	r.settle()
}

func recordingCalls(r *recRun) int {
	return r.sim.APICalls("/recordings") + r.sim.APICalls("/meeting_summary")
}

// On a Basic plan the panel says "Pro+ required" and zoombridge makes not a
// single recording call, through the passes or the sweep.
func TestRecordingsOnBasicNeedProAndMakeNoRecordingCalls(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		r := startRecRun(t, d, recOptions{plan: "basic"})
		ctx := context.Background()
		rep := r.host(0, false)
		if m := r.record(rep, "Basic call", 10*time.Minute); !m.RecordingAt.IsZero() {
			t.Fatal("the emulator recorded a Basic user's meeting to the cloud")
		}
		r.sim.Advance(time.Hour)
		r.settle()
		r.passAll(false)
		r.passAll(true)
		r.sim.Advance(time.Hour)
		r.passAll(true) // a second sweep runs, not held back by the first one's job
		if n := recordingCalls(r); n != 0 {
			t.Fatalf("%d recording calls on a Basic plan, want 0", n)
		}
		panel, err := r.srv.recordingsService().PanelOf(ctx, r.org.ID, r.people[rep.ID].ID)
		must(t, err)
		if !panel.Connected || !panel.Basic || len(panel.Banners) != 1 || panel.Banners[0].Code != recordings.BannerPlanRequired ||
			panel.LastProblem != store.RecordingProblemBasic || !panel.LastSweep.Equal(r.sim.Now()) {
			t.Fatalf("panel %+v, want connected, Basic, one Pro+ required banner, the problem noted by the sweep", panel)
		}
		if n := len(r.artifacts()); n != 0 {
			t.Fatalf("%d artifacts on a Basic plan", n)
		}
	})
}

// Without the recording scopes the panel says Reconnect Zoom and names them;
// the pass makes no recording call.
func TestRecordingsMissingScopeAsksToReconnectNamingIt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		scopes := []string{"user:read:user:admin", "user:read:list_users:admin", "meeting:read:list_meetings:admin", "meeting:read:past_meeting:admin",
			"meeting:read:meeting:admin", "meeting:read:summary:admin", "report:read:user:admin", "webinar:read:list_webinars:admin"}
		r := startRecRun(t, d, recOptions{scopes: scopes})
		rep := r.host(0, true)
		r.passAll(false)
		if n := recordingCalls(r); n != 0 {
			t.Fatalf("%d recording calls without the recording scopes, want 0", n)
		}
		panel, err := r.srv.recordingsService().PanelOf(context.Background(), r.org.ID, r.people[rep.ID].ID)
		must(t, err)
		if len(panel.Banners) != 1 || panel.Banners[0].Code != recordings.BannerMissingScope ||
			!slices.Contains(panel.Banners[0].Scopes, "cloud_recording:read:list_user_recordings:admin") || panel.LastProblem != store.RecordingProblemMissingScope {
			t.Fatalf("panel %+v, want one Reconnect banner naming cloud_recording:read:list_user_recordings:admin", panel)
		}
	})
}

// Sync Recordings off: neither events nor passes bring that rep's recordings.
func TestRecordingsSyncOffKeepsNothingOfThatRep(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		r := startRecRun(t, d, recOptions{})
		ctx := context.Background()
		off, on := r.host(0, true), r.host(1, true)
		must(t, r.srv.Store.SetRecordingSync(ctx, r.org.ID, r.people[off.ID].ID, false, r.sim.Now()))
		mOff, mOn := r.record(off, "Off", 10*time.Minute), r.record(on, "On", 10*time.Minute)
		r.sim.Advance(time.Hour)
		r.settle()
		r.passAll(true)
		if n := len(r.ofMeeting(mOff.UUID)); n != 0 {
			t.Fatalf("%d artifacts of a rep with Sync Recordings off", n)
		}
		for _, a := range r.artifacts() {
			if a.PersonID == r.people[off.ID].ID {
				t.Fatalf("an artifact of the rep with Sync Recordings off: %+v", a)
			}
		}
		if n := len(r.ofMeeting(mOn.UUID)); n != 4 {
			t.Fatalf("%d artifacts of the other rep, want 4", n)
		}
	})
}

// With webhooks blocked, the 30-day sweep finds every recording, transcript
// and summary the emulator holds for the organization's reps.
func TestRecordingsSweepFindsEveryRecordingWithoutWebhooks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		r := startRecRun(t, d, recOptions{noHook: true})
		for i := range 3 {
			r.record(r.host(i%2, true), "Call", time.Duration(10+40*i)*time.Minute)
		}
		r.sim.Advance(4 * time.Hour)
		r.settle()
		if n := len(r.artifacts()); n != 0 {
			t.Fatalf("%d artifacts without webhooks or a pass", n)
		}
		r.passAll(true)
		have := map[string]bool{}
		for _, a := range r.artifacts() {
			have[a.MeetingUUID+" "+a.Kind] = true
		}
		want := 0
		truth := r.sim.Truth()
		for _, m := range truth.Meetings {
			if !m.HasRecording || m.Start.Before(truth.Now.Add(-recordings.SweepWindow)) {
				continue
			}
			for kind, has := range map[string]bool{store.ArtifactRecording: true, store.ArtifactTranscript: m.HasTranscript, store.ArtifactSummary: m.HasSummary} {
				if has {
					want++
					if !have[m.UUID+" "+kind] {
						t.Errorf("the sweep missed the %s of %s (%q)", kind, m.UUID, m.Topic)
					}
				}
			}
		}
		if want < 9 {
			t.Fatalf("the emulator holds only %d artifacts; the sweep was hardly tested", want)
		}
	})
}
