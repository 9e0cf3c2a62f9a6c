package demo

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
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
	org, _, err := web.Bootstrap(ctx, st, "Acme Corp", owner.Email, d.Pass)
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
	if err := d.connect(ctx, org.ID); err != nil {
		return err
	}
	return d.seedSales(ctx, org.ID)
}

// connect walks the OAuth flow as the Owner's browser would: sign in,
// "Connect Zoom" on the integration page, the emulator's consent
// (auto-approved), the callback in the same browser session.
func (d *Demo) connect(ctx context.Context, orgID int64) error {
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar}
	base := d.Server.URL()
	if _, err := postForm(ctx, b, base, "/signin", "/signin", url.Values{"email": {d.Owner}, "password": {d.Pass}}); err != nil {
		return fmt.Errorf("signing in as the Owner: %w", err)
	}
	end, err := postForm(ctx, b, base, "/services/zoom", "/services/zoom/connect", url.Values{})
	if err != nil {
		return fmt.Errorf("OAuth flow: %w", err)
	}
	conns, err := d.Server.Store.Connections(ctx, orgID)
	if err != nil {
		return err
	}
	if len(conns) == 0 {
		return fmt.Errorf("OAuth flow ended at %s without a connection", end)
	}
	return nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// postForm loads page, takes its form token, posts form to action and
// follows the redirects; it returns the path it ends at.
func postForm(ctx context.Context, b *http.Client, base, page, action string, form url.Values) (string, error) {
	body, _, err := get(ctx, b, base+page)
	if err != nil {
		return "", err
	}
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no form token on %s", page)
	}
	form.Set("csrf", html.UnescapeString(m[1]))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+action, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		return "", fmt.Errorf("%s answered HTTP %d at %s", action, resp.StatusCode, resp.Request.URL.Path)
	}
	return resp.Request.URL.Path, nil
}

func get(ctx context.Context, b *http.Client, u string) (string, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", 0, err
	}
	resp, err := b.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return string(body), resp.StatusCode, err
}
