package demo

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// teams the demo's people are spread over.
var teams = []string{"Sales", "Customer Success", "Engineering", "Marketing", "Support"}

// seed creates the organization from the emulated account's users — the
// account owner as zoombridge's Owner, everyone else as people — with one whose
// directory email differs from Zoom's, then connects Zoom at account level
// through the real OAuth redirect flow, which starts the backfill.
func (d *Demo) seed(ctx context.Context) error {
	st := d.Server.Store
	users := d.Sim.Users()
	owner := users[0]
	org, ownerPerson, err := web.Bootstrap(ctx, st, "Acme Corp", owner.Email, d.Pass)
	if err != nil {
		return err
	}
	d.Owner = owner.Email
	for i, u := range users[1:] {
		email := u.Email
		if i == 4 {
			// A directory email Zoom does not know: the Users tab and the
			// person's troubleshooting show why nothing syncs for them.
			local, domain, _ := strings.Cut(email, "@")
			email = strings.ReplaceAll(local, ".", "_") + ".work@" + domain
		}
		role := store.RoleMember
		switch {
		case i == 0:
			role = store.RoleAdmin
		case i == 1:
			role = store.RoleExecutive
		case i == 2:
			role = store.RoleManager
		}
		// Sign-in only for one person per access level: bcrypt is slow on purpose.
		password := ""
		if role != store.RoleMember || i == 3 {
			password = d.Pass
			d.Others = append(d.Others, people.RoleLabel(role)+": "+email)
		}
		if _, err := web.AddMember(ctx, st, org.ID, people.Input{Email: email, Name: u.FirstName + " " + u.LastName, Team: teams[i%len(teams)], Role: role}, password); err != nil {
			return fmt.Errorf("adding %s: %w", email, err)
		}
	}
	if err := d.connect(ctx, org.ID, ownerPerson.AccountID); err != nil {
		return err
	}
	return d.seedSales(ctx, org.ID)
}

// connect walks the OAuth flow as a browser would: zoombridge's authorize
// redirect, the emulator's consent (auto-approved), the callback.
func (d *Demo) connect(ctx context.Context, orgID, accountID int64) error {
	authURL, err := d.Server.Connect.StartAccountOAuth(ctx, orgID, accountID)
	if err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Jar: jar}).Do(req)
	if err != nil {
		return fmt.Errorf("OAuth flow: %w", err)
	}
	resp.Body.Close()
	conns, err := d.Server.Store.Connections(ctx, orgID)
	if err != nil {
		return err
	}
	if len(conns) == 0 {
		return fmt.Errorf("OAuth flow ended at %s without a connection (HTTP %d)", resp.Request.URL.Path, resp.StatusCode)
	}
	return nil
}
