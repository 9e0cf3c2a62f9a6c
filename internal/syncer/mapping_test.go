package syncer_test

import (
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// A Zoom user whose email changes is mapped again on the next pass, and the
// activities synced for it follow it to the person the new email belongs to.
// A deactivated Zoom user's person is listed with the reason.
func TestChangedEmailRemaps(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 10, plan: "business", seed: 17})
		e.runPass(e.ctx, "")
		host, oldPerson := e.busiest()
		mine := e.countOf(host)
		if mine == 0 {
			t.Fatal("the busiest user has no activity")
		}
		newPerson, err := e.st.CreatePerson(e.ctx, store.Person{OrgID: e.org.ID, Email: "renamed@example.org", Name: "Renamed"}, e.sim.Now())
		must(t, err)
		email := "Renamed@Example.org"
		must(t, e.sim.UpdateUser(host, zoomsim.UserChanges{Email: &email}))
		var quiet string
		for _, u := range e.sim.Users() {
			if u.ID != host && u.Role != "owner" && quiet == "" {
				quiet = u.ID
			}
		}
		must(t, e.sim.DeactivateUser(quiet))
		must(t, e.st.RequestSweep(e.ctx, e.conn.ID, e.sim.Now()))
		e.runPass(e.ctx, store.PassSweep)
		zu, err := e.st.ZoomUserByZoomID(e.ctx, e.conn.ID, host)
		must(t, err)
		if zu.PersonID != newPerson.ID || zu.Email != email {
			t.Fatalf("after the email change the Zoom user maps to %d (%s), want %d", zu.PersonID, zu.Email, newPerson.ID)
		}
		acts, err := e.st.Activities(e.ctx, store.ActivityFilter{OrgID: e.org.ID, PersonID: newPerson.ID})
		must(t, err)
		if len(acts) != mine {
			t.Fatalf("%d activities followed the Zoom user to its new person, want %d", len(acts), mine)
		}
		if old, _ := e.st.Activities(e.ctx, store.ActivityFilter{OrgID: e.org.ID, PersonID: oldPerson}); len(old) != 0 {
			t.Fatalf("%d activities stayed with the old person", len(old))
		}
		without, err := e.st.PeopleWithoutZoomUser(e.ctx, e.org.ID)
		must(t, err)
		reasons := map[int64]string{}
		for _, p := range without {
			reasons[p.ID] = p.Reason
		}
		if reasons[oldPerson] != store.ReasonNoZoomUser || reasons[e.person[quiet]] != store.ReasonZoomInactive {
			t.Fatalf("people without a Zoom user: %v", reasons)
		}
	})
}

// A per-person connection sees only its own user, through "me", and may not
// read reports: its hosted meetings come meeting by meeting from the past
// meeting endpoints, and still equal the truth, with its calls and webinars.
func TestPerPersonConnectionSyncsItsOwnActivity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		e := newEnv(t, d, envOpts{users: 6, plan: "business", seed: 19, perPerson: true})
		owner := e.sim.Users()[0]
		for _, u := range e.sim.Users()[1:] {
			e.unmapped[u.ID] = true // not this connection's to see
		}
		p := e.runPass(e.ctx, "")
		zus, err := e.st.ZoomUsersOfConnection(e.ctx, e.conn.ID)
		must(t, err)
		if len(zus) != 1 || zus[0].ZoomUserID != owner.ID || zus[0].PersonID != e.person[owner.ID] {
			t.Fatalf("per-person connection imported %+v", zus)
		}
		want := e.expected(p.WindowFrom)
		if len(want) == 0 {
			t.Fatal("the owner has no activity to compare")
		}
		e.compare(want, e.stored())
		for _, path := range e.hc.since(0) {
			if strings.Contains(path, "/report/") && !strings.Contains(path, "/report/webinars/") {
				t.Fatalf("a per-person connection asked for a report: %s", path)
			}
		}
	})
}
