// Package browsertest runs Debian's Chromium, headless, for tests through
// chromedp: one browser per test binary, a fresh browser context (no shared
// cookies) per tab. chromedp is always given the binary: it never downloads one.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path is the browser binary; ZOOMBRIDGE_CHROMIUM overrides it.
func Path() string {
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

// Require fails the test when Chromium is missing and the run requires it
// (CI sets ZOOMBRIDGE_TEST_REQUIRE_BROWSER=1), and otherwise skips it
// loudly, noting the skip in ZOOMBRIDGE_SKIP_LOG.
func Require(t *testing.T) {
	t.Helper()
	path := Path()
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

func start() {
	dir, err := os.MkdirTemp("", "zoombridge-chromium-")
	if err != nil {
		browser.err = err
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path()),
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

// Tab opens a tab in a fresh browser context (its own cookies) and returns
// its context, which ends with the test or after 90 seconds.
func Tab(t *testing.T) context.Context {
	t.Helper()
	Require(t)
	browser.once.Do(start)
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
	return tctx
}

// Stop ends the browser; call it from TestMain after the tests.
func Stop() {
	if browser.cancel != nil {
		browser.cancel()
	}
}
