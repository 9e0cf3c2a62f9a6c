package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
)

// TestLastSyncErrorInWords: the Overview explains a failed sync in words
// chosen by the problem code the syncer recorded, never Zoom's raw text;
// Admins find the raw text in a <details>, an Executive does not see it.
// Every code internal/connect gives a sync failure has its own words.
func TestLastSyncErrorInWords(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Words Co")
	ctx := context.Background()
	raw := "zoom api: HTTP 503 code 0: upstream connect error or disconnect/reset before headers"
	generic := "The last sync stopped on an error."
	seen := map[string]string{}
	for _, code := range []string{connect.CodeZoomUnavailable, connect.CodeNeedsReconnect, connect.CodeMissingScope, connect.CodeBadCredentials, ""} {
		if err := srv.Store.NoteSyncError(ctx, g.conn.ID, code, raw, t0); err != nil {
			t.Fatal(err)
		}
		_, admin := g.clients[store.RoleAdmin].get("/services/zoom")
		i := strings.Index(admin, "<dt>Last error</dt>")
		if i < 0 {
			t.Fatalf("%q: no Last error on the Overview", code)
		}
		words := admin[i : i+strings.Index(admin[i:], "</dd>")]
		if strings.Contains(words[:strings.Index(words, "<details")], "HTTP 503") || !strings.Contains(words, "<details") || !strings.Contains(words, raw) {
			t.Fatalf("%q: the Admin sees %q: want words, with the raw text only in <details>", code, words)
		}
		if (code == "") != strings.Contains(words, generic) {
			t.Fatalf("%q: words %q (a known code gets its own words)", code, words)
		}
		if other, dup := seen[words]; dup {
			t.Fatalf("%q and %q read the same", code, other)
		}
		seen[words] = code
		_, exec := g.clients[store.RoleExecutive].get("/services/zoom")
		if strings.Contains(exec, "HTTP 503") || !strings.Contains(exec, "<dt>Last error</dt>") {
			t.Fatalf("%q: an Executive sees the raw text or no Last error", code)
		}
	}
}

// TestSkippedCountGoesAfterCleanPass: records skipped by a pass show on the
// Overview until a later pass finishes without skipping any.
func TestSkippedCountGoesAfterCleanPass(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	g := newOrg(t, srv, "Skip Co")
	ctx, st := context.Background(), srv.Store
	pass := func(at time.Time, skipped int) {
		p, err := st.BeginSyncPass(ctx, g.conn.ID, store.PassIncremental, at.Add(-time.Hour), at, at)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < skipped; i++ {
			if err := st.RecordSyncError(ctx, store.SyncError{ConnectionID: g.conn.ID, PassID: p.ID, Stream: "meetings", Ref: "m" + itoa(int64(i)), Code: 3001, Message: "Meeting does not exist", At: at}); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.FinishSyncPass(ctx, p.ID, store.PassSucceeded, at.Add(15*time.Minute), at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	admin := g.clients[store.RoleAdmin]
	pass(t0.Add(-3*time.Hour), 2)
	if _, page := admin.get("/services/zoom"); !strings.Contains(page, "<dt>Skipped records</dt><dd>2 in the last 24 hours") {
		t.Fatal("two skipped records are not shown")
	}
	pass(t0.Add(-time.Hour), 0)
	if _, page := admin.get("/services/zoom"); strings.Contains(page, "Skipped records") {
		t.Fatal("the skipped count stays after a pass that skipped nothing")
	}
	pass(t0.Add(-30*time.Minute), 1)
	if _, page := admin.get("/services/zoom"); !strings.Contains(page, "<dt>Skipped records</dt><dd>1 in the last 24 hours") {
		t.Fatal("a record skipped after the clean pass is not shown")
	}
}
