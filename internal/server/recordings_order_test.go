package server

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// The same emulated hour twice: once with Zoom's events delivered as they
// happen, once with every event delivered twice and reordered (the summary
// first, the transcript before its recording, a recovery before the trashing
// it undoes). Both end in the same artifacts, which match the emulator.
func TestRecordingEventsDuplicatedReorderedAndRecoveredEndTheSame(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		inOrder := startRecRun(t, d, recOptions{})
		faulty := startRecRun(t, d, recOptions{})
		hold := faulty.captureHooks()
		deliver := func(r *recRun, reorder bool) {
			if !reorder {
				return
			}
			held := hold.take()
			var kept []heldDelivery
			for _, h := range held {
				if strings.HasPrefix(h.event, "recording.") || strings.HasPrefix(h.event, "meeting.summary") {
					kept = append(kept, h, h) // every event twice
				}
			}
			sort.SliceStable(kept, func(i, j int) bool { return orderRank(kept[i].event) < orderRank(kept[j].event) })
			reverseTail(kept)
			hold.deliver(t, kept)
		}
		var meetings [][]zoomsim.RecordedMeeting
		for _, r := range []*recRun{inOrder, faulty} {
			ctx := context.Background()
			must(t, r.srv.Store.SetKeepSummaryText(ctx, r.org.ID, true, r.sim.Now()))
			rep := r.host(0, true)
			deal, err := r.srv.Store.UpsertDeal(ctx, store.Deal{OrgID: r.org.ID, ExternalID: "D-1", Name: "Acme"}, r.sim.Now())
			must(t, err)
			m1 := r.record(rep, "Demo", 10*time.Minute)
			m2 := r.record(rep, "Pricing", 10*time.Minute, func(nm *zoomsim.NewRecordedMeeting) { nm.HostID = r.host(1, true).ID })
			_, err = r.srv.Store.UpsertCRMActivity(ctx, store.CRMActivity{OrgID: r.org.ID, ExternalID: "A-1", DealID: deal.ID,
				StartAt: recStart.Add(10 * time.Minute), EndAt: recStart.Add(40 * time.Minute), ZoomMeetingID: strconv.FormatInt(m1.ID, 10)}, r.sim.Now())
			must(t, err)
			meetings = append(meetings, []zoomsim.RecordedMeeting{m1, m2})
			for range 12 { // 48 minutes in steps a delivery's replay window allows
				r.sim.Advance(4 * time.Minute)
				deliver(r, r == faulty)
			}
			// People change things in Zoom: trash then recover, rename, edit a summary, delete for good.
			must(t, r.sim.ChangeRecording(m1.UUID, zoomsim.ActionTrash))
			must(t, r.sim.ChangeSummary(m1.UUID, zoomsim.ActionTrash))
			r.sim.Advance(time.Minute)
			must(t, r.sim.ChangeRecording(m1.UUID, zoomsim.ActionRecover))
			must(t, r.sim.ChangeSummary(m1.UUID, zoomsim.ActionRecover))
			r.sim.Advance(time.Minute)
			must(t, r.sim.RenameRecording(m1.UUID, "Demo (renamed)"))
			must(t, r.sim.UpdateSummary(m2.UUID, "Edited overview"))
			r.sim.Advance(time.Minute)
			must(t, r.sim.ChangeRecording(m2.UUID, zoomsim.ActionTrash))
			r.sim.Advance(time.Minute)
			must(t, r.sim.ChangeRecording(m2.UUID, zoomsim.ActionDelete))
			deliver(r, r == faulty)
			r.settle()
		}
		if meetings[0][0].UUID != meetings[1][0].UUID {
			t.Fatal("the two emulators planned different meetings; the comparison would mean nothing")
		}
		want, got := inOrder.state(), faulty.state()
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Fatalf("artifacts differ\n%s", diffLines(want, got))
		}
		m1, m2 := inOrder.ofMeeting(meetings[0][0].UUID), inOrder.ofMeeting(meetings[0][1].UUID)
		if len(m1) != 4 || len(m2) != 4 {
			t.Fatalf("m1 has %d artifacts, m2 %d; want 4 each", len(m1), len(m2))
		}
		for k, a := range m1 {
			if a.ZoomState != store.ZoomPresent || (k != "zoom_summary/SUMMARY" && a.Topic != "Demo (renamed)") || a.Rule != store.LinkMeeting {
				t.Errorf("m1 %s: state %s, topic %q, rule %q; want present, renamed, linked", k, a.ZoomState, a.Topic, a.Rule)
			}
		}
		for k, a := range m2 {
			want := store.ZoomDeleted
			if k == "zoom_summary/SUMMARY" {
				want = store.ZoomPresent
				if a.SummaryOverview != "Edited overview" {
					t.Errorf("m2's summary overview %q, want the edit", a.SummaryOverview)
				}
			}
			if a.ZoomState != want {
				t.Errorf("m2 %s: state %s, want %s", k, a.ZoomState, want)
			}
		}
	})
}

// orderRank puts AI summaries first and transcripts before their recordings.
func orderRank(event string) int {
	switch event {
	case "meeting.summary_completed":
		return 0
	case "recording.transcript_completed":
		return 1
	case "recording.completed":
		return 2
	}
	return 9
}

// reverseTail reverses the changes after the completions, so a recovery
// arrives before the trashing it undoes.
func reverseTail(hs []heldDelivery) {
	i := 0
	for i < len(hs) && orderRank(hs[i].event) < 9 {
		i++
	}
	for a, b := i, len(hs)-1; a < b; a, b = a+1, b-1 {
		hs[a], hs[b] = hs[b], hs[a]
	}
}
