package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RunCoverage runs the behaviours of one activity per Zoom fact and of purges
// by coverage (issue 10) against the store open returns.
func RunCoverage(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"PersonalDisconnectKeepsTheAccountLevelConnection", personalDisconnectKeepsAccount},
		{"TwoConnectionsStoreEachFactOnce", twoConnectionsOneFact},
		{"RemovingEitherConnectionKeepsWhatTheOtherCovers", removingEitherKeepsOthers},
		{"DeletedZoomUserKeepsWhatAnotherConnectionSaw", deletedZoomUserKeepsCovered},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

// cover is the fixture with Alice's own connection beside the account-level
// one, both seeing her Zoom user.
type cover struct {
	*fixture
	personal store.Connection
}

func newCover(t *testing.T, st *store.Store, slug string) *cover {
	f := newFixture(t, st, slug)
	personal, err := st.CreateConnection(f.ctx, store.Connection{OrgID: f.org.ID, Kind: store.KindUserOAuth, PersonID: f.alice.ID,
		ZoomAccountID: f.conn.ZoomAccountID, ZoomUserID: "zu-alice", AccessTokenEnc: []byte{7}, RefreshTokenEnc: []byte{8}}, t0)
	must(t, err)
	return &cover{fixture: f, personal: personal}
}

func (c *cover) addPersonalUser() {
	_, err := c.st.UpsertZoomUser(c.ctx, store.ZoomUser{OrgID: c.org.ID, ConnectionID: c.personal.ID, ZoomUserID: "zu-alice", Email: "alice@example.com", UserType: 2}, t0)
	must(c.t, err)
}

// facts are one meeting, one webinar and both sides of one call per Zoom
// user, as seen through conn.
func (c *cover) facts(conn store.Connection, users ...string) []store.Activity {
	var out []store.Activity
	person := map[string]int64{"zu-alice": c.alice.ID, "zu-bob": c.bob.ID}
	for i, u := range users {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		m := c.meeting("m-"+u, u, person[u], at)
		w := c.meeting("w-"+u, u, person[u], at.Add(2*time.Hour))
		w.Kind = store.ActivityWebinar
		k := c.call("call-1", u, person[u], at.Add(4*time.Hour)) // one call between them: a side each
		for _, a := range []store.Activity{m, w, k} {
			a.ConnectionID = conn.ID
			out = append(out, a)
		}
	}
	return out
}

func (c *cover) ids() []int64 {
	c.t.Helper()
	var ids []int64
	for _, conn := range []int64{c.conn.ID, c.personal.ID} {
		as, err := c.st.ConnectionActivities(c.ctx, conn)
		must(c.t, err)
		for _, a := range as {
			if !slices.Contains(ids, a.ID) {
				ids = append(ids, a.ID)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

func zoomUserIDs(t *testing.T, st *store.Store, connID int64) []int64 {
	t.Helper()
	us, err := st.ZoomUsersOfConnection(t.Context(), connID)
	must(t, err)
	var ids []int64
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

// The click path of issue 10 at store level: Alice connects her own Zoom
// (which sees her meetings the account-level connection also sees, and one
// it has not yet), then disconnects. The account-level connection, its Zoom
// users and its activities are all still there, counted by id.
func personalDisconnectKeepsAccount(t *testing.T, st *store.Store) {
	c := newCover(t, st, "cover-personal")
	upsertAll(t, st, c.facts(c.conn, "zu-alice", "zu-bob"))
	before, usersBefore := c.ids(), zoomUserIDs(t, st, c.conn.ID)
	c.addPersonalUser()
	mine := c.facts(c.personal, "zu-alice")
	only := c.meeting("m-only-mine", "zu-alice", c.alice.ID, t0.Add(-time.Hour))
	only.ConnectionID = c.personal.ID
	for _, a := range append(mine, only) {
		_, err := st.UpsertActivity(c.ctx, a, t0)
		must(t, err)
	}
	if got := len(c.ids()); got != len(before)+1 {
		t.Fatalf("%d activities with both connections, want %d: the personal connection's facts were stored again", got, len(before)+1)
	}
	all := c.ids()
	p, err := st.PurgeConnection(c.ctx, c.personal.ID)
	must(t, err)
	if p.Activities != 1 || p.ZoomUsers != 0 {
		t.Fatalf("purged %+v, want the one activity only it saw and no Zoom user", p)
	}
	if gone := deletedIDs(p.Deleted); fmt.Sprint(gone) != fmt.Sprint(missing(all, c.ids())) || p.Deleted[0].ZoomID != "m-only-mine" || p.Deleted[0].PersonID != c.alice.ID {
		t.Fatalf("the purge reports %+v deleted, want the activity that went", p.Deleted)
	}
	if _, err := st.ConnectionByID(c.ctx, c.conn.ID); err != nil {
		t.Fatalf("the account-level connection is gone: %v", err)
	}
	if got := c.ids(); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("activities %v after the personal disconnect, want %v", got, before)
	}
	if got := zoomUserIDs(t, st, c.conn.ID); fmt.Sprint(got) != fmt.Sprint(usersBefore) {
		t.Fatalf("account-level Zoom users %v, want %v", got, usersBefore)
	}
}

// Each meeting, webinar and call is stored once with two connections seeing
// it, whether written by a sync (one at a time) or by webhooks (a batch
// repeating each fact per connection); the hours are those of one connection
// and the Zoom user is listed once, with both connections.
func twoConnectionsOneFact(t *testing.T, st *store.Store) {
	c := newCover(t, st, "cover-once")
	c.addPersonalUser()
	acct := c.facts(c.conn, "zu-alice", "zu-bob")
	upsertAll(t, st, acct)
	one := c.visible(store.ActivityFilter{})
	var batch []store.Activity
	for _, a := range c.facts(c.conn, "zu-alice") {
		b := a
		b.ConnectionID = c.personal.ID
		batch = append(batch, a, b) // what the webhook ingester writes for two connections
	}
	upsertAll(t, st, batch)
	for _, a := range c.facts(c.personal, "zu-alice") {
		_, err := st.UpsertActivity(c.ctx, a, t0)
		must(t, err)
	}
	both := c.visible(store.ActivityFilter{})
	if len(both) != len(acct) || hours(both) != hours(one) {
		t.Fatalf("%d activities, %v hours with two connections; want %d, %v as with one", len(both), hours(both), len(acct), hours(one))
	}
	seen := map[string]bool{}
	for _, a := range both {
		k := a.Kind + a.ZoomID + a.ZoomUserID
		if seen[k] {
			t.Fatalf("%s %s of %s stored twice", a.Kind, a.ZoomID, a.ZoomUserID)
		}
		seen[k] = true
		cov, err := st.ActivityCoverage(c.ctx, a.ID)
		must(t, err)
		want := []int64{c.conn.ID}
		if a.ZoomUserID == "zu-alice" {
			want = append(want, c.personal.ID)
		}
		if fmt.Sprint(cov) != fmt.Sprint(want) {
			t.Fatalf("%s %s seen by %v, want %v", a.Kind, a.ZoomID, cov, want)
		}
	}
	users, err := st.ZoomUsers(c.ctx, c.org.ID)
	must(t, err)
	n := 0
	for _, u := range users {
		if u.ZoomUserID == "zu-alice" {
			n++
			if fmt.Sprint(u.Connections) != fmt.Sprint([]int64{c.conn.ID, c.personal.ID}) {
				t.Fatalf("alice's Zoom user covered by %v", u.Connections)
			}
		}
	}
	ids, err := st.ZoomUserIDsOfPeople(c.ctx, c.org.ID, []int64{c.alice.ID})
	must(t, err)
	if n != 1 || fmt.Sprint(ids[c.alice.ID]) != "[zu-alice]" {
		t.Fatalf("alice's Zoom user listed %d times, ids %v", n, ids[c.alice.ID])
	}
}

func hours(as []store.Activity) float64 {
	s := 0
	for _, a := range as {
		s += a.DurationSeconds
	}
	return float64(s) / 3600
}

// Removing either connection keeps every activity the other has seen.
func removingEitherKeepsOthers(t *testing.T, st *store.Store) {
	for _, drop := range []string{"account", "personal"} {
		c := newCover(t, st, "cover-drop-"+drop)
		c.addPersonalUser()
		upsertAll(t, st, c.facts(c.conn, "zu-alice", "zu-bob"))
		upsertAll(t, st, c.facts(c.personal, "zu-alice"))
		gone, kept := c.conn, c.personal
		if drop == "personal" {
			gone, kept = kept, gone
		}
		want, err := st.ConnectionActivities(c.ctx, kept.ID)
		must(t, err)
		all := c.ids()
		p, err := st.PurgeConnection(c.ctx, gone.ID)
		must(t, err)
		if fmt.Sprint(deletedIDs(p.Deleted)) != fmt.Sprint(missing(all, c.ids())) || int(p.Activities) != len(p.Deleted) {
			t.Fatalf("dropping the %s connection reports %+v deleted, want %v", drop, p, missing(all, c.ids()))
		}
		got, err := st.ConnectionActivities(c.ctx, kept.ID)
		must(t, err)
		if len(got) != len(want) || len(want) == 0 {
			t.Fatalf("dropping the %s connection left %d of the other's %d activities", drop, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || got[i].ConnectionID != kept.ID {
				t.Fatalf("dropping the %s connection: %+v, want id %d held by %d", drop, got[i], want[i].ID, kept.ID)
			}
		}
		if all := c.visible(store.ActivityFilter{}); len(all) != len(want) {
			t.Fatalf("dropping the %s connection: %d visible, want only the %d the other saw", drop, len(all), len(want))
		}
	}
}

// user.deleted through one connection forgets what only it saw of the user.
func deletedZoomUserKeepsCovered(t *testing.T, st *store.Store) {
	c := newCover(t, st, "cover-user-deleted")
	c.addPersonalUser()
	upsertAll(t, st, c.facts(c.conn, "zu-alice", "zu-bob"))
	upsertAll(t, st, c.facts(c.personal, "zu-alice"))
	all := c.ids()
	var deleted []store.DeletedActivity
	for _, u := range []string{"zu-alice", "zu-bob"} {
		d, err := st.DeleteZoomUser(c.ctx, c.conn.ID, u)
		must(t, err)
		deleted = append(deleted, d...)
	}
	if got, want := deletedIDs(deleted), missing(all, c.ids()); fmt.Sprint(got) != fmt.Sprint(want) || len(want) != 3 {
		t.Fatalf("DeleteZoomUser reports %v deleted, want bob's three %v", got, want)
	}
	got := c.visible(store.ActivityFilter{})
	if len(got) != 3 {
		t.Fatalf("%d visible after both Zoom users left the account-level connection, want alice's 3 her own connection saw", len(got))
	}
	for _, a := range got {
		if a.ZoomUserID != "zu-alice" || a.ConnectionID != c.personal.ID {
			t.Fatalf("left %+v", a)
		}
	}
}

func deletedIDs(ds []store.DeletedActivity) []int64 {
	var ids []int64
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	slices.Sort(ids)
	return ids
}

// missing lists the ids of before not in after.
func missing(before, after []int64) []int64 {
	var out []int64
	for _, id := range before {
		if !slices.Contains(after, id) {
			out = append(out, id)
		}
	}
	return out
}

// upsertAll upserts as as one batch.
func upsertAll(t *testing.T, st *store.Store, as []store.Activity) {
	t.Helper()
	_, err := st.UpsertActivities(context.Background(), as, t0, false)
	must(t, err)
}
