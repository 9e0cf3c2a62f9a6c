package zoomsim

import (
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Zoom sends app_deauthorized once per app installation: a user who
// authorized three times (three grants of one installation) and then removes
// the app, or whose token the app revokes, yields one event, and every grant
// of the installation dies.
func TestDeauthorizationOncePerInstallation(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"removed in the Marketplace", "revoked by the app"} {
		s := startSim(t, Options{Seed: 1, AutoApprove: true})
		rc, srv := newReceiver(t, s)
		if err := s.SetWebhookURL(srv.URL); err != nil {
			t.Fatal(err)
		}
		toks := []tokenResponse{userToken(t, s), userToken(t, s), userToken(t, s)}
		before := len(rc.got())
		if how == "removed in the Marketplace" {
			if err := s.RevokeUser(s.Users()[0].ID); err != nil {
				t.Fatal(err)
			}
		} else {
			o := s.Options()
			if status, b := postForm(t, s.URL()+"/oauth/revoke", o.ClientID, o.ClientSecret, url.Values{"token": {toks[1].RefreshToken}}); status != 200 {
				t.Fatalf("revoke: %d %s", status, b)
			}
		}
		count := func() int {
			n := 0
			for _, d := range rc.got()[before:] {
				if strings.Contains(string(d.Body), `"app_deauthorized"`) {
					n++
				}
			}
			return n
		}
		// The app's revoke delivers in the background: wait for the first
		// event, then give a second one (the bug) the same time to show.
		start := time.Now()
		for deadline := start.Add(10 * time.Second); count() == 0 && time.Now().Before(deadline); {
			runtime.Gosched()
		}
		for settle := time.Now().Add(time.Since(start) + 50*time.Millisecond); time.Now().Before(settle); {
			runtime.Gosched()
		}
		if n := count(); n != 1 {
			t.Fatalf("%s: %d app_deauthorized for one installation, want 1", how, n)
		}
		for i, tok := range toks {
			if status, _, b := call(t, s, tok.AccessToken, "GET", "/v2/users/me", nil); status != 401 {
				t.Fatalf("%s: grant %d still works: %d %s", how, i, status, b)
			}
		}
	}
}
