package web

import (
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
)

// When several features miss scopes, the folded banner still names every scope.
func TestCondensedScopeBannerNamesTheScopes(t *testing.T) {
	ns := []Notice{{Code: CodeMissingScope, Feature: "Cloud recordings", Scopes: []string{"cloud_recording:read:list_user_recordings"}},
		{Code: CodeMissingScope, Feature: "Phone calls", Scopes: []string{"phone:read:list_call_logs"}}}
	got := condense(ns)
	if len(got) != 1 || !strings.Contains(got[0].Text, "cloud_recording:read:list_user_recordings") || !strings.Contains(got[0].Text, "phone:read:list_call_logs") {
		t.Fatalf("condensed to %+v, want one banner naming both scopes", got)
	}
}

// The rep's panel speaks of the Zoom user's own plan, never the account's,
// and a missing scope's banner names it and asks to reconnect.
func TestRecordingsBannersNameTheUserAndTheScope(t *testing.T) {
	p := recordings.Panel{ZoomEmail: "rep@acme.example", Basic: true}
	plan := bannerNotice(recordings.Banner{Code: recordings.BannerPlanRequired, Feature: "Cloud recordings"}, p)
	if plan.Title != "Pro+ required" || !strings.Contains(plan.Text, "The Zoom user rep@acme.example is on the free Basic plan") || strings.Contains(plan.Text, "account") {
		t.Fatalf("plan banner %+v", plan)
	}
	scope := bannerNotice(recordings.Banner{Code: recordings.BannerMissingScope, Feature: "Cloud recordings", Scopes: []string{"cloud_recording:read:list_user_recordings:admin"}}, p)
	if scope.Title != "Reconnect Zoom" || scope.Action != "reconnect" || !strings.Contains(scope.Text, "cloud_recording:read:list_user_recordings:admin") {
		t.Fatalf("scope banner %+v", scope)
	}
	if pre := bannerNotice(recordings.Banner{Code: recordings.BannerPreApproval}, recordings.Panel{}); !strings.Contains(pre.Text, "pre-approve") {
		t.Fatalf("pre-approval banner %+v", pre)
	}
}

// Without a Phone scope, troubleshooting says the permission is missing, not
// that the person has no Zoom Phone licence (Zoom could not say).
func TestTroubleshootingPhoneScopeMissingIsNotNoLicence(t *testing.T) {
	u := store.ZoomUser{ConnectionID: 7, Email: "rep@acme.example"}
	v := &viewer{org: store.Organization{PhoneEnabled: true}}
	without := troubleshooter{v: v, mine: []store.ZoomUser{u}, conns: []store.Connection{{ID: 7, Scopes: "meeting:read:past_meeting:admin"}}}.licences()
	with := troubleshooter{v: v, mine: []store.ZoomUser{u}, conns: []store.Connection{{ID: 7, Scopes: "phone:read:list_call_logs:admin"}}}.licences()
	if len(without) != 1 || without[0].Title != "Zoom Phone permission missing" || len(with) != 1 || with[0].Title != "No Zoom Phone licence" {
		t.Fatalf("without the scope %+v; with it %+v", without, with)
	}
}
