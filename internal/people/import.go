package people

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// ImportResult counts what a good file did.
type ImportResult struct {
	Created, Updated, Unchanged int
	Deactivated                 int   // lines of deactivated people: updated, left deactivated
	Remapped                    int64 // Zoom users whose person changed
}

// Import reads a directory file (columns email, name, team, access level;
// header row required) into the actor's organization. A person whose email
// is already in the directory is updated, not duplicated.
//
// It is all or nothing: a file with any bad line returns an *ImportError
// listing every bad line with its number and reason, and nothing of the
// file is imported. A good file is written in one transaction with its audit
// entry and the re-mapping of Zoom users by email.
func (d *Directory) Import(ctx context.Context, actor Actor, r io.Reader) (ImportResult, error) {
	if !Can(actor.Role, ImportPeople) {
		return ImportResult{}, ErrForbidden
	}
	rows, bad, fatal := parseCSV(r)
	if fatal {
		return ImportResult{}, report(bad) // the header or the file itself: no line can be read
	}
	now := d.now()
	var res ImportResult
	err := d.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		plan, more, err := planImport(ctx, tx, actor, rows)
		if err != nil {
			return err
		}
		if bad = append(bad, more...); len(bad) > 0 {
			return report(bad)
		}
		if res, err = plan.apply(ctx, tx, now); err != nil {
			return err
		}
		if res.Remapped, err = tx.RemapPeople(ctx, actor.OrgID, now); err != nil {
			return err
		}
		if res.Created+res.Updated == 0 && res.Remapped == 0 {
			return nil // nothing changed, nothing to audit
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: actor.OrgID, Actor: actor.Name, Action: "people.imported", At: now,
			Detail: fmt.Sprintf("%d created, %d updated, %d unchanged; %d Zoom users re-mapped", res.Created, res.Updated, res.Unchanged, res.Remapped)})
	})
	return res, err
}

// importPlan is what a checked file will write.
type importPlan struct {
	create    []store.Person
	update    []store.Person
	unchanged int
	inactive  int
}

// planImport checks each line against the directory (the rules that protect
// Owners) and works out the writes, without writing.
func planImport(ctx context.Context, tx *store.Store, actor Actor, rows []importRow) (importPlan, []RowError, error) {
	var plan importPlan
	var bad []RowError
	all, err := tx.People(ctx, actor.OrgID)
	if err != nil {
		return plan, nil, err
	}
	existing := make(map[string]store.Person, len(all))
	owners := 0
	for _, p := range all {
		existing[store.NormEmail(p.Email)] = p
		if p.Active && p.Role == store.RoleOwner {
			owners++
		}
	}
	ownersAfter, demotions := owners, []RowError{}
	for _, row := range rows {
		old, found := existing[store.NormEmail(row.email)]
		if !found {
			p := store.Person{OrgID: actor.OrgID, Email: row.email, Name: row.name, Team: row.team, Role: row.role}
			if p.Role == "" {
				p.Role = store.RoleMember
			}
			if !CanAssignRole(actor.Role, "", p.Role) {
				bad = append(bad, RowError{Line: row.line, Email: row.email, Reason: "only an owner can grant the owner access level"})
				continue
			}
			if p.Role == store.RoleOwner {
				ownersAfter++
			}
			plan.create = append(plan.create, p)
			continue
		}
		p := merged(old, row)
		if describe(old, p) == "" {
			plan.unchanged++
			if !old.Active {
				plan.inactive++
			}
			continue
		}
		if !CanManage(actor, old) || (old.Role != p.Role && !CanAssignRole(actor.Role, old.Role, p.Role)) {
			reason := "only an owner can change an owner"
			if p.Role == store.RoleOwner {
				reason = "only an owner can grant the owner access level"
			}
			bad = append(bad, RowError{Line: row.line, Email: row.email, Reason: reason})
			continue
		}
		if old.Active && old.Role == store.RoleOwner && p.Role != store.RoleOwner {
			ownersAfter--
			demotions = append(demotions, RowError{Line: row.line, Email: row.email, Reason: "the organization would be left without an active owner"})
		}
		if old.Active && old.Role != store.RoleOwner && p.Role == store.RoleOwner {
			ownersAfter++
		}
		if !old.Active {
			plan.inactive++
		}
		plan.update = append(plan.update, p)
	}
	if owners > 0 && ownersAfter == 0 {
		bad = append(bad, demotions...)
	}
	return plan, bad, nil
}

// merged is old with the line's non-blank cells. The email is the key, so
// the line can only spell it differently (case): the stored spelling stays.
func merged(old store.Person, row importRow) store.Person {
	p := old
	if row.name != "" {
		p.Name = row.name
	}
	if row.team != "" {
		p.Team = row.team
	}
	if row.role != "" {
		p.Role = row.role
	}
	return p
}

func (plan importPlan) apply(ctx context.Context, tx *store.Store, now time.Time) (ImportResult, error) {
	for _, p := range plan.create {
		created, err := tx.CreatePerson(ctx, p, now)
		if err == nil {
			err = publish(ctx, tx, "person.created", created, now)
		}
		if err != nil {
			return ImportResult{}, err
		}
	}
	for _, p := range plan.update {
		err := tx.UpdatePerson(ctx, p, now)
		if err == nil {
			err = publish(ctx, tx, "person.updated", p, now)
		}
		if err != nil {
			return ImportResult{}, err
		}
	}
	return ImportResult{Created: len(plan.create), Updated: len(plan.update), Unchanged: plan.unchanged, Deactivated: plan.inactive}, nil
}
