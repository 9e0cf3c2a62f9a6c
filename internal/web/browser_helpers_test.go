package web_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/zoombridge/zoombridge/internal/browsertest"
)

// The browser tests drive Debian's Chromium, headless, through chromedp.
// One browser is shared by every test of the package (each test gets its own
// incognito-like browser context, so cookies never leak between users), and
// chromedp is always given the binary: it never downloads one.

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Stop()
	os.Exit(code)
}

// requireBrowser fails or skips the test without Chromium (browsertest.Require).
func requireBrowser(t *testing.T) {
	t.Helper()
	browsertest.Require(t)
}

// tab is one browser tab in a fresh browser context, at a server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	return &tab{t: t, ctx: browsertest.Tab(t), base: base}
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page of the server and waits for it.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
}

// follow clicks something that loads a new page (a link, a form's button)
// and waits for that page.
func (b *tab) follow(sel string) {
	b.t.Helper()
	if _, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
}

// eval runs JavaScript and decodes its result.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, "document.querySelectorAll("+jsString(sel)+").length")
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, "(document.querySelector("+jsString(sel)+")||{}).innerText||''")
}

func (b *tab) path() string {
	b.t.Helper()
	return eval[string](b, "location.pathname+location.search")
}

func jsString(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}

// signIn fills the sign-in form like a person and waits for the first page.
func (b *tab) signIn(email, password string) {
	b.t.Helper()
	if notice, ok := b.trySignIn(email, password); !ok {
		b.t.Fatalf("sign-in as %s failed: %s", email, notice)
	}
}

// trySignIn fills the sign-in form; when it does not sign in, it returns
// the notice the page shows.
func (b *tab) trySignIn(email, password string) (notice string, ok bool) {
	b.t.Helper()
	b.open("/signin")
	b.do("fill sign-in form",
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password))
	b.follow(`form[action="/signin"] button`)
	if strings.HasPrefix(b.path(), "/signin") {
		return b.text(".notice"), false
	}
	return "", true
}

// screenshot saves the whole page under artifacts/screenshots/ at the
// repository root (git-ignored; CI keeps the folder as an artifact).
func (b *tab) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(repoRoot(b.t), "artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// viewport sets the window size (a phone, a laptop) for the next pages.
func (b *tab) viewport(w, h int64, mobile bool) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	b.do("viewport", chromedp.EmulateViewport(w, h, opts...))
}

func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
