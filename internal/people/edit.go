package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Input is what a person types to add or edit someone. A blank Role means
// Member when adding, and "unchanged" when editing.
type Input struct {
	Email, Name, Team, Role string
}

// maxText bounds names and teams: they are shown in every timeline row.
const maxText = 200

func (in Input) clean() (Input, error) {
	email, reason := checkEmail(in.Email)
	if reason != "" {
		return in, &InputError{Field: "email", Reason: reason}
	}
	out := Input{Email: email, Name: strings.TrimSpace(in.Name), Team: strings.TrimSpace(in.Team)}
	if len(out.Name) > maxText {
		return in, &InputError{Field: "name", Reason: fmt.Sprintf("longer than %d characters", maxText)}
	}
	if len(out.Team) > maxText {
		return in, &InputError{Field: "team", Reason: fmt.Sprintf("longer than %d characters", maxText)}
	}
	if strings.TrimSpace(in.Role) != "" {
		role, ok := ParseRole(in.Role)
		if !ok {
			return in, &InputError{Field: "access_level", Reason: unknownRole(in.Role)}
		}
		out.Role = role
	}
	return out, nil
}

func unknownRole(s string) string {
	return "unknown access level " + quote(strings.TrimSpace(s)) + " (one of " + strings.Join(store.Roles, ", ") + ")"
}

// Add puts a new person in the actor's organization, with the Zoom service on,
// and maps any Zoom user with their email to them.
func (d *Directory) Add(ctx context.Context, actor Actor, in Input) (store.Person, error) {
	if !Can(actor.Role, ManagePeople) {
		return store.Person{}, ErrForbidden
	}
	in, err := in.clean()
	if err != nil {
		return store.Person{}, err
	}
	if in.Role == "" {
		in.Role = store.RoleMember
	}
	if !CanAssignRole(actor.Role, "", in.Role) {
		return store.Person{}, ErrForbidden
	}
	now := d.now()
	var p store.Person
	err = d.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		if err := emailFree(ctx, tx, actor.OrgID, in.Email, 0); err != nil {
			return err
		}
		p, err = tx.CreatePerson(ctx, store.Person{OrgID: actor.OrgID, Email: in.Email, Name: in.Name, Team: in.Team, Role: in.Role}, now)
		if err != nil {
			return err
		}
		return finish(ctx, tx, actor, now, "person.created", p, fmt.Sprintf("%s added as %s", p.Email, RoleLabel(p.Role)), true)
	})
	return p, emailTaken(err)
}

// Edit saves a person's email, name, team and access level. Only Owners edit
// Owners, and an organization's last active Owner keeps that level.
func (d *Directory) Edit(ctx context.Context, actor Actor, personID int64, in Input) (store.Person, error) {
	if !Can(actor.Role, ManagePeople) {
		return store.Person{}, ErrForbidden
	}
	in, err := in.clean()
	if err != nil {
		return store.Person{}, err
	}
	now := d.now()
	var p store.Person
	err = d.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		old, err := tx.PersonByID(ctx, actor.OrgID, personID)
		if err != nil {
			return err
		}
		if !CanManage(actor, old) {
			return ErrForbidden
		}
		p = old
		p.Email, p.Name, p.Team = in.Email, in.Name, in.Team
		if in.Role != "" {
			p.Role = in.Role
		}
		if err := checkChange(ctx, tx, actor, old, p); err != nil {
			return err
		}
		what := describe(old, p)
		if what == "" {
			return nil
		}
		if err := tx.UpdatePerson(ctx, p, now); err != nil {
			return err
		}
		remap := store.NormEmail(old.Email) != store.NormEmail(p.Email)
		return finish(ctx, tx, actor, now, "person.updated", p, p.Email+": "+what, remap)
	})
	return p, emailTaken(err)
}

// emailTaken turns a unique-key conflict (another request added the same
// email between emailFree's check and the write) into the form error the
// check gives.
func emailTaken(err error) error {
	var in *InputError
	if errors.Is(err, store.ErrConflict) && !errors.As(err, &in) {
		return &InputError{Field: "email", Reason: "already in the directory", Err: store.ErrConflict}
	}
	return err
}

// checkChange applies the rules every change to an existing person obeys.
func checkChange(ctx context.Context, tx *store.Store, actor Actor, old, p store.Person) error {
	if old.Role != p.Role && !CanAssignRole(actor.Role, old.Role, p.Role) {
		return ErrForbidden
	}
	if store.NormEmail(old.Email) != store.NormEmail(p.Email) {
		if err := emailFree(ctx, tx, actor.OrgID, p.Email, old.ID); err != nil {
			return err
		}
	}
	losesOwner := old.Role == store.RoleOwner && old.Active && (p.Role != store.RoleOwner || !p.Active)
	if !losesOwner {
		return nil
	}
	n, err := activeOwners(ctx, tx, actor.OrgID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return &InputError{Field: "access_level", Reason: "the organization's last active owner must stay an owner"}
	}
	return nil
}

// SetActive deactivates or reactivates a person. A deactivated person keeps
// their history but is unmapped from Zoom, so nothing new is ingested for them
// and nothing of theirs is shown.
func (d *Directory) SetActive(ctx context.Context, actor Actor, personID int64, active bool) (store.Person, error) {
	if !Can(actor.Role, ManagePeople) {
		return store.Person{}, ErrForbidden
	}
	now := d.now()
	var p store.Person
	err := d.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		old, err := tx.PersonByID(ctx, actor.OrgID, personID)
		if err != nil {
			return err
		}
		if !CanManage(actor, old) {
			return ErrForbidden
		}
		p = old
		if old.Active == active {
			return nil
		}
		p.Active = active
		if err := checkChange(ctx, tx, actor, old, p); err != nil {
			return err
		}
		if err := tx.UpdatePerson(ctx, p, now); err != nil {
			return err
		}
		action := map[bool]string{true: "person.reactivated", false: "person.deactivated"}[active]
		return finish(ctx, tx, actor, now, action, p, p.Email, true)
	})
	return p, err
}

// SetService switches a person's Zoom service (P3). Only Owner, Admin and
// Executive may; switched off, the person's activities are neither ingested
// nor shown.
func (d *Directory) SetService(ctx context.Context, actor Actor, personID int64, on bool) (store.Person, error) {
	if !CanSwitchService(actor.Role) {
		return store.Person{}, ErrForbidden
	}
	now := d.now()
	var p store.Person
	err := d.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		var err error
		p, err = tx.PersonByID(ctx, actor.OrgID, personID)
		if err != nil || p.ZoomEnabled == on {
			return err
		}
		p.ZoomEnabled = on
		if err := tx.UpdatePerson(ctx, p, now); err != nil {
			return err
		}
		return finish(ctx, tx, actor, now, "switch.changed", p, p.Email+": Zoom service "+onOff(on), false)
	})
	return p, err
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// emailFree fails with an InputError when another person of the organization
// (not except) already has the email.
func emailFree(ctx context.Context, tx *store.Store, orgID int64, email string, except int64) error {
	other, err := tx.PersonByEmail(ctx, orgID, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case other.ID == except:
		return nil
	case !other.Active:
		return &InputError{Field: "email", Reason: "belongs to a deactivated person: reactivate them instead", Err: store.ErrConflict}
	}
	return &InputError{Field: "email", Reason: "already in the directory", Err: store.ErrConflict}
}

func activeOwners(ctx context.Context, tx *store.Store, orgID int64) (int, error) {
	all, err := tx.People(ctx, orgID)
	n := 0
	for _, p := range all {
		if p.Active && p.Role == store.RoleOwner {
			n++
		}
	}
	return n, err
}

// describe says what changed between two versions of a person, for the audit log.
func describe(old, p store.Person) string {
	var parts []string
	field := func(name, a, b string) {
		if a != b {
			parts = append(parts, fmt.Sprintf("%s %s → %s", name, quote(a), quote(b)))
		}
	}
	field("email", old.Email, p.Email)
	field("name", old.Name, p.Name)
	field("team", old.Team, p.Team)
	if old.Role != p.Role {
		parts = append(parts, "access level "+RoleLabel(old.Role)+" → "+RoleLabel(p.Role))
	}
	return strings.Join(parts, ", ")
}

// finish writes the audit entry and, when the change can move a Zoom user
// between people, re-maps the organization, all in the caller's transaction.
func finish(ctx context.Context, tx *store.Store, actor Actor, now time.Time, action string, p store.Person, detail string, remap bool) error {
	if remap {
		if _, err := tx.RemapPeople(ctx, actor.OrgID, now); err != nil {
			return err
		}
	}
	if err := tx.Audit(ctx, store.AuditEntry{OrgID: actor.OrgID, Actor: actor.Name, Action: action,
		Target: fmt.Sprintf("person:%d", p.ID), Detail: detail, At: now}); err != nil {
		return err
	}
	return publish(ctx, tx, personEvents[action], p, now)
}

// personEvents are the outbound events of the directory's audited changes.
var personEvents = map[string]string{
	"person.created": "person.created", "person.updated": "person.updated", "switch.changed": "person.updated",
	"person.deactivated": "person.deactivated", "person.reactivated": "person.updated",
}

// publish tells host products of a change to a person, in its transaction.
func publish(ctx context.Context, tx *store.Store, event string, p store.Person, now time.Time) error {
	if event == "" {
		return nil
	}
	if event != "person.created" {
		p.UpdatedAt = now
	}
	return outbound.PublishPerson(ctx, tx, event, p, now)
}
