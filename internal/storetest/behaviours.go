package storetest

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

func migrateIsIdempotent(t *testing.T, st *store.Store) {
	applied, err := st.Migrate(context.Background())
	must(t, err)
	if len(applied) != 0 {
		t.Fatalf("second migrate applied %v", applied)
	}
	pending, err := st.Pending(context.Background())
	must(t, err)
	if len(pending) != 0 {
		t.Fatalf("pending after migrate: %v", pending)
	}
}

func peopleEmails(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "emails")
	_, err := st.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: "  ALICE@example.COM"}, t0)
	if err == nil {
		t.Fatal("a second person with the same email (other case, spaces) was accepted")
	}
	p, err := st.PersonByEmail(f.ctx, f.org.ID, "alice@example.com ")
	must(t, err)
	if p.ID != f.alice.ID || p.Email != "Alice@Example.com" {
		t.Fatalf("lookup by normalized email gave %+v", p)
	}
	other := newFixture(t, st, "emails-other")
	if other.alice.ID == f.alice.ID {
		t.Fatal("same email in another organization must be a separate person")
	}
}

func orgIsolation(t *testing.T, st *store.Store) {
	a := newFixture(t, st, "iso-a")
	b := newFixture(t, st, "iso-b")
	a.upsert(a.meeting("m1", "zu-alice", a.alice.ID, t0))
	if _, err := st.PersonByID(a.ctx, b.org.ID, a.alice.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("person of org A read through org B: %v", err)
	}
	if _, err := st.OrgConnection(a.ctx, b.org.ID, a.conn.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("connection of org A read through org B: %v", err)
	}
	if got := b.visible(store.ActivityFilter{PersonID: a.alice.ID}); len(got) != 0 {
		t.Fatalf("org B sees %d activities of org A", len(got))
	}
	people, err := st.People(b.ctx, b.org.ID)
	must(t, err)
	for _, p := range people {
		if p.OrgID != b.org.ID {
			t.Fatalf("org B lists a person of org %d", p.OrgID)
		}
	}
}

func zoomUserMapping(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "mapping")
	users, err := st.ZoomUsers(f.ctx, f.org.ID)
	must(t, err)
	byID := map[string]store.ZoomUser{}
	for _, u := range users {
		byID[u.ZoomUserID] = u
	}
	if byID["zu-alice"].PersonID != f.alice.ID || byID["zu-bob"].PersonID != f.bob.ID || byID["zu-carol"].PersonID != 0 {
		t.Fatalf("mapping by trimmed case-insensitive email wrong: %+v", byID)
	}
	changed, err := st.UpsertZoomUser(f.ctx, byID["zu-bob"], t0)
	must(t, err)
	if changed {
		t.Fatal("upserting an unchanged Zoom user reported a change")
	}
	// Carol joins the directory: the next remap picks her up; Bob changes email in Zoom.
	carol, err := st.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: "Carol@example.com"}, t0)
	must(t, err)
	n, err := st.RemapPeople(f.ctx, f.org.ID, t0)
	must(t, err)
	if n != 1 {
		t.Fatalf("remap changed %d rows, want 1", n)
	}
	bob := byID["zu-bob"]
	bob.Email = "robert@example.com"
	changed, err = st.UpsertZoomUser(f.ctx, bob, t0)
	must(t, err)
	if !changed {
		t.Fatal("an email change was not written")
	}
	got, err := st.ZoomUserByZoomID(f.ctx, f.conn.ID, "zu-bob")
	must(t, err)
	if got.PersonID != 0 {
		t.Fatalf("bob's Zoom user still mapped after email change: %d", got.PersonID)
	}
	got, err = st.ZoomUserByZoomID(f.ctx, f.conn.ID, "zu-carol")
	must(t, err)
	if got.PersonID != carol.ID {
		t.Fatalf("carol not mapped after remap: %d", got.PersonID)
	}
}

func activityIdempotent(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "idem")
	m := f.meeting("uuid-1", "zu-alice", f.alice.ID, t0)
	if w := f.upsert(m); w != store.Inserted {
		t.Fatalf("first upsert: %v, want inserted", w)
	}
	if w := f.upsert(m); w != store.Unwritten {
		t.Fatalf("second identical upsert: %v, want nothing written", w)
	}
	m.Title = "Renamed"
	if w := f.upsert(m); w != store.Changed {
		t.Fatalf("a changed title: %v, want changed", w)
	}
	if w := f.upsert(m); w != store.Unwritten {
		t.Fatalf("the renamed repeat: %v, want nothing written", w)
	}
	got := f.visible(store.ActivityFilter{})
	if len(got) != 1 || got[0].Title != "Renamed" || !got[0].StartAt.Equal(t0) || got[0].DurationSeconds != 1800 {
		t.Fatalf("got %+v", got)
	}
}

func activityOrderIndependent(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "order")
	started := store.Activity{OrgID: f.org.ID, ConnectionID: f.conn.ID, PersonID: f.alice.ID, ZoomUserID: "zu-alice", Kind: store.ActivityMeeting, ZoomID: "u", Title: "Plan", StartAt: t0}
	ended := started
	ended.EndAt, ended.DurationSeconds = t0.Add(time.Hour), 3600
	ended.Title = ""
	a, b := ended, started // ended first, then started, then ended again
	f.upsert(a)
	f.upsert(b)
	f.upsert(a)
	got := f.visible(store.ActivityFilter{})
	if len(got) != 1 || got[0].Title != "Plan" || !got[0].EndAt.Equal(t0.Add(time.Hour)) || got[0].DurationSeconds != 3600 {
		t.Fatalf("out-of-order merge gave %+v", got)
	}
}

func switchesHide(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "switches")
	f.upsert(f.meeting("m-a", "zu-alice", f.alice.ID, t0))
	f.upsert(f.call("c-a", "zu-alice", f.alice.ID, t0.Add(time.Hour)))
	f.upsert(f.meeting("m-b", "zu-bob", f.bob.ID, t0))
	if n := len(f.visible(store.ActivityFilter{})); n != 3 {
		t.Fatalf("visible %d, want 3", n)
	}
	must(t, st.SetFeature(f.ctx, f.org.ID, store.FeaturePhone, false))
	for _, a := range f.visible(store.ActivityFilter{}) {
		if a.Kind == store.ActivityCall {
			t.Fatal("a call is visible with the Phone feature off")
		}
	}
	must(t, st.SetFeature(f.ctx, f.org.ID, store.FeaturePhone, true))
	f.bob.ZoomEnabled = false
	must(t, st.UpdatePerson(f.ctx, f.bob, t0))
	got := f.visible(store.ActivityFilter{})
	if len(got) != 2 {
		t.Fatalf("visible %d with bob's service off, want alice's 2", len(got))
	}
	for _, a := range got {
		if a.PersonID != f.alice.ID {
			t.Fatalf("bob's activity visible with his service off: %+v", a)
		}
	}
	if got := f.visible(store.ActivityFilter{Kinds: []string{store.ActivityCall}, From: t0, To: t0.Add(2 * time.Hour)}); len(got) != 1 {
		t.Fatalf("kind and range filter gave %d, want 1", len(got))
	}
}

// peopleFilter: People narrows to those people; an empty list is nobody,
// nil everyone.
func peopleFilter(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "people")
	f.upsert(f.meeting("m-a", "zu-alice", f.alice.ID, t0))
	f.upsert(f.call("c-a", "zu-alice", f.alice.ID, t0.Add(time.Hour)))
	f.upsert(f.meeting("m-b", "zu-bob", f.bob.ID, t0))
	for _, c := range []struct {
		people []int64
		want   int
	}{{nil, 3}, {[]int64{}, 0}, {[]int64{f.alice.ID}, 2}, {[]int64{f.bob.ID}, 1}, {[]int64{f.alice.ID, f.bob.ID}, 3}} {
		if got := f.visible(store.ActivityFilter{People: c.people, From: t0, To: t0.Add(2 * time.Hour)}); len(got) != c.want {
			t.Errorf("People %v: %d activities, want %d", c.people, len(got), c.want)
		}
	}
	// The people themselves: by id within the organization only, and
	// every person's team for choosing one.
	other := newFixture(t, st, "people-other")
	got, err := st.PeopleByIDs(f.ctx, f.org.ID, []int64{f.bob.ID, other.alice.ID, f.alice.ID})
	must(t, err)
	if len(got) != 2 || got[0].ID != f.alice.ID || got[1].ID != f.bob.ID || got[0].Email != f.alice.Email {
		t.Errorf("PeopleByIDs gave %+v, want alice and bob of their organization, by name", got)
	}
	teams, err := st.PeopleTeams(f.ctx, f.org.ID)
	must(t, err)
	all, err := st.People(f.ctx, f.org.ID)
	must(t, err)
	if len(teams) != len(all) {
		t.Fatalf("PeopleTeams lists %d people, People %d", len(teams), len(all))
	}
	byID := map[int64]store.Person{}
	for _, p := range all {
		byID[p.ID] = p
	}
	for _, p := range teams {
		if w := byID[p.ID]; p.OrgID != w.OrgID || p.Team != w.Team || p.Active != w.Active {
			t.Errorf("PeopleTeams gave %+v for %+v", p, w)
		}
	}
}

func connectionPurge(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "purge")
	other, err := st.CreateConnection(f.ctx, store.Connection{OrgID: f.org.ID, Kind: store.KindUserOAuth, PersonID: f.bob.ID, ZoomAccountID: "acct-bob"}, t0)
	must(t, err)
	_, err = st.UpsertZoomUser(f.ctx, store.ZoomUser{OrgID: f.org.ID, ConnectionID: other.ID, ZoomUserID: "zu-bob2", Email: "bob@example.com"}, t0)
	must(t, err)
	f.upsert(f.meeting("m1", "zu-alice", f.alice.ID, t0))
	kept := f.meeting("m2", "zu-bob2", f.bob.ID, t0)
	kept.ConnectionID = other.ID
	f.upsert(kept)
	must(t, st.DeleteConnection(f.ctx, f.conn.ID))
	if _, err := st.ConnectionByID(f.ctx, f.conn.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("purged connection still readable: %v", err)
	}
	if left, _ := st.ConnectionActivities(f.ctx, f.conn.ID); len(left) != 0 {
		t.Fatalf("%d activities of the purged connection remain", len(left))
	}
	if left, _ := st.ZoomUsersOfConnection(f.ctx, f.conn.ID); len(left) != 0 {
		t.Fatalf("%d Zoom users of the purged connection remain", len(left))
	}
	if left, _ := st.ConnectionActivities(f.ctx, other.ID); len(left) != 1 {
		t.Fatalf("other connection's activities: %d, want 1", len(left))
	}
	if left, _ := st.ZoomUsersOfConnection(f.ctx, other.ID); len(left) != 1 {
		t.Fatalf("other connection's Zoom users: %d, want 1", len(left))
	}
}

func inboxDedup(t *testing.T, st *store.Store) {
	ctx := context.Background()
	e := store.InboxEvent{DedupKey: "k1", App: "deployment", Event: "meeting.ended", EventTS: 1, Body: []byte(`{}`), ReceivedAt: t0}
	id, isNew, err := st.InsertInboxEvent(ctx, e)
	must(t, err)
	if !isNew {
		t.Fatal("first delivery reported as duplicate")
	}
	id2, isNew, err := st.InsertInboxEvent(ctx, e)
	must(t, err)
	if isNew || id2 != id {
		t.Fatalf("duplicate delivery: new=%v id=%d want id %d", isNew, id2, id)
	}
	got, err := st.InboxEventByID(ctx, id)
	must(t, err)
	if got.Duplicates != 1 || string(got.Body) != `{}` {
		t.Fatalf("stored %+v", got)
	}
}

func txRollback(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "tx")
	boom := errors.New("boom")
	err := st.InTx(f.ctx, func(tx *store.Store, _ *sql.Tx) error {
		if _, err := tx.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: "dave@example.com"}, t0); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, err, boom)
	if _, err := st.PersonByEmail(f.ctx, f.org.ID, "dave@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("person of a rolled back transaction exists: %v", err)
	}
}
