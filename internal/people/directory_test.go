package people_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// org is one organization with an Owner, a Zoom connection and Zoom users
// for ada, bob and carol; only the Owner is in the directory at first.
type org struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	dir   *people.Directory
	id    int64
	owner store.Person
	conn  store.Connection
}

var orgSeq atomic.Int64

func newOrg(t *testing.T, st *store.Store) *org {
	t.Helper()
	ctx := context.Background()
	n := orgSeq.Add(1)
	o, err := st.CreateOrganization(ctx, fmt.Sprintf("Org %d", n), fmt.Sprintf("org-%d", n), t0)
	must(t, err)
	f := &org{t: t, ctx: ctx, st: st, dir: people.New(st, func() time.Time { return t0 }), id: o.ID}
	f.owner, err = f.dir.Add(ctx, people.System(o.ID), people.Input{Email: "owner@example.com", Name: "Olive", Role: "owner"})
	must(t, err)
	f.conn, err = st.CreateConnection(ctx, store.Connection{OrgID: o.ID, Kind: store.KindAccountOAuth, ZoomAccountID: fmt.Sprintf("acct-%d", n)}, t0)
	must(t, err)
	for _, u := range []struct{ id, email string }{{"zu-ada", "Ada@Example.com"}, {"zu-bob", " bob@example.com"}, {"zu-carol", "carol@example.com"}} {
		_, err := st.UpsertZoomUser(ctx, store.ZoomUser{OrgID: o.ID, ConnectionID: f.conn.ID, ZoomUserID: u.id, Email: u.email}, t0)
		must(t, err)
	}
	return f
}

func (f *org) as(role string) people.Actor {
	return people.Actor{OrgID: f.id, Name: "test:" + role, Role: role, PersonID: 1 << 40}
}

// mapping is each Zoom user's person email ("" when unmapped).
func (f *org) mapping() map[string]string {
	f.t.Helper()
	users, err := f.st.ZoomUsers(f.ctx, f.id)
	must(f.t, err)
	out := map[string]string{}
	for _, u := range users {
		out[u.ZoomUserID] = ""
		if u.PersonID != 0 {
			p, err := f.st.PersonByID(f.ctx, f.id, u.PersonID)
			must(f.t, err)
			out[u.ZoomUserID] = p.Email
		}
	}
	return out
}

func (f *org) people() []store.Person {
	f.t.Helper()
	all, err := f.st.People(f.ctx, f.id)
	must(f.t, err)
	return all
}

func (f *org) audit() []store.AuditEntry {
	f.t.Helper()
	log, err := f.st.AuditLog(f.ctx, f.id, 100)
	must(f.t, err)
	return log
}

func (f *org) person(email string) store.Person {
	f.t.Helper()
	p, err := f.st.PersonByEmail(f.ctx, f.id, email)
	must(f.t, err)
	return p
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// eachStore runs the cases against one database per dialect, in parallel,
// each case in its own organizations.
func eachStore(t *testing.T, cases map[string]func(t *testing.T, st *store.Store)) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		st := testdb.Open(t, d)
		for name, fn := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				fn(t, st)
			})
		}
	})
}

func TestDirectory(t *testing.T) {
	eachStore(t, map[string]func(*testing.T, *store.Store){
		"AddMapsByEmailAndAudits":            addMapsAndAudits,
		"EditEmailRemaps":                    editEmailRemaps,
		"DeactivateUnmapsReactivateMaps":     deactivateUnmaps,
		"ServiceSwitchOnlyOwnerAdminExec":    serviceSwitchRoles,
		"OwnersAreProtected":                 ownersProtected,
		"OtherOrganizationsPeopleNotFound":   otherOrgNotFound,
		"ImportBadFileReportsAndImportsNone": importBadFile,
		"ImportGoodFileUpsertsAndRemaps":     importGoodFile,
		"ImportOwnerRulesPerLine":            importOwnerRules,
	})
}

func addMapsAndAudits(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	ada, err := f.dir.Add(f.ctx, f.as(store.RoleAdmin), people.Input{Email: " ada@example.COM ", Name: "Ada", Team: "Eng"})
	must(t, err)
	if ada.Role != store.RoleMember || !ada.ZoomEnabled || !ada.Active || ada.Email != "ada@example.COM" {
		t.Fatalf("added %+v", ada)
	}
	if got := f.mapping()["zu-ada"]; got != ada.Email {
		t.Fatalf("zu-ada mapped to %q after add", got)
	}
	if log := f.audit(); log[0].Action != "person.created" || log[0].Actor != "test:admin" || !strings.Contains(log[0].Detail, "ada@example.COM") {
		t.Fatalf("audit %+v", log[0])
	}
	var in *people.InputError
	if _, err := f.dir.Add(f.ctx, f.as(store.RoleAdmin), people.Input{Email: "ADA@example.com"}); !errors.As(err, &in) || in.Field != "email" {
		t.Fatalf("duplicate email: %v", err)
	}
	if _, err := f.dir.Add(f.ctx, f.as(store.RoleAdmin), people.Input{Email: "x@example.com", Role: "boss"}); !errors.As(err, &in) || in.Field != "access_level" {
		t.Fatalf("unknown level: %v", err)
	}
	if _, err := f.dir.Add(f.ctx, f.as(store.RoleExecutive), people.Input{Email: "y@example.com"}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("executive adds people: %v", err)
	}
}

func editEmailRemaps(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	p, err := f.dir.Add(f.ctx, f.as(store.RoleOwner), people.Input{Email: "robert@example.com", Name: "Bob"})
	must(t, err)
	if f.mapping()["zu-bob"] != "" {
		t.Fatal("zu-bob mapped before his email matches")
	}
	before := len(f.audit())
	p, err = f.dir.Edit(f.ctx, f.as(store.RoleAdmin), p.ID, people.Input{Email: "Bob@example.com", Name: "Bob", Team: "Sales", Role: "Manager"})
	must(t, err)
	if p.Team != "Sales" || p.Role != store.RoleManager || f.mapping()["zu-bob"] != "Bob@example.com" {
		t.Fatalf("after edit %+v, mapping %v", p, f.mapping())
	}
	log := f.audit()
	if len(log) != before+1 || log[0].Action != "person.updated" || !strings.Contains(log[0].Detail, "access level Member → Manager") {
		t.Fatalf("audit %+v", log[0])
	}
	// Saving the same values again changes and audits nothing.
	_, err = f.dir.Edit(f.ctx, f.as(store.RoleAdmin), p.ID, people.Input{Email: "Bob@example.com", Name: "Bob", Team: "Sales"})
	must(t, err)
	if len(f.audit()) != before+1 {
		t.Fatal("an edit without changes wrote an audit entry")
	}
}

func deactivateUnmaps(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	p, err := f.dir.Add(f.ctx, f.as(store.RoleOwner), people.Input{Email: "carol@example.com"})
	must(t, err)
	_, err = f.dir.SetActive(f.ctx, f.as(store.RoleAdmin), p.ID, false)
	must(t, err)
	if f.mapping()["zu-carol"] != "" || f.person("carol@example.com").Active {
		t.Fatal("a deactivated person stays mapped or active")
	}
	if f.audit()[0].Action != "person.deactivated" {
		t.Fatalf("audit %+v", f.audit()[0])
	}
	var in *people.InputError
	if _, err := f.dir.Add(f.ctx, f.as(store.RoleAdmin), people.Input{Email: "carol@example.com"}); !errors.As(err, &in) || !strings.Contains(in.Reason, "reactivate") {
		t.Fatalf("adding a deactivated person's email: %v", err)
	}
	_, err = f.dir.SetActive(f.ctx, f.as(store.RoleAdmin), p.ID, true)
	must(t, err)
	if f.mapping()["zu-carol"] != "carol@example.com" {
		t.Fatal("reactivated person not mapped again")
	}
}

func serviceSwitchRoles(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	p, err := f.dir.Add(f.ctx, f.as(store.RoleOwner), people.Input{Email: "ada@example.com"})
	must(t, err)
	for _, role := range []string{store.RoleManager, store.RoleMember} {
		if _, err := f.dir.SetService(f.ctx, f.as(role), p.ID, false); !errors.Is(err, people.ErrForbidden) {
			t.Fatalf("%s switched the service: %v", role, err)
		}
	}
	if !f.person("ada@example.com").ZoomEnabled {
		t.Fatal("a refused switch changed the service")
	}
	for i, role := range []string{store.RoleExecutive, store.RoleAdmin, store.RoleOwner} {
		on := i%2 == 1
		got, err := f.dir.SetService(f.ctx, f.as(role), p.ID, on)
		must(t, err)
		if got.ZoomEnabled != on || f.person("ada@example.com").ZoomEnabled != on {
			t.Fatalf("%s: service %v, want %v", role, got.ZoomEnabled, on)
		}
		if e := f.audit()[0]; e.Action != "switch.changed" || e.Actor != "test:"+role || !strings.HasSuffix(e.Detail, "Zoom service "+map[bool]string{true: "on", false: "off"}[on]) {
			t.Fatalf("audit %+v", e)
		}
	}
}

func ownersProtected(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	admin := f.as(store.RoleAdmin)
	if _, err := f.dir.Edit(f.ctx, admin, f.owner.ID, people.Input{Email: f.owner.Email, Name: "Renamed"}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("admin edits an owner: %v", err)
	}
	if _, err := f.dir.SetActive(f.ctx, admin, f.owner.ID, false); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("admin deactivates an owner: %v", err)
	}
	if _, err := f.dir.Add(f.ctx, admin, people.Input{Email: "x@example.com", Role: "owner"}); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("admin creates an owner: %v", err)
	}
	var in *people.InputError
	owner := people.ActorOf(f.owner)
	if _, err := f.dir.Edit(f.ctx, owner, f.owner.ID, people.Input{Email: f.owner.Email, Role: "admin"}); !errors.As(err, &in) {
		t.Fatalf("the last owner demoted themselves: %v", err)
	}
	if _, err := f.dir.SetActive(f.ctx, owner, f.owner.ID, false); !errors.As(err, &in) {
		t.Fatalf("the last owner deactivated themselves: %v", err)
	}
	second, err := f.dir.Add(f.ctx, owner, people.Input{Email: "second@example.com", Role: "owner"})
	must(t, err)
	if _, err := f.dir.Edit(f.ctx, owner, f.owner.ID, people.Input{Email: f.owner.Email, Role: "admin"}); err != nil {
		t.Fatalf("with a second owner, the first cannot step down: %v", err)
	}
	if second.Role != store.RoleOwner || f.person(f.owner.Email).Role != store.RoleAdmin {
		t.Fatal("roles not saved")
	}
}

func otherOrgNotFound(t *testing.T, st *store.Store) {
	a, b := newOrg(t, st), newOrg(t, st)
	p, err := a.dir.Add(a.ctx, a.as(store.RoleOwner), people.Input{Email: "ada@example.com"})
	must(t, err)
	owner := b.as(store.RoleOwner)
	if _, err := b.dir.Edit(b.ctx, owner, p.ID, people.Input{Email: "evil@example.com"}); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("org B edits org A's person: %v", err)
	}
	if _, err := b.dir.SetService(b.ctx, owner, p.ID, false); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("org B switches org A's person: %v", err)
	}
	if _, err := b.dir.SetActive(b.ctx, owner, p.ID, false); !errors.Is(err, people.ErrNotFound) {
		t.Fatalf("org B deactivates org A's person: %v", err)
	}
	if got := a.person("ada@example.com"); !got.Active || !got.ZoomEnabled || got.Email != "ada@example.com" {
		t.Fatalf("org A's person changed: %+v", got)
	}
}
