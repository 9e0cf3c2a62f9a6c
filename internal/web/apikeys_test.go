package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// TestAPIKeyFromTheUI: an Admin makes a key, sees its secret once, the key
// reads the organization's people, and once revoked it is refused.
func TestAPIKeyFromTheUI(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Keys Co")
	admin := g.clients[store.RoleAdmin]
	status, body := admin.post("/services/api/keys", url.Values{"name": {"CRM sync"}})
	if status != http.StatusOK {
		t.Fatalf("make a key: %d", status)
	}
	m := regexp.MustCompile(`data-copy>(zb_[a-z2-7_]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the new key's secret is not shown")
	}
	key := m[1]
	call := func() int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/v1/people", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := call(); s != http.StatusOK {
		t.Fatalf("the new key gets %d from the API", s)
	}
	_, list := admin.get("/services/api")
	if strings.Contains(list, key) {
		t.Fatal("the key's secret is shown again on the list")
	}
	id := regexp.MustCompile(`/services/api/keys/(\d+)/revoke`).FindStringSubmatch(list)
	if id == nil {
		t.Fatal("no revoke form")
	}
	if s, _ := admin.post("/services/api/keys/"+id[1]+"/revoke", nil); s != http.StatusSeeOther {
		t.Fatalf("revoke: %d", s)
	}
	if s := call(); s != http.StatusUnauthorized {
		t.Fatalf("a revoked key gets %d, want 401", s)
	}
}
