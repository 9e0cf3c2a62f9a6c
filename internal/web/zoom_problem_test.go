package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
)

// TestZoomProblemPageInLayout: a problem from Zoom's OAuth callback is shown
// in the app's own layout (header and navigation), with its words, and its
// Back link opens for the viewer: Zoom connections for an Admin, Services
// for a Member (for whom the connections page is refused), the start page
// for a browser signed out.
func TestZoomProblemPageInLayout(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Problem Co")
	back := regexp.MustCompile(`<a class="btn" href="([^"]+)">`)
	for _, tc := range []struct {
		who    string
		c      *client
		layout bool
		want   string
	}{
		{"Admin", g.clients[store.RoleAdmin], true, "/services/zoom/connections"},
		{"Member", g.clients[store.RoleMember], true, "/services"},
		{"signed out", newClient(t, srv.URL()), false, "/"},
	} {
		status, body := tc.c.get(connect.CallbackPath + "?state=not-a-flow&code=abc")
		if status != http.StatusBadRequest || !strings.Contains(body, `data-code="`+connect.CodeFlowExpired+`"`) || !strings.Contains(body, "<h1>This Zoom sign-in has expired</h1>") {
			t.Fatalf("%s: status %d, the problem's words are missing", tc.who, status)
		}
		if !strings.Contains(body, `href="/static/app.css"`) || strings.Contains(body, `<header class="top">`) != tc.layout {
			t.Fatalf("%s: the problem is not in the app's layout (navigation shown: want %v)", tc.who, tc.layout)
		}
		m := back.FindStringSubmatch(body)
		if m == nil || m[1] != tc.want {
			t.Fatalf("%s: Back goes to %v, want %s", tc.who, m, tc.want)
		}
		if s, _ := tc.c.get(m[1]); s != http.StatusOK && !(tc.want == "/" && s == http.StatusSeeOther) {
			t.Fatalf("%s: the Back link answers %d", tc.who, s)
		}
	}
}
