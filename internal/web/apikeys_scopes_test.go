package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/store"
)

// TestAPIKeyScopesFromTheUI: the scopes chosen on the form are what the key
// may do: without Write it reads only; with it, it adds people.
func TestAPIKeyScopesFromTheUI(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Scopes Co")
	admin := g.clients[store.RoleAdmin]
	mk := func(form url.Values) string { return makeKey(t, admin, form) }
	add := func(key, email string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/v1/people", strings.NewReader(`{"email": "`+email+`"}`))
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := contracttest.Client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	reader := mk(url.Values{"name": {"Analytics"}})
	writer := mk(url.Values{"name": {"CRM"}, "scope": {"read", "write"}})
	if s := add(reader, "r@example.com"); s != http.StatusForbidden {
		t.Fatalf("a key made without Write adds a person: %d", s)
	}
	if s := add(writer, "w@example.com"); s != http.StatusCreated {
		t.Fatalf("a key made with Write cannot add a person: %d", s)
	}
	_, list := admin.get("/services/api")
	if !regexp.MustCompile(`(?s)CRM</strong>.*?read, write`).MatchString(list) || !regexp.MustCompile(`(?s)Analytics</strong>.*?<td data-label="Scopes">read</td>`).MatchString(list) {
		t.Fatal("the list does not show each key's scopes")
	}
	if s, body := admin.post("/services/api/keys", url.Values{"name": {"Odd"}, "scope": {"admin"}}); s != http.StatusBadRequest || !strings.Contains(body, "unknown scope") {
		t.Fatalf("an unknown scope: %d", s)
	}
}
