package connect_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoom"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// Each error a person can meet while connecting or using Zoom is checked
// here for the words they read (feature C3, C4, C6), reached through the
// real flow against the emulator wherever the emulator can produce it.

func problemOf(t *testing.T, err error, code string) *connect.Problem {
	t.Helper()
	p, ok := connect.AsProblem(err)
	if !ok || p.Code != code {
		t.Fatalf("error %v, want a %s Problem", err, code)
	}
	if strings.Contains(p.Message, "{") || strings.Contains(p.Message, "invalid_") {
		t.Errorf("the message shows a raw Zoom answer: %q", p.Message)
	}
	return p
}

func sqliteEnv(t *testing.T, o zoomsim.Options) *env {
	t.Parallel()
	return newEnv(t, testdb.Open(t, store.SQLite), startSim(t, o), "words")
}

// TestWordsAppNotPreApproved is C4: the account admin has not pre-approved
// the app; the person learns that, and what to ask the admin.
func TestWordsAppNotPreApproved(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7, NotPreApproved: true})
	u, err := e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
	must(t, err)
	_, err = e.svc.Callback(e.ctx, e.browser(), e.authorize(u))
	p := problemOf(t, err, connect.CodeNotPreApproved)
	containsAll(t, "the message", p.Message, "only allows apps that a Zoom admin has approved", "Ask your Zoom account admin to pre-approve",
		"zoombridge", "client ID "+e.sim.Info().ClientID, "Zoom App Marketplace", "connect Zoom again")
	if p.Title != "Zoom admin approval needed" || p.Action != connect.ActionAskAdmin {
		t.Errorf("title %q action %q", p.Title, p.Action)
	}

	// The browser lands on the callback route: the page says the same.
	srv := httptest.NewServer(e.svc.CallbackHandler(func(store.Connection) string { return "/" }, func(*http.Request) connect.Browser { return e.browser() }, nil))
	defer srv.Close()
	u, err = e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
	must(t, err)
	resp, err := browser.Get(srv.URL + connect.CallbackPath + "?" + e.authorize(u).Encode())
	must(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("callback page status %d", resp.StatusCode)
	}
	containsAll(t, "the callback page", string(body), "Zoom admin approval needed", "Ask your Zoom account admin to pre-approve",
		"Back to zoombridge")
}

// TestWordsOnlyAnAdminMayInstall: an account-level app installed by a member.
func TestWordsOnlyAnAdminMayInstall(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7, AppLevel: "account"})
	must(t, e.sim.SetAuthorizeAs(e.member().ID))
	u, err := e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
	must(t, err)
	_, err = e.svc.Callback(e.ctx, e.browser(), e.authorize(u))
	p := problemOf(t, err, connect.CodeAdminOnly)
	containsAll(t, "the message", p.Message, "only an account admin", "Ask your Zoom admin to connect")
}

// TestWordsAccountConnectGotOneUser: the admin asked for the account, Zoom
// authorized one user; nothing is connected and the grant is given back.
func TestWordsAccountConnectGotOneUser(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7, AppLevel: "user"})
	u, err := e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
	must(t, err)
	_, err = e.svc.Callback(e.ctx, e.browser(), e.authorize(u))
	p := problemOf(t, err, connect.CodeNotAccountLevel)
	containsAll(t, "the message", p.Message, "for your own Zoom user only", "nothing was connected", "as an account admin")
	if all, _ := e.st.Connections(e.ctx, e.org.ID); len(all) != 0 {
		t.Fatalf("%d connections stored", len(all))
	}
}

// TestWordsDeclined: the person chose Decline on Zoom's consent page.
func TestWordsDeclined(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7})
	u, err := e.svc.StartAccountOAuth(e.ctx, e.browser(), e.acct.ID)
	must(t, err)
	consent, _ := url.Parse(u)
	form := consent.Query()
	form.Set("decision", "deny")
	resp, err := browser.PostForm(e.sim.URL()+"/oauth/authorize", form)
	must(t, err)
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	_, err = e.svc.Callback(e.ctx, e.browser(), back.Query())
	p := problemOf(t, err, connect.CodeAccessDenied)
	containsAll(t, "the message", p.Message, "You declined", "nothing was connected", "choose Allow")
}

func without(scopes []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(scopes), func(s string) bool { return slices.Contains(drop, s) })
}

// TestWordsMissingScope is C3: a scope Zoom did not grant names the feature
// that needs it and offers a Reconnect; Zoom's own 4711 answer reads the same.
func TestWordsMissingScope(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7})
	member := e.memberWhere(func(u zoomsim.User) bool { return u.PhoneLicence })
	c0 := e.connectUser(e.person(member), member)
	must(t, e.sim.SetScopes("user", without(strings.Fields(c0.Scopes), "phone:read:list_call_logs", "meeting:write:meeting")))
	c := e.connectUser(e.person(e.member()), e.member())
	if len(connect.MissingScopes(c0)) != 0 {
		t.Fatalf("a full grant shows missing scopes: %+v", connect.MissingScopes(c0))
	}
	var features []string
	for _, p := range connect.MissingScopes(c) {
		if p.Code != connect.CodeMissingScope || p.Action != connect.ActionReconnect {
			t.Errorf("banner %+v, want a missing scope with Reconnect", p)
		}
		features = append(features, p.Feature)
		if p.Feature == "Phone calls" {
			containsAll(t, "the banner", p.Title+" "+p.Message, "Reconnect Zoom to turn on Phone calls",
				"Phone calls needs the Zoom permission phone:read:list_call_logs", "Zoom did not grant", "allow every permission")
		}
	}
	if !slices.Equal(features, []string{"Phone calls", "Scheduling meetings"}) {
		t.Fatalf("banners name %v, want Phone calls and Scheduling meetings", features)
	}

	// Zoom's answer to a call that needs the scope: 4711.
	var out any
	err := e.svc.Conn(c).Get(e.ctx, "/phone/users/me/call_history", nil, zoom.Medium, &out)
	p, ok := connect.ScopeProblem(err)
	if !ok || p.Feature != "Phone calls" || !slices.Equal(p.Scopes, []string{"phone:read:list_call_logs"}) {
		t.Fatalf("ScopeProblem(%v) = %+v, %v", err, p, ok)
	}
	containsAll(t, "the message", p.Message, "Phone calls needs the Zoom permission phone:read:list_call_logs")
}

// TestWordsMissingScopeAtConnect: an account-level grant that cannot list
// the account's users is refused at connect with the feature named.
func TestWordsMissingScopeAtConnect(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7})
	info := e.sim.Info()
	tok, err := (&zoom.OAuthApp{BaseURL: info.URL, ClientID: info.S2SClientID, ClientSecret: info.S2SClientSecret}).
		AccountCredentials(context.Background(), info.AccountID)
	must(t, err)
	must(t, e.sim.SetScopes("s2s", without(tok.Scopes(), "user:read:list_users:admin")))
	_, err = e.svc.ConnectS2S(e.ctx, e.org.ID, e.acct.ID, e.s2sCreds())
	p := problemOf(t, err, connect.CodeMissingScope)
	containsAll(t, "the message", p.Message, "Zoom users needs the Zoom permission user:read:list_users:admin")
}

// TestWordsProPlusRequired is C6: a Basic account sees "Pro+ required" for
// recording features, and nothing else is blocked.
func TestWordsProPlusRequired(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7, Plan: "basic"})
	c := e.connectAccount()
	if c.PlanType != connect.PlanBasic || c.PhoneLicensed {
		t.Fatalf("a Basic account was captured as plan %d, phone %t", c.PlanType, c.PhoneLicensed)
	}
	var plan *connect.Problem
	for _, p := range connect.Banners(c) {
		if p.Code == connect.CodePlanRequired {
			plan = p
		}
	}
	if plan == nil {
		t.Fatal("no Pro+ banner for a Basic account")
	}
	if plan.Title != "Pro+ required" {
		t.Errorf("title %q", plan.Title)
	}
	containsAll(t, "the banner", plan.Message, "Pro+ required", "Cloud recordings", "paid Zoom plan (Pro or above)", "free Basic plan")
	if strings.Contains(plan.Message, "account") {
		t.Errorf("the banner speaks of the account, but plans are per Zoom user: %s", plan.Message)
	}
	pro := newEnv(t, testdb.Open(t, store.SQLite), startSim(t, zoomsim.Options{Seed: 7}), "pro")
	for _, p := range connect.Banners(pro.connectAccount()) {
		if p.Code == connect.CodePlanRequired {
			t.Fatal("a Pro account shows Pro+ required")
		}
	}
}

// TestWordsServerToServerCredentials: wrong credentials, and Zoom out of reach.
func TestWordsServerToServerCredentials(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7})
	cr := e.s2sCreds()
	cr.ClientSecret = "wrong"
	_, err := e.svc.ConnectS2S(e.ctx, e.org.ID, e.acct.ID, cr)
	p := problemOf(t, err, connect.CodeBadCredentials)
	containsAll(t, "the message", p.Message, "Zoom did not accept the account ID, client ID and client secret",
		"Server-to-Server OAuth app", "App Credentials")

	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer down.Close()
	svc, err := connect.New(connect.Config{Store: e.st, Vault: mustVault(t), OAuthURL: down.URL, APIURL: down.URL})
	must(t, err)
	_, err = svc.ConnectS2S(e.ctx, e.org.ID, e.acct.ID, e.s2sCreds())
	p = problemOf(t, err, connect.CodeZoomUnavailable)
	containsAll(t, "the message", p.Message, "Zoom could not be reached", "Nothing was changed", "try again")
}

// TestWordsFlowExpired: an old or replayed Zoom redirect.
func TestWordsFlowExpired(t *testing.T) {
	e := sqliteEnv(t, zoomsim.Options{Seed: 7})
	_, err := e.svc.Complete(e.ctx, e.browser(), "no-such-state", "code")
	p := problemOf(t, err, connect.CodeFlowExpired)
	containsAll(t, "the message", p.Message, "expired or was already used", "Start connecting Zoom again")
	if !errors.As(err, new(*connect.Problem)) {
		t.Fatal("not a Problem")
	}
}

// TestCodeOfSyncFailures: a sync failure is classified by its type, so pages
// explain it in words without reading Zoom's text.
func TestCodeOfSyncFailures(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("pass: %w", zoom.ErrNeedsReconnect), connect.CodeNeedsReconnect},
		{&zoom.APIError{Status: 400, Code: 4711, Message: "Invalid access token, does not contain scopes:[meeting:read:list_meetings]"}, connect.CodeMissingScope},
		{fmt.Errorf("list: %w", &zoom.APIError{Status: 502, Message: "bad gateway"}), connect.CodeZoomUnavailable},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, connect.CodeZoomUnavailable},
		{connect.BadCredentials(nil), connect.CodeBadCredentials},
		{&zoom.APIError{Status: 404, Code: 3001, Message: "Meeting does not exist"}, ""},
		{errors.New("disk full"), ""},
	} {
		if got := connect.CodeOf(tc.err); got != tc.want {
			t.Errorf("CodeOf(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
