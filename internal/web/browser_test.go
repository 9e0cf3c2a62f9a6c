package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser walks the admin web app in Chromium as its people do, on one
// server with a seeded team (its day is t0, a Monday). The subtests run in
// order: they share the server and the Owner's tab.
func TestBrowser(t *testing.T) {
	requireBrowser(t)
	srv := startServer(t)
	tm := seedTeam(t, srv.Store)
	owner := newTab(t, srv.URL())
	margaret := itoa(tm.people["Margaret"].ID)

	t.Run("SignInShowsTheTeamDay", func(t *testing.T) {
		owner.t = t
		owner.signIn(tm.people["owner"].Email, testPassword)
		if p := owner.path(); !strings.HasPrefix(p, "/team") {
			t.Fatalf("after sign-in at %s, want the team view", p)
		}
		if n := owner.count(".tl-row:not(.tl-head)"); n != len(teamPeople) {
			t.Fatalf("team view has %d people rows, want %d", n, len(teamPeople))
		}
		if owner.count(".act-meeting") == 0 || owner.count(".act-call") == 0 {
			t.Fatal("team view shows no meetings or no calls")
		}
		owner.screenshot("team-timeline")
	})

	t.Run("DetailsOnHoverAndClick", func(t *testing.T) {
		owner.t = t
		owner.open("/people/" + margaret)
		// Hover: the pointer over a meeting shows its card beside it.
		box := eval[[]float64](owner, `(function(){var r=document.querySelector(".act-meeting").getBoundingClientRect();return [r.left+r.width/2, r.top+r.height/2]})()`)
		owner.do("hover a meeting", chromedp.MouseEvent("mouseMoved", box[0], box[1]))
		tip := owner.text("#tip")
		for _, want := range []string{"Meeting", "Duration", "Size"} {
			if !strings.Contains(tip, want) {
				t.Fatalf("hover card %q lacks %q", tip, want)
			}
		}
		// Click: a call's card opens (a popover: it needs no script).
		owner.do("click a call", chromedp.Click(chromedp.CSS(".act-call"), chromedp.NodeVisible))
		card := eval[string](owner, `(document.querySelector(".card:popover-open")||{}).innerText||""`)
		for _, want := range []string{"Direction", "Device", "Duration"} {
			if !strings.Contains(card, want) {
				t.Fatalf("call card %q lacks %q", card, want)
			}
		}
		if !strings.Contains(card, "Caller ID") && !strings.Contains(card, "Called") {
			t.Fatalf("call card %q says neither who called nor whom", card)
		}
		owner.screenshot("person-timeline-details")
	})

	t.Run("TheFourTabs", func(t *testing.T) {
		owner.t = t
		owner.open("/services")
		owner.follow(`a[href="/services/zoom"]`)
		tabs := []struct{ link, want string }{
			{`.tabs a[href="/services/zoom"]`, "Owner"},
			{`.tabs a[href="/services/zoom/users"]`, "joan.clarke@northwind.example"},
			{`.tabs a[href="/services/zoom/features"]`, "Phone"},
			{`.tabs a[href="/services/zoom/connections"]`, "Sync now"},
		}
		for _, tab := range tabs {
			owner.follow(tab.link)
			if cur := owner.text(`.tabs a[aria-current="page"]`); cur == "" {
				t.Fatalf("%s: no current tab", tab.link)
			}
			if body := owner.text("main"); !strings.Contains(body, tab.want) {
				t.Fatalf("%s: page lacks %q", tab.link, tab.want)
			}
			name := strings.TrimPrefix(strings.Trim(strings.Split(tab.link, `"`)[1], "/"), "services/")
			owner.screenshot("integration-" + strings.ReplaceAll(name, "/", "-"))
		}
	})

	t.Run("PhoneOffTakesCallsOffTheTimeline", func(t *testing.T) {
		owner.t = t
		owner.open("/people/" + margaret)
		calls, meetings := owner.count(".act-call"), owner.count(".act-meeting")
		if calls == 0 {
			t.Fatal("Margaret has no calls to hide")
		}
		owner.open("/services/zoom/features")
		owner.follow(`button[data-feature="call"]`)
		if got := owner.text(`button[data-feature="call"] .switch-text`); got != "Off" {
			t.Fatalf("Phone switch shows %q after switching off", got)
		}
		owner.open("/people/" + margaret)
		if n := owner.count(".act-call"); n != 0 {
			t.Fatalf("%d calls still on the timeline with Phone off", n)
		}
		if n := owner.count(".act-meeting"); n != meetings {
			t.Fatalf("meetings went from %d to %d when Phone was switched off", meetings, n)
		}
		owner.open("/services/zoom/features")
		owner.follow(`button[data-feature="call"]`)
		owner.open("/people/" + margaret)
		if n := owner.count(".act-call"); n != calls {
			t.Fatalf("after Phone on again, %d calls, want %d", n, calls)
		}
	})

	t.Run("AdminSwitchesAPersonOff", func(t *testing.T) {
		admin := newTab(t, srv.URL())
		admin.signIn(tm.people["admin"].Email, testPassword)
		admin.open("/people/" + margaret + "/services")
		admin.follow(`button[data-switch="zoom-service"]`)
		if got := admin.text(`button[data-switch="zoom-service"] .switch-text`); got != "Off" {
			t.Fatalf("Zoom switch shows %q after the Admin switched it off", got)
		}
		if flash := admin.text(".flash"); !strings.Contains(flash, "switched off") {
			t.Fatalf("flash %q", flash)
		}
		admin.screenshot("person-services")
		admin.open("/people/" + margaret)
		if n := admin.count(".act"); n != 0 {
			t.Fatalf("%d activities still shown with the person's Zoom off", n)
		}
		admin.open("/people/" + margaret + "/services")
		admin.follow(`button[data-switch="zoom-service"]`) // back on for the next subtests
	})

	t.Run("MemberIsRefused", func(t *testing.T) {
		member := newTab(t, srv.URL())
		member.signIn(tm.people["member"].Email, testPassword)
		if p := member.path(); p != "/people/"+margaret {
			t.Fatalf("a Member lands on %s, want their own timeline", p)
		}
		member.open("/people/" + margaret + "/services")
		if n := member.count(`button[data-switch]`); n != 0 {
			t.Fatal("a Member is offered the Zoom switch")
		}
		if !strings.Contains(member.text("main"), "Only an Owner, Admin or Executive") {
			t.Fatal("the Member is not told who may switch Zoom")
		}
		// The server refuses the switch even when the Member forges the form.
		status, err := chromedp.Run(member.ctx, chromedp.Evaluate[int](`(async function(){
			var f = new FormData(); f.set("csrf", document.querySelector("input[name=csrf]").value); f.set("on", "0");
			var r = await fetch(location.pathname.replace("/services", "/services/zoom"), {method: "POST", body: new URLSearchParams(f)});
			return r.status })()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if status != 403 {
			t.Fatalf("a Member's forged switch got %d, want 403", status)
		}
		other := itoa(tm.people["Linus"].ID)
		member.open("/people/" + other + "/services")
		if !strings.Contains(member.text("main"), "404") {
			t.Fatal("a Member sees another person's Services tab")
		}
	})

	t.Run("PagesReadOnALaptopAndAPhone", func(t *testing.T) {
		owner.t = t
		for _, p := range []struct{ path, name, want string }{
			{"/reports/weekly", "weekly-chart", "Per person"},
			{"/people", "people", "Margaret Hamilton"},
			{"/people/" + itoa(tm.people["Dennis"].ID) + "/troubleshooting", "person-troubleshooting", "No Zoom Phone licence"},
			{"/people/" + margaret + "?view=week", "person-week", "Week of"},
			{"/audit", "audit-log", "switched a Zoom feature"},
			{"/accounts", "accounts", "Northwind Traders"},
		} {
			owner.open(p.path)
			if body := owner.text("main"); !strings.Contains(body, p.want) {
				t.Fatalf("%s lacks %q", p.path, p.want)
			}
			owner.screenshot(p.name)
		}
		owner.viewport(390, 844, true)
		owner.open("/team")
		// On a phone the page itself must not scroll sideways: only the timeline does.
		if w := eval[int](owner, "document.documentElement.scrollWidth - window.innerWidth"); w > 1 {
			t.Fatalf("the team page is %dpx wider than a phone", w)
		}
		owner.screenshot("team-timeline-phone")
		owner.open("/people/" + margaret)
		owner.screenshot("person-timeline-phone")
	})
}
