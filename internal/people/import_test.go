package people_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

func importBadFile(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	_, err := f.dir.Add(f.ctx, f.as(store.RoleOwner), people.Input{Email: "bob@example.com", Name: "Bob", Team: "Sales"})
	must(t, err)
	before, audits, mapping := f.people(), len(f.audit()), f.mapping()
	file := "email,name,team,access level\n" +
		"ada@example.com,Ada,Eng,admin\n" + // 2: good, and would map zu-ada
		"bob@example.com,Bob,Support,member\n" + // 3: good, would update bob
		"not-an-email,X,Eng,member\n" + // 4
		"carol@example.com,Carol,Eng,Superhero\n" + // 5
		"Ada@Example.com,Ada 2,Eng,member\n" + // 6
		"dan@example.com,Dan,Eng\n" // 7
	_, err = f.dir.Import(f.ctx, f.as(store.RoleAdmin), strings.NewReader(file))
	var ie *people.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("a bad file gave %v", err)
	}
	want := []struct {
		line   int
		reason string
	}{{4, "not an email address"}, {5, "unknown access level"}, {6, "duplicate email"}, {7, "missing column"}}
	if len(ie.Rows) != len(want) {
		t.Fatalf("report %+v, want %d lines", ie.Rows, len(want))
	}
	for i, w := range want {
		if ie.Rows[i].Line != w.line || !strings.Contains(ie.Rows[i].Reason, w.reason) {
			t.Errorf("report line %d: %+v, want line %d %q", i, ie.Rows[i], w.line, w.reason)
		}
	}
	after := f.people()
	if !slices.Equal(after, before) {
		t.Fatalf("a bad file changed the directory:\nbefore %+v\nafter  %+v", before, after)
	}
	if len(f.audit()) != audits {
		t.Fatal("a bad file wrote an audit entry")
	}
	if m := f.mapping(); m["zu-ada"] != mapping["zu-ada"] {
		t.Fatalf("a bad file re-mapped: %v", m)
	}
	if _, err := f.dir.Import(f.ctx, f.as(store.RoleExecutive), strings.NewReader("email,name,team,access level\n")); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("an executive imports: %v", err)
	}
}

func importGoodFile(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	_, err := f.dir.Add(f.ctx, f.as(store.RoleOwner), people.Input{Email: "Bob@Example.com", Name: "Bob", Team: "Sales", Role: "manager"})
	must(t, err)
	if m := f.mapping(); m["zu-ada"] != "" || m["zu-carol"] != "" {
		t.Fatalf("mapped before import: %v", m)
	}
	file := "email,name,team,access level\n" +
		"ada@example.com,Ada,Eng,Admin\n" +
		"bob@example.com,,Support,\n" + // existing: blank name and level keep what is stored
		"CAROL@example.com,Carol,Eng,executive\n" +
		"dan@example.com,Dan,Eng,member\n"
	res, err := f.dir.Import(f.ctx, f.as(store.RoleAdmin), strings.NewReader(file))
	must(t, err)
	if res.Created != 3 || res.Updated != 1 || res.Unchanged != 0 || res.Remapped != 2 {
		t.Fatalf("result %+v", res)
	}
	if n := len(f.people()); n != 5 {
		t.Fatalf("%d people, want owner + bob + 3 new (bob not duplicated)", n)
	}
	bob := f.person("bob@example.com")
	if bob.Email != "Bob@Example.com" || bob.Name != "Bob" || bob.Team != "Support" || bob.Role != store.RoleManager {
		t.Fatalf("bob after import %+v", bob)
	}
	if r := f.person("ada@example.com").Role; r != store.RoleAdmin {
		t.Fatalf("ada's level %q", r)
	}
	m := f.mapping()
	if m["zu-ada"] != "ada@example.com" || m["zu-bob"] != "Bob@Example.com" || m["zu-carol"] != "CAROL@example.com" {
		t.Fatalf("mapping after import %v", m)
	}
	if e := f.audit()[0]; e.Action != "people.imported" || !strings.Contains(e.Detail, "3 created, 1 updated") {
		t.Fatalf("audit %+v", e)
	}
	// The same file again changes nothing, and audits nothing.
	audits := len(f.audit())
	res, err = f.dir.Import(f.ctx, f.as(store.RoleAdmin), strings.NewReader(file))
	must(t, err)
	if res.Created != 0 || res.Updated != 0 || res.Unchanged != 4 || res.Remapped != 0 || len(f.audit()) != audits {
		t.Fatalf("second import %+v, %d audit entries (was %d)", res, len(f.audit()), audits)
	}
}

func importOwnerRules(t *testing.T, st *store.Store) {
	f := newOrg(t, st)
	file := "email,name,team,access level\n" +
		"ada@example.com,Ada,Eng,owner\n" + // 2: an admin cannot grant owner
		"owner@example.com,Olive,Board,\n" + // 3: an admin cannot change an owner
		"bob@example.com,Bob,Eng,member\n" // 4: fine
	_, err := f.dir.Import(f.ctx, f.as(store.RoleAdmin), strings.NewReader(file))
	var ie *people.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 2 || ie.Rows[0].Line != 2 || ie.Rows[1].Line != 3 {
		t.Fatalf("admin import with owner lines: %v %+v", err, ie)
	}
	// The owner demoting the only owner is refused on that line.
	_, err = f.dir.Import(f.ctx, people.ActorOf(f.owner), strings.NewReader("email,name,team,role\nowner@example.com,,,admin\n"))
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || !strings.Contains(ie.Rows[0].Reason, "without an active owner") {
		t.Fatalf("demoting the last owner by import: %v", err)
	}
	// An unchanged owner line is fine for an admin.
	if _, err := f.dir.Import(f.ctx, f.as(store.RoleAdmin), strings.NewReader("email,name,team,role\nOWNER@example.com,Olive,,\n")); err != nil {
		t.Fatalf("an unchanged owner line: %v", err)
	}
}
