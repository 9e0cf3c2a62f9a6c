package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// importCSV posts a directory file through the import form.
func importCSV(c *client, name, content string) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/people/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// TestPeoplePages: an Admin adds a person, is told why a bad email is
// refused, imports a file (a bad one imports nothing and lists each bad
// line), and lets a person sign in; the person then signs in.
func TestPeoplePages(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "People Co")
	admin := g.clients[store.RoleAdmin]
	ctx := context.Background()

	if s, body := admin.post("/people", url.Values{"email": {"not an email"}, "name": {"Nobody"}}); s != http.StatusBadRequest || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("a bad email: %d, field marked %v", s, strings.Contains(body, "aria-invalid"))
	}
	if s, _ := admin.post("/people", url.Values{"email": {"Dana@PeopleCo.example"}, "name": {"Dana"}, "team": {"Sales"}, "role": {"manager"}}); s != http.StatusSeeOther {
		t.Fatalf("add a person: %d", s)
	}
	dana, err := srv.Store.PersonByEmail(ctx, g.o.ID, "dana@peopleco.example")
	if err != nil || dana.Role != store.RoleManager || dana.Team != "Sales" {
		t.Fatalf("added person %+v %v", dana, err)
	}
	// Only an Owner makes Owners: the server refuses an Admin's forged form.
	if s, _ := admin.post("/people", url.Values{"email": {"x@peopleco.example"}, "role": {"owner"}}); s != http.StatusForbidden {
		t.Fatalf("an Admin making an Owner: %d, want 403", s)
	}

	bad := "email,name,team,access level\nok@peopleco.example,OK,Sales,Member\nbroken,Broken,Sales,Member\nlevel@peopleco.example,Level,Sales,Wizard\n"
	s, body := importCSV(admin, "bad.csv", bad)
	if s != http.StatusBadRequest || !strings.Contains(body, "Nothing was imported") || !strings.Contains(body, "<td>3</td>") || !strings.Contains(body, "<td>4</td>") {
		t.Fatalf("a bad file: %d, report lacks its lines 3 and 4", s)
	}
	if _, err := srv.Store.PersonByEmail(ctx, g.o.ID, "ok@peopleco.example"); err == nil {
		t.Fatal("a bad file half-imported its good line")
	}
	s, body = importCSV(admin, "good.csv", "email,name,team,access level\nok@peopleco.example,OK,Sales,Member\ndana@peopleco.example,Dana D,Sales,\n")
	if s != http.StatusOK || !strings.Contains(body, "1 added, 1 updated") {
		t.Fatalf("a good file: %d\n%s", s, excerpt(body))
	}

	if s, _ := admin.post("/people/"+itoa(dana.ID)+"/signin", url.Values{"password": {"dana's first password"}}); s != http.StatusSeeOther {
		t.Fatalf("allow sign-in: %d", s)
	}
	c := newClient(t, srv.URL())
	c.signIn("dana@peopleco.example", "dana's first password")
	if s, _ := c.get("/team"); s != http.StatusOK {
		t.Fatalf("Dana, a Manager, on /team: %d", s)
	}
}
