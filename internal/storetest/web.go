package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RunWeb runs the behaviours of the web app's tables: accounts, sessions,
// failed sign-ins and organization settings.
func RunWeb(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"AccountEmailsAreUniqueNormalized", accountEmails},
		{"MembershipIsPerOrganizationAndActive", membership},
		{"SessionsExpireAndSignOut", sessionLifecycle},
		{"SigninFailuresCountInAWindow", signinFailures},
		{"OrgTimezoneDefaultsToUTC", orgTimezone},
		{"UniqueKeyConflictsAreTyped", uniqueConflicts},
		{"SetupTokensAreTakenTogether", setupTokens},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

func accountEmails(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "acct-emails")
	a, err := st.CreateAccount(f.ctx, " Dana@Example.COM ", "Dana", "hash", t0)
	must(t, err)
	if a.Email != "dana@example.com" {
		t.Fatalf("account email stored as %q, want normalized", a.Email)
	}
	if _, err := st.CreateAccount(f.ctx, "dana@example.com", "Other", "", t0); err == nil {
		t.Fatal("a second account with the same email was accepted")
	}
	got, err := st.AccountByEmail(f.ctx, "DANA@example.com")
	must(t, err)
	if got.ID != a.ID || got.PasswordHash != "hash" {
		t.Fatalf("AccountByEmail gave %+v", got)
	}
	must(t, st.SetAccountPassword(f.ctx, a.ID, "hash2", false))
	got, err = st.AccountByID(f.ctx, a.ID)
	must(t, err)
	if got.PasswordHash != "hash2" {
		t.Fatalf("password hash not replaced: %q", got.PasswordHash)
	}
	_, err = st.AccountByEmail(f.ctx, "nobody@example.com")
	wantErr(t, err, store.ErrNotFound)
}

func membership(t *testing.T, st *store.Store) {
	a := newFixture(t, st, "member-a")
	b := newFixture(t, st, "member-b")
	acct, err := st.CreateAccount(a.ctx, "alice-member@example.com", "Alice", "", t0)
	must(t, err)
	must(t, st.LinkPersonAccount(a.ctx, a.org.ID, a.alice.ID, acct.ID, t0))
	p, err := st.Membership(a.ctx, acct.ID, a.org.ID)
	must(t, err)
	if p.ID != a.alice.ID || p.Role != store.RoleAdmin {
		t.Fatalf("membership gave %+v", p)
	}
	_, err = st.Membership(a.ctx, acct.ID, b.org.ID)
	wantErr(t, err, store.ErrNotFound)
	// Linking a person of another organization by its id must not work.
	wantErr(t, st.LinkPersonAccount(a.ctx, a.org.ID, b.alice.ID, acct.ID, t0), store.ErrNotFound)
	p.Active = false
	must(t, st.UpdatePerson(a.ctx, p, t0))
	_, err = st.Membership(a.ctx, acct.ID, a.org.ID)
	wantErr(t, err, store.ErrNotFound)
}

func sessionLifecycle(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sessions")
	acct, err := st.CreateAccount(f.ctx, "sess@example.com", "S", "", t0)
	must(t, err)
	ses := store.Session{TokenHash: "h1", AccountID: acct.ID, CSRFToken: "c1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	must(t, st.CreateSession(f.ctx, ses))
	must(t, st.CreateSession(f.ctx, store.Session{TokenHash: "h2", AccountID: acct.ID, CSRFToken: "c2", CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}))
	got, err := st.SessionByHash(f.ctx, "h1", t0.Add(30*time.Minute))
	must(t, err)
	if got.AccountID != acct.ID || got.CSRFToken != "c1" || got.OrgID != 0 {
		t.Fatalf("session read back as %+v", got)
	}
	must(t, st.SetSessionOrg(f.ctx, "h1", f.org.ID))
	got, err = st.SessionByHash(f.ctx, "h1", t0)
	must(t, err)
	if got.OrgID != f.org.ID {
		t.Fatalf("session org %d, want %d", got.OrgID, f.org.ID)
	}
	_, err = st.SessionByHash(f.ctx, "h1", t0.Add(time.Hour))
	wantErr(t, err, store.ErrNotFound)
	n, err := st.PruneSessions(f.ctx, t0.Add(2*time.Minute))
	must(t, err)
	if n != 1 {
		t.Fatalf("pruned %d sessions, want the one expired", n)
	}
	must(t, st.DeleteSession(f.ctx, "h1"))
	_, err = st.SessionByHash(f.ctx, "h1", t0)
	wantErr(t, err, store.ErrNotFound)
	must(t, st.CreateSession(f.ctx, store.Session{TokenHash: "h3", AccountID: acct.ID, CSRFToken: "c3", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
	must(t, st.DeleteAccountSessions(f.ctx, acct.ID))
	_, err = st.SessionByHash(f.ctx, "h3", t0)
	wantErr(t, err, store.ErrNotFound)
}

func signinFailures(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "signin-failures")
	for i := range 3 {
		must(t, st.RecordSigninFailure(f.ctx, "k-"+f.org.Slug, "e-"+f.org.Slug, t0.Add(time.Duration(i)*time.Minute)))
	}
	must(t, st.RecordSigninFailure(f.ctx, "other-"+f.org.Slug, "", t0))
	n, _, err := st.SigninFailures(f.ctx, "k-"+f.org.Slug, t0.Add(time.Minute))
	must(t, err)
	if n != 2 {
		t.Fatalf("failures since t0+1m = %d, want 2", n)
	}
	must(t, st.ClearSigninFailures(f.ctx, "k-"+f.org.Slug))
	n, _, err = st.SigninFailures(f.ctx, "k-"+f.org.Slug, t0.Add(-time.Hour))
	must(t, err)
	if n != 0 {
		t.Fatalf("failures after clear = %d", n)
	}
	n, _, err = st.SigninFailures(f.ctx, "other-"+f.org.Slug, t0.Add(-time.Hour))
	must(t, err)
	if n != 1 {
		t.Fatalf("clearing one key touched another: %d", n)
	}
	// An unlock clears every key of one email, and only those.
	must(t, st.RecordSigninFailure(f.ctx, "pair-"+f.org.Slug, "e-"+f.org.Slug, t0.Add(5*time.Minute)))
	must(t, st.RecordSigninFailure(f.ctx, "k-"+f.org.Slug, "e-"+f.org.Slug, t0.Add(4*time.Minute)))
	n, last, err := st.SigninFailures(f.ctx, "pair-"+f.org.Slug, t0)
	must(t, err)
	if n != 1 || !last.Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("pair failures = %d, last %v", n, last)
	}
	cleared, err := st.ClearEmailSigninFailures(f.ctx, "e-"+f.org.Slug)
	must(t, err)
	n, _, _ = st.SigninFailures(f.ctx, "other-"+f.org.Slug, t0.Add(-time.Hour))
	if cleared != 2 || n != 1 {
		t.Fatalf("unlock cleared %d rows (want 2) and left %d of another email (want 1)", cleared, n)
	}
}

func orgTimezone(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "timezone")
	tz, err := st.OrgTimezone(f.ctx, f.org.ID)
	must(t, err)
	if tz != "UTC" {
		t.Fatalf("default timezone %q", tz)
	}
	must(t, st.SetOrgTimezone(f.ctx, f.org.ID, "Europe/Berlin", t0))
	must(t, st.SetOrgTimezone(f.ctx, f.org.ID, "America/New_York", t0))
	tz, err = st.OrgTimezone(f.ctx, f.org.ID)
	must(t, err)
	if tz != "America/New_York" {
		t.Fatalf("timezone %q after two sets", tz)
	}
}

// uniqueConflicts: a write that breaks a unique key is ErrConflict on both
// databases (never a driver's raw error), and changes nothing.
func uniqueConflicts(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "conflicts")
	_, err := st.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: "ALICE@example.com", Name: "Alice again"}, t0)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a second person with Alice's email: %v, want ErrConflict", err)
	}
	bob := f.bob
	bob.Email = "alice@example.com"
	if err := st.UpdatePerson(f.ctx, bob, t0); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Bob renamed to Alice's email: %v, want ErrConflict", err)
	}
	if _, err := st.CreateOrganization(f.ctx, "Same slug", f.org.Slug, t0); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a second organization with the slug: %v, want ErrConflict", err)
	}
	_, err = st.CreateAccount(f.ctx, "x-"+f.org.Slug+"@example.com", "X", "", t0)
	must(t, err)
	if _, err := st.CreateAccount(f.ctx, "X-"+f.org.Slug+"@Example.com", "X", "", t0); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a second account with the email: %v, want ErrConflict", err)
	}
	all, err := st.People(f.ctx, f.org.ID)
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("%d people after refused writes, want 2", len(all))
	}
}

// setupTokens: taking the first-run tokens takes them all, and says whether
// the given one was among them.
func setupTokens(t *testing.T, st *store.Store) {
	ctx := context.Background()
	must(t, st.AddSetupToken(ctx, "tok-a", t0))
	must(t, st.AddSetupToken(ctx, "tok-a", t0)) // again: harmless
	must(t, st.AddSetupToken(ctx, "tok-b", t0))
	if ok, err := st.SetupTokenValid(ctx, "tok-b"); err != nil || !ok {
		t.Fatalf("tok-b valid = %v, %v", ok, err)
	}
	found, err := st.TakeSetupTokens(ctx, "tok-b")
	if err != nil || !found {
		t.Fatalf("take tok-b = %v, %v", found, err)
	}
	for _, tok := range []string{"tok-a", "tok-b"} {
		if ok, err := st.SetupTokenValid(ctx, tok); err != nil || ok {
			t.Fatalf("%s still valid after a take: %v, %v", tok, ok, err)
		}
	}
	if found, err := st.TakeSetupTokens(ctx, "tok-a"); err != nil || found {
		t.Fatalf("take a taken token = %v, %v", found, err)
	}
}
