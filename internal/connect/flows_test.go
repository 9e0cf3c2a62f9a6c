package connect_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// TestEachFlowConnects runs the three connect flows against the emulator
// over loopback and checks what is captured at connect and that the stored
// tokens work.
func TestEachFlowConnects(t *testing.T) {
	eachDB(t, func(t *testing.T, d store.Dialect) {
		sim := startSim(t, startOpts(d))
		e := newEnv(t, testdb.Open(t, d), sim, "flows")
		owner := sim.Users()[0]
		member := e.memberWhere(func(u zoomsim.User) bool { return u.PhoneLicence })
		noPhone := e.memberWhere(func(u zoomsim.User) bool { return !u.PhoneLicence })

		acct := e.connectAccount()
		if acct.Kind != store.KindAccountOAuth || acct.ZoomUserID != owner.ID || acct.Email != owner.Email ||
			acct.DisplayName != owner.FirstName+" "+owner.LastName || acct.ZoomAccountID != sim.Info().AccountID {
			t.Errorf("account-level connection captured %+v, want owner %s <%s> of %s", acct, owner.ID, owner.Email, sim.Info().AccountID)
		}
		if acct.PlanType != 2 || !acct.PhoneLicensed || !strings.Contains(acct.Scopes, "user:read:list_users:admin") {
			t.Errorf("account-level: plan %d phone %t scopes %q, want licensed, with Phone, :admin scopes", acct.PlanType, acct.PhoneLicensed, acct.Scopes)
		}

		p := e.person(member)
		user := e.connectUser(p, member)
		if user.Kind != store.KindUserOAuth || user.PersonID != p.ID || user.ZoomUserID != member.ID || user.Email != member.Email ||
			user.PlanType != member.Type || user.PhoneLicensed != member.PhoneLicence {
			t.Errorf("user connection captured %+v, want %+v for person %d", user, member, p.ID)
		}
		if strings.Contains(user.Scopes, ":admin") || !strings.Contains(user.Scopes, "meeting:read:list_meetings") {
			t.Errorf("user connection scopes %q, want user-level ones", user.Scopes)
		}
		other := e.connectUser(e.person(noPhone), noPhone)
		if other.PhoneLicensed || other.ZoomUserID != noPhone.ID {
			t.Errorf("a member without Phone was captured as %+v", other)
		}

		s2s := e.connectS2S()
		if s2s.Kind != store.KindS2S || s2s.ZoomAccountID != sim.Info().AccountID || s2s.ClientID != sim.Info().S2SClientID ||
			len(s2s.ClientSecretEnc) == 0 || len(s2s.WebhookSecretEnc) == 0 || s2s.PlanType != 2 {
			t.Errorf("s2s connection captured %+v", s2s)
		}
		hook, err := e.svc.WebhookSecret(s2s)
		if err != nil || hook != sim.Info().WebhookSecret {
			t.Errorf("webhook secret opens to %q, %v", hook, err)
		}

		for _, c := range []store.Connection{acct, user, s2s} {
			if err := e.call(e.svc, c); err != nil {
				t.Errorf("%s: API call with the stored token: %v", c.Kind, err)
			}
			if c.Status != store.StatusActive || c.TokenExpiresAt.IsZero() || c.RefreshedAt.IsZero() {
				t.Errorf("%s: status %q expires %v refreshed %v", c.Kind, c.Status, c.TokenExpiresAt, c.RefreshedAt)
			}
		}
		log, err := e.st.AuditLog(e.ctx, e.org.ID, 10)
		must(t, err)
		created := 0
		for _, a := range log {
			if a.Action == connect.AuditCreated && a.Actor == "account:"+itoa(e.acct.ID) {
				created++
			}
		}
		if created != 4 {
			t.Errorf("audit has %d connection.created entries by the admin, want 4: %+v", created, log)
		}
	})
}

// TestConnectAgainRenewsInPlace: reconnecting (after a revoke) renews the
// same connection, keeping its id and so its synced rows.
func TestConnectAgainRenewsInPlace(t *testing.T) {
	t.Parallel()
	sim := startSim(t, startOpts(store.SQLite))
	e := newEnv(t, testdb.Open(t, store.SQLite), sim, "renew")
	member := e.member()
	c := e.connectUser(e.person(member), member)
	must(t, sim.RevokeUser(member.ID))
	if err := e.call(e.svc, c); !errors.Is(err, errNeedsReconnect) {
		t.Fatalf("call after revoke = %v, want needs reconnect", err)
	}
	must(t, sim.SetAuthorizeAs(member.ID))
	u, err := e.svc.StartReconnect(e.ctx, e.browser(), c.ID, e.acct.ID)
	must(t, err)
	again, err := e.svc.Callback(e.ctx, e.browser(), e.authorize(u))
	must(t, err)
	if again.ID != c.ID || again.Status != store.StatusActive || again.StatusReason != "" {
		t.Fatalf("reconnect gave %+v, want connection %d active again", again, c.ID)
	}
	if err := e.call(e.svc, again); err != nil {
		t.Fatalf("call after reconnect: %v", err)
	}
	all, _ := e.st.Connections(e.ctx, e.org.ID)
	if len(all) != 1 {
		t.Fatalf("org has %d connections after reconnecting, want 1", len(all))
	}
}

// TestStateIsSingleUseAndBound: a replayed or forged callback connects nothing.
func TestStateIsSingleUseAndBound(t *testing.T) {
	t.Parallel()
	sim := startSim(t, startOpts(store.SQLite))
	e := newEnv(t, testdb.Open(t, store.SQLite), sim, "state")
	u, err := e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
	must(t, err)
	q := e.authorize(u)
	if _, err := e.svc.Callback(e.ctx, e.browser(), q); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Callback(e.ctx, e.browser(), q)
	p, ok := connect.AsProblem(err)
	if !ok || p.Code != connect.CodeFlowExpired {
		t.Fatalf("replayed callback = %v, want flow_expired", err)
	}
	q.Set("state", "forged")
	if _, err := e.svc.Callback(e.ctx, e.browser(), q); err == nil {
		t.Fatal("forged state accepted")
	}
	all, _ := e.st.Connections(e.ctx, e.org.ID)
	if len(all) != 1 {
		t.Fatalf("%d connections, want 1", len(all))
	}
}

// TestCallbackFromAnotherBrowserIsRefused: a consent link started by one
// browser session and completed in another (a link sent to someone else),
// or in the same session now viewing another organization, connects
// nothing, and the flow is used up so the starter cannot complete it either.
func TestCallbackFromAnotherBrowserIsRefused(t *testing.T) {
	t.Parallel()
	sim := startSim(t, startOpts(store.SQLite))
	e := newEnv(t, testdb.Open(t, store.SQLite), sim, "bound")
	for name, other := range map[string]connect.Browser{
		"another session":      {Session: "session-of-someone-else", OrgID: e.org.ID},
		"no session":           {OrgID: 0},
		"another organization": {Session: e.browser().Session, OrgID: e.org.ID + 1},
	} {
		u, err := e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
		must(t, err)
		q := e.authorize(u)
		_, err = e.svc.Callback(e.ctx, other, q)
		if p, ok := connect.AsProblem(err); !ok || p.Code != connect.CodeOtherBrowser {
			t.Fatalf("%s: callback = %v, want other_browser", name, err)
		}
		_, err = e.svc.Callback(e.ctx, e.browser(), q)
		if p, ok := connect.AsProblem(err); !ok || p.Code != connect.CodeFlowExpired {
			t.Fatalf("%s: the starter's callback after the refusal = %v, want flow_expired", name, err)
		}
	}
	if all, _ := e.st.Connections(e.ctx, e.org.ID); len(all) != 0 {
		t.Fatalf("%d connections after callbacks from other browsers, want 0", len(all))
	}
	if n := e.spy.count("authorization_code"); n != 0 {
		t.Fatalf("%d code exchanges for refused callbacks, want 0", n)
	}
}
