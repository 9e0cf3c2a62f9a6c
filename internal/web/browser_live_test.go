package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// liveStart is a Monday morning: the emulator's history covers the week
// before, and advancing its clock makes the day's first meetings happen.
var liveStart = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)

// TestBrowserLive connects Zoom through the emulator's real OAuth flow from
// the integration page, waits for the backfill, then advances the
// emulator's clock and sees the new meetings arrive on the timeline by
// webhook. The server runs on the emulator's clock, as the demo does.
func TestBrowserLive(t *testing.T) {
	requireBrowser(t)
	sim, srv := startZoomServer(t, zoomsim.Options{Seed: 11, Users: 12, Plan: "business", AccountID: "live-account",
		ClientID: "zb-live", ClientSecret: "zb-live-secret", WebhookSecret: "zb-live-hook", AutoApprove: true,
		Start: liveStart, Days: 7})
	ctx := context.Background()
	users := sim.Users()
	org, _, err := web.Bootstrap(ctx, srv.Store, "Tailspin Toys", users[0].Email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range users[1:] {
		team := []string{"Sales", "Support", "Engineering"}[i%3]
		if _, err := web.AddMember(ctx, srv.Store, org.ID, people.Input{Email: u.Email, Name: u.FirstName + " " + u.LastName, Team: team}, ""); err != nil {
			t.Fatal(err)
		}
	}
	b := newTab(t, srv.URL())
	b.signIn(users[0].Email, testPassword)

	// Connect Zoom like an admin: the integration page's button, Zoom's
	// consent (the emulator approves at once), back on the Overview.
	b.open("/services/zoom")
	b.follow(`form[action="/services/zoom/connect"] button`)
	if p := b.path(); !strings.HasPrefix(p, "/services/zoom") || !strings.Contains(b.text(".flash"), "Zoom connected") {
		t.Fatalf("after connecting, at %s with %q", p, b.text(".flash"))
	}

	// The backfill imports the users and the week's activity.
	conns, err := srv.Store.Connections(ctx, org.ID)
	if err != nil || len(conns) != 1 {
		t.Fatalf("connections after the flow: %d %v", len(conns), err)
	}
	waitFor(t, "the backfill", func() bool {
		ss, err := srv.Store.SyncStateOf(ctx, conns[0].ID)
		return err == nil && !ss.LastSuccessAt.IsZero()
	})
	b.open("/services/zoom")
	b.screenshot("integration-overview-live")
	b.open("/services/zoom/users")
	if n := b.count("main table:first-of-type tbody tr"); n < len(users)-1 {
		t.Fatalf("%d Zoom users mapped, want %d", n, len(users))
	}

	// Nothing has happened yet today; the emulator's clock moves three hours
	// and its meetings end, Zoom's webhooks tell zoombridge, the timeline shows them.
	today := func() []store.Activity {
		acts, err := srv.Store.Activities(ctx, store.ActivityFilter{OrgID: org.ID, From: liveStart.Truncate(24 * time.Hour), To: liveStart.Add(16 * time.Hour), Kinds: []string{store.ActivityMeeting}})
		if err != nil {
			t.Fatal(err)
		}
		return acts
	}
	before := len(today())
	// An empty morning shows the last day with activity instead, and says so.
	b.open("/team")
	if !strings.Contains(b.text(".flash"), "Nothing yet today") || b.count(".act") == 0 {
		t.Fatalf("an empty today shows %d blocks and says %q", b.count(".act"), b.text(".flash"))
	}
	date := "?date=" + liveStart.Format("2006-01-02")
	b.open("/team" + date)
	shown := b.count(".act-meeting")
	stamp := b.text(".live-stamp")
	eval[bool](b, "window.__sameDocument = true")
	sim.Advance(3 * time.Hour)
	var fresh store.Activity
	waitFor(t, "a meeting from the advanced clock", func() bool {
		for _, a := range today() {
			if !a.EndAt.IsZero() && a.StartAt.After(liveStart.Add(-time.Minute)) {
				fresh = a
				return true
			}
		}
		return false
	})
	// The open page redraws itself (it polls every few seconds): no reload.
	waitFor(t, "the new meeting on the open Team page", func() bool { return b.count("#act-"+itoa(fresh.ID)) == 1 })
	if !eval[bool](b, "window.__sameDocument === true") {
		t.Fatal("the page was reloaded; it should redraw in place")
	}
	if now := b.text(".live-stamp"); now == stamp || !strings.HasPrefix(now, "Updated ") {
		t.Errorf("the updated-at stamp did not move: %q then %q", stamp, now)
	}
	if after := b.count(".act-meeting"); after <= shown {
		t.Fatalf("meetings on the timeline: %d before the clock moved, %d after (store: %d before)", shown, after, before)
	}
	b.screenshot("team-timeline-live")
}

// waitFor polls cond until it holds, for at most a minute: the work it waits
// for (a sync pass, a webhook's job) runs in the server's job workers.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
