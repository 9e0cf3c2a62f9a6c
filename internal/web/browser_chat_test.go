package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// In Chromium, an Admin switches the chat bot's Phone off on the Features
// tab and it stays off; the Teams page shows the endpoint to register and
// links a tenant through its form.
func TestBrowserChatPages(t *testing.T) {
	requireBrowser(t)
	srv := startServer(t, "ZOOMBRIDGE_TEAMS_APP_ID=11111111-2222-3333-4444-555555555555", "ZOOMBRIDGE_PUBLIC_URL=https://zoombridge.example")
	g := newOrg(t, srv, "Browser Chat")
	admin := newTab(t, srv.URL())
	admin.signIn(g.people["admin"].Email, testPassword)

	admin.open("/services/zoom/features")
	admin.follow(`button[data-chat-feature="phone"]`)
	if got := admin.text(`button[data-chat-feature="phone"] .switch-text`); got != "Off" {
		t.Fatalf("chat Phone switch shows %q after switching off", got)
	}
	if got := admin.text(`button[data-chat-feature="meetings"] .switch-text`); got != "On" {
		t.Fatalf("chat Meetings switch shows %q", got)
	}
	admin.screenshot("chat-features")
	if cs, _ := srv.Store.ChatSettings(context.Background(), g.o.ID); cs.Phone {
		t.Fatal("the switch shows Off but the bot still offers Phone")
	}

	admin.open("/services/chat")
	if page := admin.text("main"); !strings.Contains(page, "https://zoombridge.example/chat/teams/messages") {
		t.Fatalf("the Teams page does not show the messaging endpoint:\n%s", page)
	}
	tenant := "72f988bf-86f1-41af-91ab-2d7cd011db47"
	admin.do("type the tenant", chromedp.SendKeys(chromedp.CSS(`input[name="tenant"]`), tenant, chromedp.NodeVisible))
	admin.follow(`form[action="/services/chat/tenants"] button.btn-primary`)
	admin.screenshot("chat-teams")
	if page := admin.text("main"); !strings.Contains(page, tenant) {
		t.Fatalf("the linked tenant is not listed:\n%s", page)
	}
	if org, err := srv.Store.ChatTenantOrg(context.Background(), "teams", tenant); err != nil || org != g.o.ID {
		t.Fatalf("tenant linked to %d (%v)", org, err)
	}
}
