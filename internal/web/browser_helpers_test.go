package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's Chromium, headless, through chromedp.
// One browser is shared by every test of the package (each test gets its own
// incognito-like browser context, so cookies never leak between users), and
// chromedp is always given the binary: it never downloads one.

// chromiumPath is the browser binary; ZOOMBRIDGE_CHROMIUM overrides it.
func chromiumPath() string {
	if p := os.Getenv("ZOOMBRIDGE_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// requireBrowser fails the test when Chromium is missing and the run
// requires it (CI sets ZOOMBRIDGE_TEST_REQUIRE_BROWSER=1), and otherwise
// skips it loudly, noting the skip in ZOOMBRIDGE_SKIP_LOG.
func requireBrowser(t *testing.T) {
	t.Helper()
	path := chromiumPath()
	if st, err := os.Stat(path); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		return
	}
	msg := fmt.Sprintf("Chromium not found at %s (apt-get install -y chromium, or set ZOOMBRIDGE_CHROMIUM)", path)
	if os.Getenv("ZOOMBRIDGE_TEST_REQUIRE_BROWSER") == "1" {
		t.Fatalf("%s; ZOOMBRIDGE_TEST_REQUIRE_BROWSER=1", msg)
	}
	if log := os.Getenv("ZOOMBRIDGE_SKIP_LOG"); log != "" {
		if f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s: %s\n", t.Name(), msg)
			f.Close()
		}
	}
	t.Skipf("SKIPPED: %s; set ZOOMBRIDGE_TEST_REQUIRE_BROWSER=1 to fail instead", msg)
}

func startBrowser() {
	dir, err := os.MkdirTemp("", "zoombridge-chromium-")
	if err != nil {
		browser.err = err
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1360, 900),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// The first Run starts the browser; it lives as long as bctx.
	if err := chromedp.Do(bctx); err != nil {
		browser.err = err
	}
	browser.ctx = bctx
	browser.cancel = func() { bcancel(); acancel(); os.RemoveAll(dir) }
}

// tab is one browser tab in a fresh browser context, at a server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	requireBrowser(t)
	browser.once.Do(startBrowser)
	if browser.err != nil {
		t.Fatalf("start Chromium: %v", browser.err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // creates the tab; no timeout on this first call
		t.Fatalf("new tab: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(tcancel)
	return &tab{t: t, ctx: tctx, base: base}
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
	b.open("/signin")
	b.do("fill sign-in form",
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password))
	b.follow(`form[action="/signin"] button`)
	if strings.HasPrefix(b.path(), "/signin") {
		b.t.Fatalf("sign-in as %s failed: %s", email, b.text(".notice"))
	}
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
