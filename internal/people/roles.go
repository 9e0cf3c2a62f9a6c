package people

import (
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Action is something a person may or may not do in their organization. The
// web UI checks Can on the server before every action; the Directory checks
// again for the actions it performs, so a forgotten check cannot leak.
type Action string

// The actions. docs/access-levels.md has the same table for people to read.
const (
	// Everyone: their own timeline, and connecting their own Zoom account (C2).
	ViewOwnTimeline Action = "view_own_timeline"
	ConnectOwnZoom  Action = "connect_own_zoom"

	// Seeing others. A Manager sees only their own team (see CanView).
	ViewTeam         Action = "view_team"         // Team view, others' timelines, the weekly chart
	ExportActivities Action = "export_activities" // CSV export of the activities one may view

	// The Zoom integration page (Overview, Users) and the per-person switch:
	// the product pages give the switch to Owner, Admin and Executive.
	ViewIntegration Action = "view_integration"
	SwitchService   Action = "switch_service"

	// Administration.
	ManagePeople      Action = "manage_people"      // add, edit, deactivate, change access levels
	ImportPeople      Action = "import_people"      // CSV import
	SwitchFeatures    Action = "switch_features"    // Meetings, Phone, Webinars (P4)
	ManageConnections Action = "manage_connections" // connect, disconnect, reconnect at account level
	SyncNow           Action = "sync_now"           // Sync now and the 30-day sweep
	ViewAuditLog      Action = "view_audit_log"
	ManageAPIKeys     Action = "manage_api_keys"

	// The organization itself (name, deleting it): its owners only.
	ManageOrganization Action = "manage_organization"
)

// Actions lists every action, in the order the table documents them.
var Actions = []Action{ViewOwnTimeline, ConnectOwnZoom, ViewTeam, ExportActivities, ViewIntegration, SwitchService,
	ManagePeople, ImportPeople, SwitchFeatures, ManageConnections, SyncNow, ViewAuditLog, ManageAPIKeys, ManageOrganization}

// minRole is the least powerful access level allowed each action; the levels
// are ordered, so a level may do everything the levels below it may.
var minRole = map[Action]string{
	ViewOwnTimeline:    store.RoleMember,
	ConnectOwnZoom:     store.RoleMember,
	ViewTeam:           store.RoleManager,
	ExportActivities:   store.RoleManager,
	ViewIntegration:    store.RoleExecutive,
	SwitchService:      store.RoleExecutive,
	ManagePeople:       store.RoleAdmin,
	ImportPeople:       store.RoleAdmin,
	SwitchFeatures:     store.RoleAdmin,
	ManageConnections:  store.RoleAdmin,
	SyncNow:            store.RoleAdmin,
	ViewAuditLog:       store.RoleAdmin,
	ManageAPIKeys:      store.RoleAdmin,
	ManageOrganization: store.RoleOwner,
}

// rank is an access level's power: 0 for Owner, growing downwards; -1 when
// the level is unknown.
func rank(role string) int {
	for i, r := range store.Roles {
		if r == role {
			return i
		}
	}
	return -1
}

// Can reports whether an access level may perform an action. Unknown levels
// and unknown actions may do nothing.
func Can(actorRole string, a Action) bool {
	need, ok := minRole[a]
	r := rank(actorRole)
	return ok && r >= 0 && r <= rank(need)
}

// CanSwitchService reports whether an access level may switch a person's Zoom
// service on or off (P3: Owner, Admin and Executive).
func CanSwitchService(actorRole string) bool { return Can(actorRole, SwitchService) }

// CanView reports whether the actor may see target's activity: themselves
// always; Owner, Admin and Executive everyone in the organization; a Manager
// the people of their own team (when they have one).
func CanView(actor Actor, target store.Person) bool {
	switch {
	case target.OrgID != actor.OrgID:
		return false
	case target.ID != 0 && target.ID == actor.PersonID:
		return true
	case !Can(actor.Role, ViewTeam):
		return false
	case actor.Role == store.RoleManager:
		return actor.Team != "" && strings.EqualFold(actor.Team, target.Team)
	}
	return true
}

// CanAssignRole reports whether an access level may give someone the access
// level to, and may change a person who now has the level from. Only an Owner
// makes or changes Owners, so an Admin cannot take over an organization.
func CanAssignRole(actorRole, from, to string) bool {
	if !Can(actorRole, ManagePeople) || rank(to) < 0 {
		return false
	}
	if (from == store.RoleOwner || to == store.RoleOwner) && actorRole != store.RoleOwner {
		return false
	}
	return true
}

// CanManage reports whether the actor may edit or deactivate target: Owners
// are protected from everyone but Owners.
func CanManage(actor Actor, target store.Person) bool {
	if target.OrgID != actor.OrgID || !Can(actor.Role, ManagePeople) {
		return false
	}
	return target.Role != store.RoleOwner || actor.Role == store.RoleOwner
}

// RoleLabel is an access level as people read it ("Executive").
func RoleLabel(role string) string {
	if role == "" {
		return ""
	}
	return strings.ToUpper(role[:1]) + role[1:]
}

// ParseRole reads an access level as typed ("Admin", " EXECUTIVE "); ok is
// false when it is none of store.Roles.
func ParseRole(s string) (role string, ok bool) {
	r := strings.ToLower(strings.TrimSpace(s))
	return r, store.ValidRole(r)
}
