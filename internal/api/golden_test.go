package api_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the responses")

// The responses host products see, byte for byte, on a fresh database of
// each dialect: a change to the API's JSON shows up as a diff here.
func TestGoldenResponses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		st := testdb.Open(t, d)
		ctx := context.Background()
		org, err := st.CreateOrganization(ctx, "Golden", "golden", t0)
		must(t, err)
		dir := people.New(st, clock)
		ada, err := dir.Add(ctx, people.System(org.ID), people.Input{Email: "Ada@Example.com", Name: "Ada Lovelace", Team: "Engineering", Role: "Admin"})
		must(t, err)
		grace, err := dir.Add(ctx, people.System(org.ID), people.Input{Email: "grace@example.com", Name: "Grace Hopper", Team: "Sales"})
		must(t, err)
		conn, err := st.CreateConnection(ctx, store.Connection{OrgID: org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: "acct-golden"}, t0)
		must(t, err)
		for _, u := range []store.ZoomUser{{ZoomUserID: "KDcuGIm1QgePTO8WbOqwIQ", Email: "ada@example.com"}, {ZoomUserID: "z8yCqbOtRdecjPH3u5BGtA", Email: "grace@example.com"}} {
			u.OrgID, u.ConnectionID = org.ID, conn.ID
			_, err := st.UpsertZoomUser(ctx, u, t0)
			must(t, err)
		}
		for _, a := range []store.Activity{
			{PersonID: ada.ID, ZoomUserID: "KDcuGIm1QgePTO8WbOqwIQ", Kind: "meeting", ZoomID: "4444AAAiAAAAAiAiAiiAii==", ZoomNumber: "85746065432",
				Title: "Design review", StartAt: t0, EndAt: t0.Add(47 * time.Minute), DurationSeconds: 47 * 60, ParticipantsCount: 5},
			{PersonID: ada.ID, ZoomUserID: "KDcuGIm1QgePTO8WbOqwIQ", Kind: "meeting", ZoomID: "in/progress+uuid==", ZoomNumber: "85746065433",
				Title: "Started, not ended", StartAt: t0.Add(3 * time.Hour)},
			{PersonID: grace.ID, ZoomUserID: "z8yCqbOtRdecjPH3u5BGtA", Kind: "call", ZoomID: "7012345678901234567",
				StartAt: t0.Add(time.Hour), EndAt: t0.Add(time.Hour + 125*time.Second), DurationSeconds: 125, Direction: "outbound", Device: "Windows client"},
			{PersonID: grace.ID, ZoomUserID: "z8yCqbOtRdecjPH3u5BGtA", Kind: "webinar", ZoomID: "wbnr0000uuid==", ZoomNumber: "91234567890",
				Title: "Quarterly launch", StartAt: t0.Add(2 * time.Hour), EndAt: t0.Add(3 * time.Hour), DurationSeconds: 3600, ParticipantsCount: 120},
		} {
			a.OrgID, a.ConnectionID, a.Source = org.ID, conn.ID, "sync"
			_, err := st.UpsertActivity(ctx, a, t0)
			must(t, err)
		}
		nk, err := api.NewKeys(st, clock).Create(ctx, people.ActorOf(ada), "golden")
		must(t, err)
		mux := http.NewServeMux()
		api.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), clock).Mount(mux)
		srv := httptest.NewServer(mux)
		defer srv.Close()
		for name, c := range map[string]struct{ key, path string }{
			"people":           {nk.Plaintext, "/api/v1/people?limit=1"},
			"activities":       {nk.Plaintext, "/api/v1/activities"},
			"error_bad_param":  {nk.Plaintext, "/api/v1/activities?kind=chat"},
			"error_no_api_key": {"", "/api/v1/activities"},
		} {
			golden(t, srv.URL, c.key, c.path, filepath.Join("testdata", name+".golden.json"))
		}
	})
}

func golden(t *testing.T, base, key, path, file string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := client(t).Do(req)
	must(t, err)
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	must(t, err)
	if *update {
		must(t, os.WriteFile(file, got, 0o644))
		return
	}
	want, err := os.ReadFile(file)
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Errorf("GET %s differs from %s (go test ./internal/api -run Golden -update rewrites it):\n%s", path, file, got)
	}
}
