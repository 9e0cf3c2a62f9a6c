// Package people is an organization's directory (features P1, P3): adding,
// editing, deactivating and importing people, their access levels and their
// Zoom service switch, with the rules of who may do what.
//
// Every change runs in one transaction with its audit entry, and every change
// that can move a Zoom user from one person to another re-maps by email
// before it commits, so the Users tab and the timeline never see a half state.
package people

import (
	"errors"
	"fmt"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Errors a caller can tell apart; the web UI maps ErrForbidden to 403 and
// ErrNotFound to 404, and shows an *InputError's message beside its field.
var (
	ErrForbidden = errors.New("not allowed for your access level")
	ErrNotFound  = store.ErrNotFound
)

// InputError is a value a person typed that cannot be saved. Its message is
// safe to show.
type InputError struct {
	Field  string // email, name, team, access_level
	Reason string
	Err    error // store.ErrConflict when the value is taken; nil otherwise
}

func (e *InputError) Error() string { return e.Field + ": " + e.Reason }

func (e *InputError) Unwrap() error { return e.Err }

// Actor is who makes a change: the organization they act in, their access
// level there, and the name the audit log records. Every operation is scoped
// to Actor.OrgID, so a person of another organization is simply not found.
type Actor struct {
	OrgID    int64
	Name     string // audit actor: "account:<id>", "person:<id>", "system"
	Role     string // their access level in OrgID
	PersonID int64  // 0 for the system
	Team     string // for a Manager's team scope
}

// ActorOf is the actor for a person of the directory acting in their organization.
func ActorOf(p store.Person) Actor {
	name := fmt.Sprintf("person:%d", p.ID)
	if p.AccountID != 0 {
		name = fmt.Sprintf("account:%d", p.AccountID)
	}
	return Actor{OrgID: p.OrgID, Name: name, Role: p.Role, PersonID: p.ID, Team: p.Team}
}

// System is zoombridge itself acting in an organization (seeding, the demo,
// first owner): it may do anything an Owner may.
func System(orgID int64) Actor {
	return Actor{OrgID: orgID, Name: "system", Role: store.RoleOwner}
}

// Directory changes people. Now is the clock (time.Now when nil).
type Directory struct {
	Store *store.Store
	Now   func() time.Time
}

// New returns a Directory over st.
func New(st *store.Store, now func() time.Time) *Directory {
	if now == nil {
		now = time.Now
	}
	return &Directory{Store: st, Now: now}
}

func (d *Directory) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}
