package people

import (
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// The whole table, written out by hand: changing who may do what must change
// this test and docs/access-levels.md together.
func TestCanTable(t *testing.T) {
	t.Parallel()
	//                      Owner  Admin  Exec   Mgr    Member
	want := map[Action][5]bool{
		ViewOwnTimeline:    {true, true, true, true, true},
		ConnectOwnZoom:     {true, true, true, true, true},
		ViewTeam:           {true, true, true, true, false},
		ExportActivities:   {true, true, true, true, false},
		ViewIntegration:    {true, true, true, false, false},
		SwitchService:      {true, true, true, false, false},
		ManagePeople:       {true, true, false, false, false},
		ImportPeople:       {true, true, false, false, false},
		SwitchFeatures:     {true, true, false, false, false},
		ManageConnections:  {true, true, false, false, false},
		SyncNow:            {true, true, false, false, false},
		ViewAuditLog:       {true, true, false, false, false},
		ManageAPIKeys:      {true, true, false, false, false},
		ManageOrganization: {true, false, false, false, false},
	}
	if len(want) != len(Actions) {
		t.Fatalf("the test covers %d actions, the package lists %d", len(want), len(Actions))
	}
	for _, a := range Actions {
		for i, role := range store.Roles {
			if got := Can(role, a); got != want[a][i] {
				t.Errorf("Can(%s, %s) = %v, want %v", role, a, got, want[a][i])
			}
		}
	}
	for _, bad := range []string{"", "root", "Owner", "superuser"} {
		if Can(bad, ViewOwnTimeline) {
			t.Errorf("unknown access level %q may act", bad)
		}
	}
	if Can(store.RoleOwner, Action("delete_everything")) {
		t.Error("an unknown action is allowed")
	}
}

func TestCanSwitchServiceIsOwnerAdminExecutive(t *testing.T) {
	t.Parallel()
	want := map[string]bool{store.RoleOwner: true, store.RoleAdmin: true, store.RoleExecutive: true, store.RoleManager: false, store.RoleMember: false}
	for role, ok := range want {
		if CanSwitchService(role) != ok {
			t.Errorf("CanSwitchService(%s) = %v, want %v", role, !ok, ok)
		}
	}
}

func TestCanView(t *testing.T) {
	t.Parallel()
	sales := store.Person{ID: 10, OrgID: 1, Team: "Sales"}
	support := store.Person{ID: 11, OrgID: 1, Team: "Support"}
	elsewhere := store.Person{ID: 12, OrgID: 2, Team: "Sales"}
	cases := []struct {
		name   string
		actor  Actor
		target store.Person
		want   bool
	}{
		{"member sees self", Actor{OrgID: 1, Role: store.RoleMember, PersonID: 10}, sales, true},
		{"member not others", Actor{OrgID: 1, Role: store.RoleMember, PersonID: 99, Team: "Sales"}, sales, false},
		{"manager own team, any case", Actor{OrgID: 1, Role: store.RoleManager, PersonID: 99, Team: "sales"}, sales, true},
		{"manager not other team", Actor{OrgID: 1, Role: store.RoleManager, PersonID: 99, Team: "Sales"}, support, false},
		{"manager without team sees only self", Actor{OrgID: 1, Role: store.RoleManager, PersonID: 99}, store.Person{ID: 13, OrgID: 1}, false},
		{"executive everyone", Actor{OrgID: 1, Role: store.RoleExecutive, PersonID: 99}, support, true},
		{"owner not another org", Actor{OrgID: 1, Role: store.RoleOwner, PersonID: 99}, elsewhere, false},
		{"self id in another org", Actor{OrgID: 1, Role: store.RoleMember, PersonID: 12}, elsewhere, false},
	}
	for _, c := range cases {
		if got := CanView(c.actor, c.target); got != c.want {
			t.Errorf("%s: CanView = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOnlyOwnersMakeOrChangeOwners(t *testing.T) {
	t.Parallel()
	cases := []struct {
		actor, from, to string
		want            bool
	}{
		{store.RoleOwner, store.RoleMember, store.RoleOwner, true},
		{store.RoleOwner, store.RoleOwner, store.RoleMember, true},
		{store.RoleAdmin, store.RoleMember, store.RoleAdmin, true},
		{store.RoleAdmin, store.RoleMember, store.RoleOwner, false},
		{store.RoleAdmin, store.RoleOwner, store.RoleAdmin, false},
		{store.RoleAdmin, store.RoleMember, "boss", false},
		{store.RoleExecutive, store.RoleMember, store.RoleManager, false},
	}
	for _, c := range cases {
		if got := CanAssignRole(c.actor, c.from, c.to); got != c.want {
			t.Errorf("CanAssignRole(%s, %s→%s) = %v, want %v", c.actor, c.from, c.to, got, c.want)
		}
	}
	owner := store.Person{ID: 1, OrgID: 1, Role: store.RoleOwner}
	if CanManage(Actor{OrgID: 1, Role: store.RoleAdmin}, owner) {
		t.Error("an admin may edit an owner")
	}
	if !CanManage(Actor{OrgID: 1, Role: store.RoleOwner}, owner) {
		t.Error("an owner may not edit another owner")
	}
	if CanManage(Actor{OrgID: 2, Role: store.RoleOwner}, store.Person{ID: 3, OrgID: 1}) {
		t.Error("an owner manages a person of another organization")
	}
}

func TestParseRole(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Owner": "owner", " EXECUTIVE ": "executive", "member": "member"} {
		if got, ok := ParseRole(in); !ok || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "boss", "admins"} {
		if _, ok := ParseRole(in); ok {
			t.Errorf("ParseRole(%q) accepted", in)
		}
	}
	if RoleLabel(store.RoleExecutive) != "Executive" {
		t.Error(RoleLabel(store.RoleExecutive))
	}
}
