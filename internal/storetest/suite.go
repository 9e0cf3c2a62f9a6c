// Package storetest is the store's behaviour suite, run against SQLite and
// PostgreSQL alike so both dialects keep one meaning.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// Run runs every behaviour against the store open returns.
func Run(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"MigrateIsIdempotent", migrateIsIdempotent},
		{"PeopleEmailsAreCaseInsensitivePerOrg", peopleEmails},
		{"OrganizationsDoNotSeeEachOther", orgIsolation},
		{"ZoomUsersMapByEmailAndRemap", zoomUserMapping},
		{"ActivityUpsertIsIdempotent", activityIdempotent},
		{"ActivityMergeIsOrderIndependent", activityOrderIndependent},
		{"SwitchesHideActivities", switchesHide},
		{"PeopleFilter", peopleFilter},
		{"DeletingAConnectionPurgesOnlyItsRows", connectionPurge},
		{"InboxRecognisesDuplicates", inboxDedup},
		{"FailedTransactionLeavesNothing", txRollback},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

type fixture struct {
	org   store.Organization
	alice store.Person
	bob   store.Person
	conn  store.Connection
	ctx   context.Context
	st    *store.Store
	t     *testing.T
}

func newFixture(t *testing.T, st *store.Store, slug string) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{ctx: ctx, st: st, t: t}
	var err error
	f.org, err = st.CreateOrganization(ctx, "Org "+slug, slug, t0)
	must(t, err)
	f.alice, err = st.CreatePerson(ctx, store.Person{OrgID: f.org.ID, Email: "Alice@Example.com", Name: "Alice", Role: store.RoleAdmin}, t0)
	must(t, err)
	f.bob, err = st.CreatePerson(ctx, store.Person{OrgID: f.org.ID, Email: "bob@example.com", Name: "Bob"}, t0)
	must(t, err)
	f.conn, err = st.CreateConnection(ctx, store.Connection{OrgID: f.org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: "acct-" + slug,
		AccessTokenEnc: []byte{1, 2, 3}, RefreshTokenEnc: []byte{4, 5, 6}, TokenExpiresAt: t0.Add(time.Hour)}, t0)
	must(t, err)
	for _, u := range []store.ZoomUser{
		{ZoomUserID: "zu-alice", Email: " alice@EXAMPLE.com ", UserType: 2},
		{ZoomUserID: "zu-bob", Email: "bob@example.com", UserType: 1},
		{ZoomUserID: "zu-carol", Email: "carol@example.com", UserType: 2},
	} {
		u.OrgID, u.ConnectionID = f.org.ID, f.conn.ID
		_, err := st.UpsertZoomUser(ctx, u, t0)
		must(t, err)
	}
	return f
}

func (f *fixture) meeting(zoomID, user string, person int64, start time.Time) store.Activity {
	return store.Activity{OrgID: f.org.ID, ConnectionID: f.conn.ID, PersonID: person, ZoomUserID: user, Kind: store.ActivityMeeting,
		ZoomID: zoomID, Title: "Standup " + zoomID, StartAt: start, EndAt: start.Add(30 * time.Minute), DurationSeconds: 1800, ParticipantsCount: 2}
}

func (f *fixture) call(zoomID, user string, person int64, start time.Time) store.Activity {
	return store.Activity{OrgID: f.org.ID, ConnectionID: f.conn.ID, PersonID: person, ZoomUserID: user, Kind: store.ActivityCall,
		ZoomID: zoomID, StartAt: start, EndAt: start.Add(5 * time.Minute), DurationSeconds: 300, Direction: "inbound", CallerName: "ACME", Device: "mobile app"}
}

func (f *fixture) upsert(a store.Activity) store.Write {
	f.t.Helper()
	w, err := f.st.UpsertActivity(f.ctx, a, t0)
	must(f.t, err)
	return w
}

func (f *fixture) visible(filter store.ActivityFilter) []store.Activity {
	f.t.Helper()
	filter.OrgID = f.org.ID
	got, err := f.st.Activities(f.ctx, filter)
	must(f.t, err)
	return got
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}
