package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RunCRM runs the behaviours of the CRM records artifacts link to (deals and
// CRM activities upserted by the host product's external ids) and of the artifacts.
func RunCRM(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"DealsUpsertByExternalIDPerOrg", dealUpsert},
		{"CRMActivitiesUpsertAndListPerDeal", crmActivityUpsert},
		{"CRMActivitiesFoundByMeetingBookingsFirst", crmActivitiesByMeeting},
		{"CRMActivitiesOverlapOnlyTheRepsTime", crmActivitiesOverlap},
		{"CRMRecordsRefuseAnotherOrgsPeopleAndDeals", crmCrossOrg},
		{"ArtifactStateAndNameFollowZoomsLatestTime", artifactOrderIndependent},
		{"DetachedArtifactSurvivesItsConnection", artifactDetachedSurvivesPurge},
		{"SummaryTextOnlyWhileOptedIn", summaryTextOptIn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

func dealUpsert(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "crm-deals")
	other := newFixture(t, st, "crm-deals-other")
	d, err := st.UpsertDeal(f.ctx, store.Deal{OrgID: f.org.ID, ExternalID: "D-1", Name: "Acme renewal", Stage: "proposal", OwnerPersonID: f.alice.ID}, t0)
	must(t, err)
	again, err := st.UpsertDeal(f.ctx, store.Deal{OrgID: f.org.ID, ExternalID: "D-1", Name: "Acme renewal 2027", Stage: "won"}, t0.Add(time.Hour))
	must(t, err)
	if again.ID != d.ID || again.Name != "Acme renewal 2027" || again.Stage != "won" || again.OwnerPersonID != 0 ||
		!again.CreatedAt.Equal(t0) || !again.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("second upsert gave %+v, want the same deal (id %d) updated", again, d.ID)
	}
	o, err := st.UpsertDeal(f.ctx, store.Deal{OrgID: other.org.ID, ExternalID: "D-1", Name: "Other org"}, t0)
	must(t, err)
	if o.ID == d.ID {
		t.Fatal("the same external id in another organization must be another deal")
	}
	got, err := st.DealByExternalID(f.ctx, f.org.ID, "D-1")
	must(t, err)
	if got.ID != d.ID {
		t.Fatalf("by external id: %+v", got)
	}
	if _, err := st.DealByID(f.ctx, other.org.ID, d.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deal read through another org: %v", err)
	}
	_, err = st.UpsertDeal(f.ctx, store.Deal{OrgID: f.org.ID, ExternalID: "D-2", Name: "Globex 100%_seats"}, t0)
	must(t, err)
	found, err := st.Deals(f.ctx, f.org.ID, "100%_", 10)
	must(t, err)
	if len(found) != 1 || found[0].ExternalID != "D-2" {
		t.Fatalf("search for a literal %%_ found %+v", found)
	}
	all, err := st.Deals(f.ctx, f.org.ID, "", 10)
	must(t, err)
	if len(all) != 2 || all[0].Name != "Acme renewal 2027" {
		t.Fatalf("all deals by name: %+v", all)
	}
	if _, err := st.UpsertDeal(f.ctx, store.Deal{OrgID: f.org.ID, ExternalID: " ", Name: "x"}, t0); err == nil {
		t.Fatal("a deal without an external id was accepted")
	}
}

func (f *fixture) deal(ext string) store.Deal {
	f.t.Helper()
	d, err := f.st.UpsertDeal(f.ctx, store.Deal{OrgID: f.org.ID, ExternalID: ext, Name: "Deal " + ext}, t0)
	must(f.t, err)
	return d
}

func (f *fixture) crmActivity(a store.CRMActivity) store.CRMActivity {
	f.t.Helper()
	a.OrgID = f.org.ID
	if a.EndAt.IsZero() {
		a.EndAt = a.StartAt.Add(30 * time.Minute)
	}
	got, err := f.st.UpsertCRMActivity(f.ctx, a, t0)
	must(f.t, err)
	return got
}

func crmActivityUpsert(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "crm-acts")
	d := f.deal("D-1")
	a := f.crmActivity(store.CRMActivity{ExternalID: "A-2", DealID: d.ID, RepPersonID: f.alice.ID, Title: "Demo", StartAt: t0.Add(2 * time.Hour)})
	b := f.crmActivity(store.CRMActivity{ExternalID: "A-1", DealID: d.ID, RepPersonID: f.alice.ID, Title: "Discovery", StartAt: t0, ZoomMeetingID: " 8123 "})
	if a.Source != store.CRMSourceAPI || b.ZoomMeetingID != "8123" {
		t.Fatalf("defaults: source %q, meeting id %q", a.Source, b.ZoomMeetingID)
	}
	moved := f.crmActivity(store.CRMActivity{ExternalID: "A-2", DealID: d.ID, RepPersonID: f.bob.ID, Title: "Demo (moved)",
		StartAt: t0.Add(3 * time.Hour), ZoomMeetingUUID: "uuid/1=="})
	if moved.ID != a.ID || moved.RepPersonID != f.bob.ID || moved.ZoomMeetingUUID != "uuid/1==" || !moved.StartAt.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("upsert by external id gave %+v", moved)
	}
	list, err := st.CRMActivitiesForDeal(f.ctx, f.org.ID, d.ID)
	must(t, err)
	if len(list) != 2 || list[0].ExternalID != "A-1" || list[1].ExternalID != "A-2" {
		t.Fatalf("deal's activities by start: %+v", list)
	}
	got, err := st.CRMActivityByExternalID(f.ctx, f.org.ID, "A-1")
	must(t, err)
	if got.ID != b.ID || got.Title != "Discovery" || !got.EndAt.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("by external id: %+v", got)
	}
	for _, bad := range []store.CRMActivity{
		{ExternalID: "", StartAt: t0, EndAt: t0},
		{ExternalID: "A-9", StartAt: t0, EndAt: t0.Add(-time.Minute)},
		{ExternalID: "A-9"},
		{ExternalID: "A-9", StartAt: t0, EndAt: t0, Source: "import"},
	} {
		bad.OrgID = f.org.ID
		if _, err := st.UpsertCRMActivity(f.ctx, bad, t0); err == nil {
			t.Fatalf("invalid activity %+v accepted", bad)
		}
	}
	must(t, st.DeleteDeal(f.ctx, f.org.ID, d.ID))
	kept, err := st.CRMActivityByID(f.ctx, f.org.ID, a.ID)
	must(t, err)
	if kept.DealID != 0 {
		t.Fatalf("activity of a deleted deal still points at it: %+v", kept)
	}
}

func crmActivitiesByMeeting(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "crm-meeting")
	other := newFixture(t, st, "crm-meeting-other")
	api := f.crmActivity(store.CRMActivity{ExternalID: "A-api", StartAt: t0, ZoomMeetingID: "8123"})
	booked := f.crmActivity(store.CRMActivity{ExternalID: "A-booked", StartAt: t0.Add(time.Hour), ZoomMeetingID: "8123", Source: store.CRMSourceBooking})
	byUUID := f.crmActivity(store.CRMActivity{ExternalID: "A-uuid", StartAt: t0, ZoomMeetingUUID: "abc/=="})
	f.crmActivity(store.CRMActivity{ExternalID: "A-none", StartAt: t0})
	other.crmActivity(store.CRMActivity{ExternalID: "A-api", StartAt: t0, ZoomMeetingID: "8123"})

	got, err := st.CRMActivitiesForMeeting(f.ctx, f.org.ID, "8123", "")
	must(t, err)
	if len(got) != 2 || got[0].ID != booked.ID || got[1].ID != api.ID {
		t.Fatalf("by meeting number: %+v, want the booking's first then the API's", got)
	}
	got, err = st.CRMActivitiesForMeeting(f.ctx, f.org.ID, "999", "abc/==")
	must(t, err)
	if len(got) != 1 || got[0].ID != byUUID.ID {
		t.Fatalf("by UUID: %+v", got)
	}
	got, err = st.CRMActivitiesForMeeting(f.ctx, f.org.ID, "", "")
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("empty id and UUID matched %+v (activities without a meeting must not match)", got)
	}
}

func crmActivitiesOverlap(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "crm-overlap")
	in := f.crmActivity(store.CRMActivity{ExternalID: "A-in", RepPersonID: f.alice.ID, StartAt: t0})
	f.crmActivity(store.CRMActivity{ExternalID: "A-bob", RepPersonID: f.bob.ID, StartAt: t0})
	f.crmActivity(store.CRMActivity{ExternalID: "A-before", RepPersonID: f.alice.ID, StartAt: t0.Add(-time.Hour)}) // ends at t0-30m
	f.crmActivity(store.CRMActivity{ExternalID: "A-after", RepPersonID: f.alice.ID, StartAt: t0.Add(45 * time.Minute)})
	got, err := st.CRMActivitiesOverlapping(f.ctx, f.org.ID, f.alice.ID, t0.Add(-30*time.Minute), t0.Add(45*time.Minute))
	must(t, err)
	if len(got) != 1 || got[0].ID != in.ID {
		t.Fatalf("overlapping [t0-30m, t0+45m): %+v, want only A-in (touching ends do not overlap)", got)
	}
}

func crmCrossOrg(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "crm-iso")
	other := newFixture(t, st, "crm-iso-other")
	od := other.deal("D-x")
	if _, err := st.UpsertDeal(f.ctx, store.Deal{OrgID: f.org.ID, ExternalID: "D-1", Name: "x", OwnerPersonID: other.alice.ID}, t0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deal owned by another org's person: %v", err)
	}
	for _, a := range []store.CRMActivity{
		{ExternalID: "A-1", StartAt: t0, EndAt: t0, DealID: od.ID},
		{ExternalID: "A-1", StartAt: t0, EndAt: t0, RepPersonID: other.bob.ID},
	} {
		a.OrgID = f.org.ID
		if _, err := st.UpsertCRMActivity(f.ctx, a, t0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("activity pointing into another org (%+v): %v", a, err)
		}
	}
	if _, err := st.CRMActivityByExternalID(f.ctx, f.org.ID, "A-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused activity was stored: %v", err)
	}
}
