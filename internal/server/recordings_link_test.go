package server

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// Each linking rule, in order, end to end: the emulator's meetings end, Zoom's
// events reach zoombridge, the fast path fetches the files through the
// rate-limited client, and the rules pick the CRM activity. A meeting with no
// match stays unlinked with its reason until a late registration is picked
// up by the re-match.
func TestRecordingsLinkByRulesInOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		r := startRecRun(t, d, recOptions{})
		ctx, st := context.Background(), r.srv.Store
		rep, other := r.host(0, true), r.host(1, true)
		repP, otherP := r.people[rep.ID], r.people[other.ID]
		deal := func(ext string) store.Deal {
			dl, err := st.UpsertDeal(ctx, store.Deal{OrgID: r.org.ID, ExternalID: ext, Name: "Deal " + ext, OwnerPersonID: repP.ID}, r.sim.Now())
			must(t, err)
			return dl
		}
		act := func(a store.CRMActivity) store.CRMActivity {
			a.OrgID = r.org.ID
			if a.EndAt.IsZero() {
				a.EndAt = a.StartAt.Add(30 * time.Minute)
			}
			got, err := st.UpsertCRMActivity(ctx, a, r.sim.Now())
			must(t, err)
			return got
		}
		dBook, dMeet, dOver, dLate, dDecoy := deal("D-BOOK"), deal("D-MEET"), deal("D-OVER"), deal("D-LATE"), deal("D-DECOY")

		// Rule 1 beats rule 2: a booking's activity and an API one share the meeting number.
		m1 := r.record(rep, "Booked demo", time.Hour)
		act(store.CRMActivity{ExternalID: "A-api-m1", DealID: dDecoy.ID, RepPersonID: repP.ID, StartAt: r.sim.Now().Add(time.Hour), ZoomMeetingID: strconv.FormatInt(m1.ID, 10)})
		book := act(store.CRMActivity{ExternalID: "A-book", DealID: dBook.ID, RepPersonID: repP.ID, StartAt: r.sim.Now().Add(time.Hour),
			ZoomMeetingID: strconv.FormatInt(m1.ID, 10), Source: store.CRMSourceBooking})
		// Rule 2 beats rule 3, by UUID; the UUID needs Zoom's double encoding.
		m2 := r.record(rep, "Pricing call", 3*time.Hour, func(nm *zoomsim.NewRecordedMeeting) { nm.UUID = "/aB3//xYz9+QwErTy12==" })
		byUUID := act(store.CRMActivity{ExternalID: "A-uuid", DealID: dMeet.ID, RepPersonID: repP.ID, StartAt: r.sim.Now().Add(2 * time.Hour), ZoomMeetingUUID: m2.UUID})
		act(store.CRMActivity{ExternalID: "A-decoy-m2", DealID: dDecoy.ID, RepPersonID: repP.ID, StartAt: r.sim.Now().Add(3 * time.Hour)})
		// Rule 3: the rep's activity starts 35 minutes in, after the 30-minute
		// call ended, but within the 15-minute tolerance.
		m3 := r.record(rep, "Discovery", 5*time.Hour)
		over := act(store.CRMActivity{ExternalID: "A-over", DealID: dOver.ID, RepPersonID: repP.ID, StartAt: r.sim.Now().Add(5*time.Hour + 35*time.Minute)})
		// No match: another rep's activity at the same time does not count.
		m4 := r.record(rep, "Unplanned call", 7*time.Hour)
		act(store.CRMActivity{ExternalID: "A-other-rep", DealID: dDecoy.ID, RepPersonID: otherP.ID, StartAt: r.sim.Now().Add(7 * time.Hour)})
		// Registered late.
		m5 := r.record(rep, "Follow-up", 9*time.Hour)

		r.sim.Advance(11 * time.Hour)
		r.settle()

		for _, c := range []struct {
			name string
			uuid string
			deal int64
			act  int64
			rule string
		}{
			{"booking", m1.UUID, dBook.ID, book.ID, store.LinkBooking},
			{"meeting UUID", m2.UUID, dMeet.ID, byUUID.ID, store.LinkMeeting},
			{"overlap", m3.UUID, dOver.ID, over.ID, store.LinkOverlap},
		} {
			arts := r.ofMeeting(c.uuid)
			if len(arts) != 4 { // MP4, M4A, transcript, summary
				t.Fatalf("%s: %d artifacts, want 4: %+v", c.name, len(arts), arts)
			}
			for k, a := range arts {
				if a.DealID != c.deal || a.CRMActivityID != c.act || a.Rule != c.rule || a.UnlinkedReason != "" {
					t.Errorf("%s: %s linked to deal %d activity %d by %q (%q), want deal %d activity %d by %q", c.name, k, a.DealID, a.CRMActivityID, a.Rule, a.UnlinkedReason, c.deal, c.act, c.rule)
				}
			}
		}
		for _, uuid := range []string{m4.UUID, m5.UUID} {
			for k, a := range r.ofMeeting(uuid) {
				res, err := recordings.ResourceOf(ctx, st, a)
				must(t, err)
				if res.Deal != nil || res.LinkRule != "" || res.UnlinkedReason != store.UnlinkedNoActivity {
					t.Fatalf("unmatched %s shown as %+v, want unlinked because no_activity", k, res)
				}
			}
		}

		// The late registration: the daily re-match links m5 and leaves m4 alone.
		late := act(store.CRMActivity{ExternalID: "A-late", DealID: dLate.ID, RepPersonID: otherP.ID, StartAt: r.sim.Now(),
			ZoomMeetingID: strconv.FormatInt(m5.ID, 10)})
		r.sim.Advance(20 * time.Hour)
		if _, err := r.srv.recordingsService().Rematch(ctx, r.org.ID); err != nil {
			t.Fatal(err)
		}
		for k, a := range r.ofMeeting(m5.UUID) {
			if a.DealID != dLate.ID || a.CRMActivityID != late.ID || a.Rule != store.LinkMeeting {
				t.Fatalf("after the re-match m5's %s is on deal %d by %q, want %d by meeting", k, a.DealID, a.Rule, dLate.ID)
			}
		}
		for k, a := range r.ofMeeting(m4.UUID) {
			if a.Linked() || a.UnlinkedReason != store.UnlinkedNoActivity {
				t.Fatalf("m4's %s changed in the re-match: %+v", k, a.Link)
			}
		}

		// Every link change went out as an event, with the deal the API shows.
		evs, err := st.OutboundEvents(ctx, r.org.ID, 0, 10000)
		must(t, err)
		linked := map[string]string{}
		for _, e := range evs {
			contracttest.Event(t, []byte(e.Payload))
			if e.Type != recordings.EventLinked {
				continue
			}
			var body struct {
				Data recordings.Resource `json:"data"`
			}
			must(t, json.Unmarshal([]byte(e.Payload), &body))
			linked[body.Data.MeetingUUID+"/"+body.Data.FileType] = body.Data.Deal.ExternalID
		}
		for uuid, ext := range map[string]string{m1.UUID: "D-BOOK", m2.UUID: "D-MEET", m3.UUID: "D-OVER", m5.UUID: "D-LATE"} {
			for _, ft := range []string{"MP4", "M4A", "TRANSCRIPT", "SUMMARY"} {
				if linked[uuid+"/"+ft] != ext {
					t.Errorf("no artifact.linked event for %s %s to %s (got %q)", uuid, ft, ext, linked[uuid+"/"+ft])
				}
			}
		}
	})
}
