package cli

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zoombridge/zoombridge/internal/browsertest"
)

var setupLinkLine = regexp.MustCompile(`^\s+(http://\S+/setup\?token=\S+)$`)

// TestFirstRunCreatesOwnerWhoConnectsZoom starts the real binary on a fresh
// data dir next to the emulator (as its own process): the printed link
// creates the organization and Owner in Chromium, who connects the
// emulator's account; the link is refused once used, and so is
// `admin create-owner`.
func TestFirstRunCreatesOwnerWhoConnectsZoom(t *testing.T) {
	browsertest.Require(t)
	sim := start(t, nil, "zoomsim", "--addr", "127.0.0.1:0", "--auto-approve", "--users", "6", "--days", "2",
		"--client-id", "zb-first", "--client-secret", "zb-first-secret", "--webhook-secret", "zb-first-hook")
	data := t.TempDir()
	env := []string{"ZOOMBRIDGE_LOG_LEVEL=warn", "ZOOMBRIDGE_ZOOM_OAUTH_URL=" + sim.url, "ZOOMBRIDGE_ZOOM_API_URL=" + sim.url + "/v2",
		"ZOOMBRIDGE_ZOOM_CLIENT_ID=zb-first", "ZOOMBRIDGE_ZOOM_CLIENT_SECRET=zb-first-secret", "ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET=zb-first-hook"}
	srv := start(t, env, "serve", "--addr", "127.0.0.1:0", "--data-dir", data)
	link := srv.line(t, setupLinkLine)

	// The token is also in a file only its owner can read.
	file := filepath.Join(data, "setup-token")
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v; want 0600", err, fi)
	}
	u, _ := url.Parse(link)
	if b, _ := os.ReadFile(file); strings.TrimSpace(string(b)) != u.Query().Get("token") {
		t.Fatalf("token file holds %q, the link %q", b, link)
	}

	ctx := browsertest.Tab(t)
	owner := "grace.hopper@example.com"
	pass := "first-run-pass-1"
	do(t, ctx, "open the set-up link", chromedp.Navigate(link))
	do(t, ctx, "fill the set-up form", chromedp.SendKeys(chromedp.CSS(`input[name="org"]`), "Contoso Labs", chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), owner),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), pass),
		chromedp.SendKeys(chromedp.CSS(`input[name="password2"]`), pass))
	click(t, ctx, `form[action="/setup"] button`)
	if p, flash := where(t, ctx); p != "/services/zoom" || !strings.Contains(flash, "Contoso Labs created") {
		t.Fatalf("after set-up at %s saying %q", p, flash)
	}
	// Signed in as the Owner, who connects the emulator's account.
	click(t, ctx, `form[action="/services/zoom/connect"] button`)
	if p, flash := where(t, ctx); !strings.HasPrefix(p, "/services/zoom") || !strings.Contains(flash, "Zoom connected") {
		t.Fatalf("after connecting Zoom at %s saying %q", p, flash)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("the used token's file is still there: %v", err)
	}

	// The used link is refused, in the browser and to a replayed form.
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("used link: %d, want 410", resp.StatusCode)
	}
	other := browsertest.Tab(t)
	if err := chromedp.Do(other, chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(other, chromedp.Evaluate[int](`document.querySelectorAll('form[action="/setup"]').length`)); n != 0 {
		t.Fatal("the used link still shows the set-up form")
	}
	replay, err := http.PostForm(srv.url+"/setup", url.Values{"token": {u.Query().Get("token")}, "org": {"Evil"}, "email": {"evil@example.com"},
		"password": {pass}, "password2": {pass}, "csrf": {strings.Repeat("a", 43)}})
	if err != nil {
		t.Fatal(err)
	}
	replay.Body.Close()
	if replay.StatusCode < 400 {
		t.Fatalf("a replayed set-up form answered %d", replay.StatusCode)
	}

	// The shell command is refused here too, and works once on a fresh install.
	pwFile := filepath.Join(t.TempDir(), "pw")
	must(t, os.WriteFile(pwFile, []byte("admin-made-pass\n"), 0o600))
	createOwner := func(dir string) (int, string) {
		return run(t, nil, "admin", "create-owner", "--org", "Fabrikam", "--email", "ops@example.com", "--password-file", pwFile, "--data-dir", dir)
	}
	if code, stderr := createOwner(data); code == 0 || !strings.Contains(stderr, "already set up") {
		t.Fatalf("create-owner after the web set-up: exit %d, %q", code, stderr)
	}
	fresh := t.TempDir()
	if code, stderr := createOwner(fresh); code != 0 {
		t.Fatalf("create-owner on a fresh install: exit %d, %q", code, stderr)
	}
	if code, stderr := createOwner(fresh); code == 0 || !strings.Contains(stderr, "already set up") {
		t.Fatalf("create-owner a second time: exit %d, %q", code, stderr)
	}
	// The Owner it made can sign in: serve prints no set-up link and takes the password.
	again := start(t, []string{"ZOOMBRIDGE_LOG_LEVEL=warn"}, "serve", "--addr", "127.0.0.1:0", "--data-dir", fresh)
	signin := browsertest.Tab(t)
	do(t, signin, "sign in as the command's Owner", chromedp.Navigate(again.url+"/signin"),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "ops@example.com", chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "admin-made-pass"))
	click(t, signin, `form[action="/signin"] button`)
	if p, _ := where(t, signin); strings.HasPrefix(p, "/signin") {
		t.Fatal("the Owner made by create-owner cannot sign in")
	}
	select {
	case l := <-again.lines:
		if setupLinkLine.MatchString(l) {
			t.Fatal("serve printed a set-up link although an Owner exists")
		}
	default:
	}
}

// do runs browser steps and fails the test if one fails.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// click clicks something that loads a new page and waits for it.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// where is the tab's path and its flash message.
func where(t *testing.T, ctx context.Context) (string, string) {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname+location.search`))
	if err != nil {
		t.Fatal(err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.flash')||{}).innerText||''`))
	if err != nil {
		t.Fatal(err)
	}
	return p, flash
}
