package web

import (
	"database/sql"
	_ "embed" // zones.txt
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// accountRow is one organization of Accounts → Services, for people who
// administer several: its Zoom state at a glance and a way in.
type accountRow struct {
	Org         store.Organization
	Role        string
	Current     bool
	Connections int
	Attention   int // connections that need reconnecting
	CanZoom     bool
}

type accountsData struct {
	Rows     []accountRow
	TZ       string
	CanTZ    bool
	Zones    []zoneOption
	OrgName  string
	Email    string
	OrgCount int
}

// zoneNames are the IANA zones the picker offers (any valid name may still
// be typed): embedded, so the list does not depend on the host's tzdata.
//
//go:embed zones.txt
var zonesTxt string

type zoneOption struct{ Name, Label string }

// zoneOptions lists the zones with their offset now: "Europe/Berlin (UTC+01:00)".
func zoneOptions(now time.Time) []zoneOption {
	var out []zoneOption
	for _, name := range strings.Split(zonesTxt, "\n") {
		if name = strings.TrimSpace(name); name == "" || strings.HasPrefix(name, "#") {
			continue
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue
		}
		out = append(out, zoneOption{Name: name, Label: name + " (UTC" + now.In(loc).Format("-07:00") + ")"})
	}
	return out
}

// accounts lists the organizations the account belongs to (Accounts →
// Services): a multi-organization admin manages Zoom for each from here.
func (a *App) accounts(w http.ResponseWriter, r *http.Request, v *viewer) error {
	d := accountsData{TZ: v.tz.String(), CanTZ: v.can(people.ManageOrganization), Zones: zoneOptions(a.now()), OrgName: v.org.Name, Email: v.acct.Email, OrgCount: len(v.orgs)}
	for _, o := range v.orgs {
		row := accountRow{Org: o.Org, Role: o.Role, Current: o.Current, CanZoom: people.Can(o.Role, people.ViewIntegration)}
		if row.CanZoom {
			// Counted only where the account may see the integration page anyway.
			conns, err := a.st.Connections(r.Context(), o.Org.ID)
			if err != nil {
				return err
			}
			row.Connections = len(conns)
			for _, c := range conns {
				if c.Status == store.StatusNeedsReconnect {
					row.Attention++
				}
			}
		}
		d.Rows = append(d.Rows, row)
	}
	a.render(w, r, v, http.StatusOK, "accounts", page{Title: "Accounts", Section: "accounts", Data: d})
	return nil
}

// switchOrg changes the organization the session views, after checking the
// account is an active member of it; next is where to go in it.
func (a *App) switchOrg(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := strconv.ParseInt(r.PostFormValue("org"), 10, 64)
	if err != nil {
		return errNotFound
	}
	p, err := a.st.Membership(r.Context(), v.acct.ID, id)
	if err != nil {
		return err // not a member: not found, the same as an organization that does not exist
	}
	if err := a.st.SetSessionOrg(r.Context(), v.ses.TokenHash, p.OrgID); err != nil {
		return err
	}
	next := safeNext(r.PostFormValue("next"))
	if strings.HasPrefix(next, "/people/") || strings.HasPrefix(next, "/accounts") {
		next = "/" // ids of the previous organization mean nothing in this one
	}
	o, _ := a.st.OrganizationByID(r.Context(), p.OrgID)
	return a.done(w, r, next, "You are now in "+o.Name+".")
}

// setTimezone sets the zone the organization's timelines are drawn in.
// renameOrg changes the organization's name (Owner); the audit log keeps the old one.
func (a *App) renameOrg(w http.ResponseWriter, r *http.Request, v *viewer) error {
	name := strings.Join(strings.Fields(r.PostFormValue("name")), " ")
	if name == "" || len(name) > 100 {
		return a.done(w, r, "/accounts", "An organization's name is 1 to 100 characters.")
	}
	err := a.st.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.RenameOrganization(r.Context(), v.org.ID, name); err != nil {
			return err
		}
		return tx.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "organization.renamed",
			Target: "organization:" + itoa(v.org.ID), Detail: v.org.Name + " → " + name, At: a.now()})
	})
	if err != nil {
		return err
	}
	return a.done(w, r, "/accounts", "The organization is now called "+name+".")
}

func (a *App) setTimezone(w http.ResponseWriter, r *http.Request, v *viewer) error {
	name := strings.TrimSpace(r.PostFormValue("timezone"))
	if _, err := time.LoadLocation(name); err != nil || name == "" || name == "Local" {
		return a.done(w, r, "/accounts", "Unknown time zone "+strconv.Quote(name)+": use a name such as Europe/Berlin.")
	}
	err := a.st.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.SetOrgTimezone(r.Context(), v.org.ID, name, a.now()); err != nil {
			return err
		}
		return tx.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "organization.timezone", Detail: name, At: a.now()})
	})
	if err != nil {
		return fmt.Errorf("set time zone: %w", err)
	}
	return a.done(w, r, "/accounts", "Timelines are now shown in "+name+".")
}
