package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/demo"
	"github.com/zoombridge/zoombridge/internal/store"
)

// layoutPages are every page of the app, with {me} and {other} for a person's id.
var layoutPages = []string{
	"/team", "/reports/weekly", "/people", "/people/new", "/people/import",
	"/people/{me}", "/people/{me}?view=week", "/people/{me}/services", "/people/{me}/troubleshooting",
	"/people/{other}", "/people/{other}/edit", "/people/{other}/troubleshooting",
	"/services", "/services/zoom", "/services/zoom/users", "/services/zoom/features", "/services/zoom/connections",
	"/services/api", "/audit", "/accounts", "/no/such/page",
	"/deals", "/deals/unlinked", "/developers", "/developers/api", "/meetings", "/booking", "/services/chat",
}

// TestBrowserLayout visits every page as each access level on a phone
// (390 × 844) and a laptop (1280 × 800), on the demo's organization (40
// people, a real connection, a filled audit log). A page fails when the
// document is wider than the viewport, when something is drawn over a
// timeline's name column while the timeline is scrolled sideways, or when a
// name there is cut off. Screenshots: artifacts/screenshots/layout-<role>-<width>-<page>.png.
func TestBrowserLayout(t *testing.T) {
	requireBrowser(t)
	cfg, err := config.Load([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d, err := demo.Start(ctx, cfg, demo.Options{Password: testPassword, Speed: 1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	st := d.Server.Store
	signedOut := newTab(t, d.Server.URL())
	for _, size := range [][2]int64{{390, 844}, {1280, 800}} {
		signedOut.viewport(size[0], size[1], size[0] < 600)
		signedOut.open("/signin")
		checkLayout(t, signedOut, size[0], fmt.Sprintf("layout-signedout-%d-signin", size[0]))
	}
	signIns := map[string]string{store.RoleOwner: d.Owner}
	for _, o := range d.Others {
		role, email, _ := strings.Cut(o, ": ")
		signIns[strings.ToLower(role)] = email
	}
	for _, role := range store.Roles {
		email, ok := signIns[role]
		if !ok {
			t.Errorf("the demo has no %s to sign in as (%q)", role, d.Others)
			continue
		}
		t.Run(role, func(t *testing.T) {
			me, other := personIDs(t, st, email)
			for _, size := range [][2]int64{{390, 844}, {1280, 800}} {
				// A tab per size: each has browsertest's time limit to itself.
				b := newTab(t, d.Server.URL())
				b.signIn(email, testPassword)
				b.viewport(size[0], size[1], size[0] < 600)
				for _, p := range layoutPages {
					path := strings.NewReplacer("{me}", me, "{other}", other).Replace(p)
					b.open(path)
					checkLayout(t, b, size[0], fmt.Sprintf("layout-%s-%d-%s", role, size[0], slug(p)))
				}
			}
		})
	}
}

// checkLayout measures the open page and saves its screenshot.
// A phone lays a too-wide page out wider than its screen and zooms out, so
// widths are compared with the device's width, not window.innerWidth.
func checkLayout(t *testing.T, b *tab, width int64, shot string) {
	t.Helper()
	b.screenshot(shot)
	w := itoa(width)
	if over := eval[int](b, "document.documentElement.scrollWidth - "+w); over > 1 {
		t.Errorf("%s: the page is %dpx wider than the viewport (%s)", shot, over,
			eval[string](b, `[...document.querySelectorAll("body *")].filter(e => {
				if (e.getBoundingClientRect().right <= `+w+` + 1) return false;
				for (let a = e.parentElement; a; a = a.parentElement) if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return false;
				return true;
			}).slice(0, 4).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().width) + "px").join(", ")`))
	}
	if b.count(".tl-scroll") == 0 {
		return
	}
	// Scroll each timeline halfway, then look at what is drawn on its names.
	problems := eval[string](b, `(() => {
		const out = [];
		document.querySelectorAll(".tl-scroll").forEach(s => { s.scrollLeft = (s.scrollWidth - s.clientWidth) / 2; });
		document.querySelectorAll(".tl-row:not(.tl-head) .tl-label").forEach(l => {
			const r = l.getBoundingClientRect();
			if (r.bottom < 0 || r.top > window.innerHeight) return;
			for (const [x, y] of [[r.left + 4, r.top + r.height / 2], [r.right - 3, r.top + r.height / 2], [r.left + r.width / 2, r.top + 3]]) {
				const hit = document.elementFromPoint(x, y);
				if (hit && !l.contains(hit)) { out.push(l.innerText.split("\n")[0] + " is covered by " + hit.tagName + "." + hit.className); return; }
			}
			const name = l.querySelector("a, span");
			if (name && name.scrollWidth > name.clientWidth + 1) out.push(name.innerText + " is cut off");
		});
		return out.slice(0, 5).join("; ");
	})()`)
	if problems != "" {
		t.Errorf("%s: %s", shot, problems)
	}
}

func slug(path string) string {
	s := strings.Trim(strings.NewReplacer("/", "-", "{", "", "}", "", "?", "-", "=", "-").Replace(path), "-")
	if s == "" {
		return "root"
	}
	return s
}

// personIDs are the signed-in person's id and another active person's.
func personIDs(t *testing.T, st *store.Store, email string) (me, other string) {
	t.Helper()
	orgs, err := st.Organizations(context.Background())
	if err != nil || len(orgs) != 1 {
		t.Fatalf("organizations: %d %v", len(orgs), err)
	}
	ps, err := st.People(context.Background(), orgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		switch {
		case strings.EqualFold(p.Email, email):
			me = itoa(p.ID)
		case other == "" && p.Active:
			other = itoa(p.ID)
		}
	}
	return me, other
}
