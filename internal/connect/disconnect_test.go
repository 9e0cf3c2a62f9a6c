package connect_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
)

// seedSynced gives a connection what a sync would: a Zoom user and a
// meeting of theirs.
func seedSynced(e *env, c store.Connection, email string) {
	e.t.Helper()
	now := e.sim.Now()
	_, err := e.st.UpsertZoomUser(e.ctx, store.ZoomUser{OrgID: c.OrgID, ConnectionID: c.ID, ZoomUserID: "zu-" + email,
		ZoomAccountID: c.ZoomAccountID, Email: email, Status: "active"}, now)
	must(e.t, err)
	_, err = e.st.UpsertActivity(e.ctx, store.Activity{OrgID: c.OrgID, ConnectionID: c.ID, ZoomUserID: "zu-" + email,
		Kind: store.ActivityMeeting, ZoomID: "uuid-" + email, Title: "Standup", StartAt: now.Add(-3600e9), EndAt: now, Source: "sync"}, now)
	must(e.t, err)
}

// synced counts a connection's Zoom users and activities.
func synced(e *env, id int64) (users, activities int) {
	e.t.Helper()
	us, err := e.st.ZoomUsersOfConnection(e.ctx, id)
	must(e.t, err)
	as, err := e.st.ConnectionActivities(e.ctx, id)
	must(e.t, err)
	return len(us), len(as)
}

// syncedIDs returns the ids of a connection's Zoom users and activities.
func syncedIDs(e *env, id int64) (users, activities map[int64]bool) {
	e.t.Helper()
	us, err := e.st.ZoomUsersOfConnection(e.ctx, id)
	must(e.t, err)
	as, err := e.st.ConnectionActivities(e.ctx, id)
	must(e.t, err)
	users, activities = map[int64]bool{}, map[int64]bool{}
	for _, u := range us {
		users[u.ID] = true
	}
	for _, a := range as {
		activities[a.ID] = true
	}
	return users, activities
}

// syncedFromZoom is syncedIDs without the rows seedSynced made up (their
// Zoom user ids start with "zu-"): only what Zoom itself lists.
func syncedFromZoom(e *env, id int64) (users, activities map[int64]bool) {
	e.t.Helper()
	us, err := e.st.ZoomUsersOfConnection(e.ctx, id)
	must(e.t, err)
	as, err := e.st.ConnectionActivities(e.ctx, id)
	must(e.t, err)
	users, activities = map[int64]bool{}, map[int64]bool{}
	for _, u := range us {
		if !strings.HasPrefix(u.ZoomUserID, "zu-") {
			users[u.ID] = true
		}
	}
	for _, a := range as {
		if !strings.HasPrefix(a.ZoomUserID, "zu-") {
			activities[a.ID] = true
		}
	}
	return users, activities
}

// accessToken opens a connection's stored access token, as only the vault can.
func accessToken(e *env, c store.Connection) string {
	v, _ := vault.New(testKey)
	tok, err := v.OpenString(c.AccessTokenEnc, vault.AAD("zoom_connections", "access_token", itoa(c.ID)))
	must(e.t, err)
	return tok
}

// zoomAccepts reports whether Zoom still takes a token (GET /users/me).
func zoomAccepts(e *env, token string) bool {
	req, _ := http.NewRequest(http.MethodGet, e.sim.Info().APIBase+"/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := browser.Do(req)
	must(e.t, err)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// purgeCase sets up two organizations on one database and one emulated Zoom
// account: org one holds an account-level and a person's connection, org two
// a Server-to-Server one; each has synced rows.
type purgeCase struct {
	one, two     *env
	acct, user   store.Connection
	s2s          store.Connection
	userZoomUser string
}

func newPurgeCase(t *testing.T, d store.Dialect) *purgeCase {
	st, sim := testdb.Open(t, d), startSim(t, startOpts(d))
	pc := &purgeCase{one: newEnv(t, st, sim, "one"), two: newEnv(t, st, sim, "two")}
	member := pc.one.member()
	pc.userZoomUser = member.ID
	pc.acct = pc.one.connectAccount()
	pc.user = pc.one.connectUser(pc.one.person(member), member)
	pc.s2s = pc.two.connectS2S()
	seedSynced(pc.one, pc.acct, "a@one.example")
	seedSynced(pc.one, pc.user, "u@one.example")
	seedSynced(pc.two, pc.s2s, "s@two.example")
	return pc
}

// checkOnlyGone: the purged connection, its token and its rows are gone;
// every other connection keeps its rows and still works.
func (pc *purgeCase) checkOnlyGone(t *testing.T, gone store.Connection) {
	t.Helper()
	if _, err := pc.one.st.ConnectionByID(pc.one.ctx, gone.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the purged connection (and its tokens) can still be read: %v", err)
	}
	if u, a := synced(pc.one, gone.ID); u != 0 || a != 0 {
		t.Fatalf("%d Zoom users and %d activities of the purged connection remain", u, a)
	}
	for _, c := range []struct {
		e *env
		c store.Connection
	}{{pc.one, pc.acct}, {pc.one, pc.user}, {pc.two, pc.s2s}} {
		if c.c.ID == gone.ID {
			continue
		}
		if u, a := synced(c.e, c.c.ID); u != 1 || a != 1 {
			t.Errorf("%s connection of another scope lost rows: %d users, %d activities", c.c.Kind, u, a)
		}
		if err := c.e.call(c.e.svc, c.c); err != nil {
			t.Errorf("%s connection stopped working: %v", c.c.Kind, err)
		}
	}
}

func lastAudit(t *testing.T, e *env) store.AuditEntry {
	log, err := e.st.AuditLog(e.ctx, e.org.ID, 1)
	must(t, err)
	if len(log) == 0 {
		t.Fatal("no audit entry")
	}
	return log[0]
}

// TestDisconnectRevokesThenPurgesOnlyThatConnection is C7 from zoombridge's side.
func TestDisconnectRevokesThenPurgesOnlyThatConnection(t *testing.T) {
	eachDB(t, func(t *testing.T, d store.Dialect) {
		pc := newPurgeCase(t, d)
		e := pc.one
		token := accessToken(e, e.reload(pc.user))
		if !zoomAccepts(e, token) {
			t.Fatal("the token did not work before the disconnect")
		}
		// Another organization cannot disconnect it.
		if err := pc.two.svc.Disconnect(e.ctx, pc.two.org.ID, pc.user.ID, pc.two.acct.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("org two disconnecting org one's connection = %v, want not found", err)
		}
		must(t, e.svc.Disconnect(e.ctx, e.org.ID, pc.user.ID, e.acct.ID))
		if zoomAccepts(e, token) {
			t.Fatal("Zoom still accepts the disconnected connection's token: it was not revoked")
		}
		pc.checkOnlyGone(t, pc.user)
		a := lastAudit(t, e)
		if a.Action != connect.AuditDisconnected || a.Actor != "account:"+itoa(e.acct.ID) || a.Target != "connection:"+itoa(pc.user.ID) {
			t.Fatalf("audit entry %+v", a)
		}
		containsAll(t, "the audit detail", a.Detail, "revoked at Zoom", "removed 1 activities and 1 Zoom users")
		dis, err := e.st.LastDisconnection(e.ctx, e.org.ID)
		must(t, err)
		if dis.ConnectionID != pc.user.ID || dis.Actor != "account:"+itoa(e.acct.ID) || dis.ActorName == "" || dis.Activities != 1 || !dis.EchoPending {
			t.Fatalf("disconnection %+v", dis)
		}
		// The Server-to-Server connection disconnects the same way.
		must(t, pc.two.svc.Disconnect(e.ctx, pc.two.org.ID, pc.s2s.ID, pc.two.acct.ID))
		if u, a := synced(pc.two, pc.s2s.ID); u != 0 || a != 0 {
			t.Fatal("the S2S connection's rows remain")
		}
	})
}

// TestPurgeOnAppDeauthorized is C7 from Zoom's side, through the Purge the
// webhook processing calls: nothing is asked of Zoom (the grant is gone).
func TestPurgeOnAppDeauthorized(t *testing.T) {
	eachDB(t, func(t *testing.T, d store.Dialect) {
		pc := newPurgeCase(t, d)
		e := pc.one
		must(t, e.sim.RevokeUser(pc.userZoomUser)) // the person removes the app in Zoom
		must(t, e.svc.Purge(e.ctx, pc.user.ID, "the app was removed in Zoom"))
		pc.checkOnlyGone(t, pc.user)
		a := lastAudit(t, e)
		if a.Action != connect.AuditDeauthorized || a.Actor != "zoom" ||
			a.Detail != "the app was removed in Zoom; removed 1 activities and 1 Zoom users no other connection covers" {
			t.Fatalf("audit entry %+v", a)
		}
		// Zoom also sends app_deauthorized after our own revoke: purging
		// again is not an error and touches nothing else.
		must(t, e.svc.Purge(e.ctx, pc.user.ID, "again"))
		pc.checkOnlyGone(t, pc.user)
	})
}
