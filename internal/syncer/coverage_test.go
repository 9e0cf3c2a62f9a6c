package syncer_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestTwoConnectionsSyncEachFactOnce is issue 10's double counting, synced
// from the emulator on both databases: the account-level connection and the
// owner's own connection both cover the owner's Zoom user. Each meeting,
// webinar and call is stored once, the week's hours are those of one
// connection, the owner's Zoom user is listed once (with both connections),
// and removing either connection keeps every activity the other covers.
func TestTwoConnectionsSyncEachFactOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		for _, drop := range []string{"personal", "account"} {
			t.Run("remove the "+drop+" connection", func(t *testing.T) {
				e := newEnv(t, d, envOpts{users: 5, plan: "business", seed: 9})
				e.runPass(e.ctx, "")
				week := store.ActivityFilter{OrgID: e.org.ID, From: e.sim.Now().Add(-7 * 24 * time.Hour), To: e.sim.Now()}
				one, err := e.st.Activities(e.ctx, week)
				must(t, err)
				ownerZoom := e.sim.Users()[0]
				kinds := map[string]bool{}
				for _, a := range one {
					if a.ZoomUserID == ownerZoom.ID {
						kinds[a.Kind] = true
					}
				}
				if !kinds[store.ActivityMeeting] || !kinds[store.ActivityCall] {
					t.Fatalf("the owner's week has kinds %v; the test needs meetings and calls", kinds)
				}
				personal, err := e.st.CreateConnection(e.ctx, store.Connection{OrgID: e.org.ID, Kind: store.KindUserOAuth, PersonID: e.person[ownerZoom.ID],
					ZoomAccountID: e.conn.ZoomAccountID, ZoomUserID: ownerZoom.ID, Email: ownerZoom.Email}, e.sim.Now())
				must(t, err)
				e.runPassOf(e.ctx, personal.ID, "")
				seen, err := e.st.ConnectionActivities(e.ctx, personal.ID)
				must(t, err)
				if len(seen) == 0 {
					t.Fatal("the personal connection saw nothing")
				}
				both, err := e.st.Activities(e.ctx, week)
				must(t, err)
				if len(both) != len(one) || hours(both) != hours(one) {
					t.Fatalf("the week with two connections: %d activities, %.2f hours; with one: %d, %.2f", len(both), hours(both), len(one), hours(one))
				}
				e.stored() // fails on a fact stored twice
				users, err := e.st.ZoomUsers(e.ctx, e.org.ID)
				must(t, err)
				listed := 0
				for _, u := range users {
					if u.ZoomUserID == ownerZoom.ID {
						listed++
						if !slices.Equal(u.Connections, []int64{e.conn.ID, personal.ID}) {
							t.Fatalf("the owner's Zoom user is covered by %v", u.Connections)
						}
					}
				}
				ids, err := e.st.ZoomUserIDsOfPeople(e.ctx, e.org.ID, []int64{e.person[ownerZoom.ID]})
				must(t, err)
				if listed != 1 || fmt.Sprint(ids[e.person[ownerZoom.ID]]) != fmt.Sprint([]string{ownerZoom.ID}) {
					t.Fatalf("the owner's Zoom user is listed %d times; the API's ids %v", listed, ids)
				}

				gone, kept := personal.ID, e.conn.ID
				if drop == "account" {
					gone, kept = kept, gone
				}
				before, err := e.st.ConnectionActivities(e.ctx, kept)
				must(t, err)
				_, err = e.st.PurgeConnection(e.ctx, gone)
				must(t, err)
				after, err := e.st.ConnectionActivities(e.ctx, kept)
				must(t, err)
				if !slices.Equal(activityIDs(before), activityIDs(after)) {
					t.Fatalf("removing the %s connection: the other's %d activities became %d", drop, len(before), len(after))
				}
			})
		}
	})
}

func hours(as []store.Activity) float64 {
	s := 0
	for _, a := range as {
		s += a.DurationSeconds
	}
	return float64(s) / 3600
}

func activityIDs(as []store.Activity) []int64 {
	var ids []int64
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}
