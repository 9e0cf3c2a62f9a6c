package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The Features tab carries the chat switches: an Admin switches Phone off
// (recorded in the audit log), a Manager may not, and a form without its
// token changes nothing. The Teams page says what to register where, links
// a tenant, and offers the app package with a manifest naming the bot.
func TestChatAdminPages(t *testing.T) {
	srv := startServer(t, "ZOOMBRIDGE_TEAMS_APP_ID=11111111-2222-3333-4444-555555555555", "ZOOMBRIDGE_TEAMS_APP_PASSWORD=s3cret",
		"ZOOMBRIDGE_PUBLIC_URL=https://zoombridge.example")
	g := newOrg(t, srv, "Chat Co")
	admin, manager := g.clients["admin"], g.clients["manager"]
	ctx := context.Background()

	if s, body := admin.get("/services/zoom/features"); s != http.StatusOK || !strings.Contains(body, `data-chat-feature="phone"`) {
		t.Fatalf("features tab: %d, chat switches missing", s)
	}
	off := func() url.Values { return url.Values{"feature": {"phone"}, "on": {"0"}} } // post adds the token to the form
	if s, _ := manager.post("/services/chat/features", off()); s != http.StatusForbidden {
		t.Fatalf("a Manager switched a chat feature: %d", s)
	}
	if s, _ := admin.postRaw("/services/chat/features", off()); s == http.StatusSeeOther {
		t.Fatal("a chat switch without its form token went through")
	}
	if cs, _ := srv.Store.ChatSettings(ctx, g.o.ID); !cs.Phone {
		t.Fatal("a refused form switched Phone off")
	}
	if s, _ := admin.post("/services/chat/features", off()); s != http.StatusSeeOther {
		t.Fatalf("the Admin's switch: %d", s)
	}
	if cs, _ := srv.Store.ChatSettings(ctx, g.o.ID); cs.Phone || !cs.Meetings || !cs.Whiteboard {
		t.Fatalf("after switching Phone off: %+v", cs)
	}
	if _, body := admin.get("/audit"); !strings.Contains(body, "chat Phone off") {
		t.Fatal("the switch is not in the audit log")
	}

	s, page := admin.get("/services/chat")
	if s != http.StatusOK || !strings.Contains(page, "https://zoombridge.example/chat/teams/messages") || !strings.Contains(page, "Single Tenant") {
		t.Fatalf("Teams page: %d", s)
	}
	tenant := "72f988bf-86f1-41af-91ab-2d7cd011db47"
	if s, _ := admin.post("/services/chat/tenants", url.Values{"tenant": {"not a tenant"}}); s != http.StatusBadRequest {
		t.Fatalf("a malformed tenant: %d", s)
	}
	if s, _ := admin.post("/services/chat/tenants", url.Values{"tenant": {tenant}}); s != http.StatusSeeOther {
		t.Fatalf("linking a tenant: %d", s)
	}
	if org, err := srv.Store.ChatTenantOrg(ctx, "teams", tenant); err != nil || org != g.o.ID {
		t.Fatalf("tenant linked to %d (%v), want %d", org, err, g.o.ID)
	}

	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/services/chat/teams-app.zip", nil)
	status, body := admin.do(req)
	if status != http.StatusOK {
		t.Fatalf("package: %d", status)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		names[f.Name] = string(b)
	}
	if !strings.Contains(names["manifest.json"], `"botId": "11111111-2222-3333-4444-555555555555"`) || names["color.png"] == "" || names["outline.png"] == "" {
		t.Fatalf("package holds %v", len(names))
	}
	if strings.Contains(names["manifest.json"], "s3cret") {
		t.Fatal("the package leaks the app password")
	}
}
