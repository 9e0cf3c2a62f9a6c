package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// viewer is who is asking: the signed-in account, the organization the
// session views and the person the account is there. The organization comes
// from the session and a membership check, never from the URL.
type viewer struct {
	ses  store.Session
	acct store.Account
	org  store.Organization
	me   store.Person
	orgs []orgChoice // every organization the account belongs to, for the switcher
	tz   *time.Location
}

// orgChoice is one organization of the switcher.
type orgChoice struct {
	Org     store.Organization
	Role    string
	Current bool
}

var errNoMembership = errors.New("no active membership")

// viewer loads who is asking; store.ErrNotFound means not signed in, and
// errNoMembership a signed-in account that belongs to no organization.
func (a *App) viewer(r *http.Request) (*viewer, error) {
	ctx := r.Context()
	ses, err := a.session(r)
	if err != nil {
		return nil, err
	}
	v := &viewer{ses: ses, tz: time.UTC}
	if v.acct, err = a.st.AccountByID(ctx, ses.AccountID); err != nil {
		return nil, err
	}
	members, err := a.st.PeopleOfAccount(ctx, ses.AccountID)
	if err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return v, errNoMembership
	}
	v.me = members[0]
	for _, p := range members {
		if p.OrgID == ses.OrgID {
			v.me = p
		}
	}
	if v.me.OrgID != ses.OrgID {
		// The session's organization is gone or the membership was revoked:
		// fall back to one the account still belongs to.
		if err := a.st.SetSessionOrg(ctx, ses.TokenHash, v.me.OrgID); err != nil {
			return nil, err
		}
		v.ses.OrgID = v.me.OrgID
	}
	for _, p := range members {
		o, err := a.st.OrganizationByID(ctx, p.OrgID)
		if err != nil {
			return nil, err
		}
		v.orgs = append(v.orgs, orgChoice{Org: o, Role: p.Role, Current: p.OrgID == v.me.OrgID})
		if p.OrgID == v.me.OrgID {
			v.org = o
		}
	}
	if name, err := a.st.OrgTimezone(ctx, v.org.ID); err == nil {
		if loc, err := time.LoadLocation(name); err == nil {
			v.tz = loc
		}
	}
	return v, nil
}

// can reports whether the viewer's access level allows an action.
func (v *viewer) can(act people.Action) bool { return people.Can(v.me.Role, act) }

// actor is the viewer as internal/people sees them.
func (v *viewer) actor() people.Actor { return people.ActorOf(v.me) }

// auditName is how the audit log names the viewer.
func (v *viewer) auditName() string { return fmt.Sprintf("account:%d", v.acct.ID) }

// canView reports whether the viewer may see a person's activity.
func (v *viewer) canView(p store.Person) bool { return people.CanView(v.actor(), p) }

// person loads a person of the viewer's organization that the viewer may
// see; anyone else, including every person of other organizations, is 404.
func (a *App) person(r *http.Request, v *viewer, id int64) (store.Person, error) {
	p, err := a.st.PersonByID(r.Context(), v.org.ID, id)
	if err != nil {
		return p, err
	}
	if !v.canView(p) {
		return p, errNotFound
	}
	return p, nil
}
