package web_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// TestBrowserSigninLimitsUnlockResetAndChange: five wrong passwords from one
// address do not lock the person out from another; an Admin unlocks them
// and resets their password to a temporary one that must be changed first;
// changing one's password ends one's other sessions.
func TestBrowserSigninLimitsUnlockResetAndChange(t *testing.T) {
	requireBrowser(t)
	srv := startServerAt(t, nil)
	ctx := context.Background()
	org, _, err := web.Bootstrap(ctx, srv.Store, "Northwind", "owner@northwind.example", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := web.AddMember(ctx, srv.Store, org.ID, people.Input{Email: "admin@northwind.example", Name: "Ada Admin", Role: store.RoleAdmin}, testPassword); err != nil {
		t.Fatal(err)
	}
	const ana, anaPass = "ana@northwind.example", "ana-first-pass"
	anaP, err := web.AddMember(ctx, srv.Store, org.ID, people.Input{Email: ana, Name: "Ana Member"}, anaPass)
	if err != nil {
		t.Fatal(err)
	}
	// The same server on IPv6 loopback: browsers there come from another address (::1).
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatalf("IPv6 loopback: %v", err)
	}
	v6 := &http.Server{Handler: srv.Handler()}
	go v6.Serve(ln)
	t.Cleanup(func() { v6.Close() })
	there := "http://" + ln.Addr().String()

	// Someone at 127.0.0.1 guesses five times; the sixth try, even right, is refused there.
	guesser := newTab(t, srv.URL())
	for i := 0; i < 5; i++ {
		if notice, _ := guesser.trySignIn(ana, "wrong-guess-"+itoa(int64(i))); !strings.Contains(notice, "do not match") {
			t.Fatalf("wrong password %d: %q", i+1, notice)
		}
	}
	if notice, _ := guesser.trySignIn(ana, anaPass); !strings.Contains(notice, "Too many failed sign-ins") {
		t.Fatalf("the pair is not locked after five failures: %q", notice)
	}
	// Ana, at another address, signs in at once.
	anaThere := newTab(t, there)
	anaThere.signIn(ana, anaPass)

	// An Admin unlocks Ana: the right password works from the first address again.
	admin := newTab(t, srv.URL())
	admin.signIn("admin@northwind.example", testPassword)
	edit := "/people/" + itoa(anaP.ID) + "/edit"
	admin.open(edit)
	admin.follow(`form[action$="/unlock"] button`)
	if !strings.Contains(admin.text(".flash"), "unlocked") {
		t.Fatalf("unlock says %q", admin.text(".flash"))
	}
	anaHere := newTab(t, srv.URL())
	anaHere.signIn(ana, anaPass)

	// The Admin resets Ana's password: Ana's sessions end, the temporary
	// password opens only the change-password page, then Ana's own works.
	admin.open(edit)
	admin.do("answer the confirmation with OK", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
	admin.follow(`form[action$="/password-reset"] button`)
	temp := admin.text("#temp-password")
	if len(temp) < 16 {
		t.Fatalf("no temporary password shown: %q", temp)
	}
	for _, b := range []*tab{anaThere, anaHere} {
		if b.open("/people/" + itoa(anaP.ID)); !strings.HasPrefix(b.path(), "/signin") {
			t.Fatalf("a session of Ana's survived the reset: at %s", b.path())
		}
	}
	if notice, _ := anaHere.trySignIn(ana, anaPass); !strings.Contains(notice, "do not match") {
		t.Fatalf("the old password after a reset: %q", notice)
	}
	anaHere.signIn(ana, temp)
	if p := anaHere.path(); p != "/account/password" {
		t.Fatalf("signed in with the temporary password at %s, want the change-password page", p)
	}
	if anaHere.open("/people/" + itoa(anaP.ID)); anaHere.path() != "/account/password" {
		t.Fatalf("the temporary password opened %s", anaHere.path())
	}
	const second = "ana-second-pass"
	anaHere.changePassword(temp, second)

	// Changing one's password ends one's other sessions, not this one.
	anaThere.signIn(ana, second)
	const third = "ana-third-pass"
	anaHere.changePassword(second, third)
	if anaThere.open("/people/" + itoa(anaP.ID)); !strings.HasPrefix(anaThere.path(), "/signin") {
		t.Fatalf("another session survived the password change: at %s", anaThere.path())
	}
	if anaHere.open("/people/" + itoa(anaP.ID)); anaHere.path() != "/people/"+itoa(anaP.ID) {
		t.Fatalf("the session that changed the password ended: at %s", anaHere.path())
	}
	anaThere.signIn(ana, third)
}

// changePassword fills the change-password page and checks it worked.
func (b *tab) changePassword(current, next string) {
	b.t.Helper()
	b.open("/account/password")
	b.do("fill change-password form",
		chromedp.SendKeys(chromedp.CSS(`input[name="current"]`), current, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), next),
		chromedp.SendKeys(chromedp.CSS(`input[name="password2"]`), next))
	b.follow(`form[action="/account/password"] button`)
	if !strings.Contains(b.text(".flash"), "Password changed") {
		b.t.Fatalf("change password: at %s, %q %q", b.path(), b.text(".flash"), b.text(".notice"))
	}
}
