package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

func (f *fixture) artifact(key string, state string, stateAt, topicAt time.Time, topic string) (store.Artifact, store.Artifact) {
	f.t.Helper()
	saved, before, err := f.st.UpsertArtifact(f.ctx, store.Artifact{OrgID: f.org.ID, ConnectionID: f.conn.ID, PersonID: f.alice.ID, ZoomUserID: "zu-alice",
		Kind: store.ArtifactRecording, ZoomKey: key, MeetingID: "8123", MeetingUUID: "m-1", Topic: topic, FileType: "MP4", SizeBytes: 100,
		MeetingStart: t0, ZoomState: state, StateAt: stateAt, DescribedAt: topicAt, TopicAt: topicAt}, t0)
	must(f.t, err)
	return saved, before
}

// Zoom's state and name of an artifact are kept as of Zoom's latest time,
// whatever order the changes are applied in.
func artifactOrderIndependent(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "art-order")
	t1, t2, t3 := t0.Add(time.Minute), t0.Add(2*time.Minute), t0.Add(3*time.Minute)
	a, before := f.artifact("f-1", store.ZoomPresent, t3, t3, "Renamed")
	if before.ID != 0 {
		t.Fatal("a new artifact reported a previous row")
	}
	b, before := f.artifact("f-1", store.ZoomTrashed, t2, t1, "Old name")
	if before.ID != a.ID || b.ZoomState != store.ZoomPresent || b.Topic != "Renamed" || !b.StateAt.Equal(t3) {
		t.Fatalf("an older trash and name overrode newer ones: %+v", b)
	}
	// A rename is newer than the stored description, a fetch newer than that
	// but older than the rename: the fetch's metadata and the rename's name.
	t4, t5 := t3.Add(time.Minute), t3.Add(2*time.Minute)
	must(t, st.SetMeetingTopic(f.ctx, f.org.ID, "m-1", "Final name", t5, t0))
	_, _, err := st.UpsertArtifact(f.ctx, store.Artifact{OrgID: f.org.ID, ConnectionID: f.conn.ID, ZoomUserID: "zu-alice", Kind: store.ArtifactRecording,
		ZoomKey: "f-1", MeetingUUID: "m-1", Topic: "Fetched name", SizeBytes: 200, ZoomState: store.ZoomPresent, StateAt: t4, DescribedAt: t4, TopicAt: t4}, t0)
	must(t, err)
	mixed, err := st.ArtifactByID(f.ctx, f.org.ID, a.ID)
	must(t, err)
	if mixed.SizeBytes != 200 || mixed.Topic != "Final name" {
		t.Fatalf("after a rename and an older fetch: size %d, topic %q; want the fetch's size and the rename's name", mixed.SizeBytes, mixed.Topic)
	}
	changed, err := st.SetArtifactState(f.ctx, f.org.ID, a.ID, store.ZoomDeleted, t1, t0)
	must(t, err)
	if changed {
		t.Fatal("an older delete changed the state")
	}
	changed, err = st.SetArtifactState(f.ctx, f.org.ID, a.ID, store.ZoomDeleted, t5.Add(time.Second), t0)
	must(t, err)
	got, err := st.ArtifactByID(f.ctx, f.org.ID, a.ID)
	must(t, err)
	if !changed || got.ZoomState != store.ZoomDeleted {
		t.Fatalf("a newer delete: changed %t, state %s", changed, got.ZoomState)
	}
	other := newFixture(t, st, "art-order-other")
	if _, err := st.ArtifactByID(f.ctx, other.org.ID, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("artifact read through another org: %v", err)
	}
}

// A detached artifact loses its connection and survives the connection's
// deletion; the others go with it.
func artifactDetachedSurvivesPurge(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "art-purge")
	kept, _ := f.artifact("f-kept", store.ZoomPresent, t0, t0, "Call")
	gone, _ := f.artifact("f-gone", store.ZoomPresent, t0, t0, "Call")
	must(t, st.SetArtifactLink(f.ctx, f.org.ID, kept.ID, store.Link{Rule: store.LinkManual, UnlinkedReason: store.UnlinkedDetached, Detached: true}, t0))
	again, _ := f.artifact("f-kept", store.ZoomPresent, t0, t0, "Call")
	if again.ConnectionID != 0 {
		t.Fatal("a later upsert tied the detached artifact to a connection again")
	}
	must(t, st.DeleteConnection(f.ctx, f.conn.ID))
	if _, err := st.ArtifactByID(f.ctx, f.org.ID, kept.ID); err != nil {
		t.Fatalf("the detached artifact did not survive its connection: %v", err)
	}
	if _, err := st.ArtifactByID(f.ctx, f.org.ID, gone.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an attached artifact outlived its connection: %v", err)
	}
}

// Summary text is kept only while the organization opts in; opting out erases it.
func summaryTextOptIn(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "art-summary")
	on, err := st.KeepSummaryText(f.ctx, f.org.ID)
	must(t, err)
	if on {
		t.Fatal("summary text is kept by default")
	}
	must(t, st.SetKeepSummaryText(f.ctx, f.org.ID, true, t0))
	s, _, err := st.UpsertArtifact(f.ctx, store.Artifact{OrgID: f.org.ID, ConnectionID: f.conn.ID, ZoomUserID: "zu-alice", Kind: store.ArtifactSummary,
		ZoomKey: "m-1", MeetingUUID: "m-1", SummaryOverview: "We agreed on a pilot.", SummaryNextSteps: []string{"Send the quote"}}, t0)
	must(t, err)
	if s.SummaryOverview == "" || len(s.SummaryNextSteps) != 1 {
		t.Fatalf("summary text not kept when opted in: %+v", s)
	}
	must(t, st.SetKeepSummaryText(f.ctx, f.org.ID, false, t0))
	s, err = st.ArtifactByID(f.ctx, f.org.ID, s.ID)
	must(t, err)
	if s.SummaryOverview != "" || len(s.SummaryNextSteps) != 0 {
		t.Fatalf("opting out left the text: %+v", s)
	}
}
