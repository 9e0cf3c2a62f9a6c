package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
	"github.com/zoombridge/zoombridge/internal/webhook"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// TestBrowserDealsMoveAndDetach: a CRM registers two deals through the API, a
// sales call ends in the emulator and its recording lands on the first deal;
// in Chromium a manager moves the video to the second deal and detaches the
// audio. The API and the outbound events say the same, and the detached
// record survives the Zoom connection's disconnect while the rest is purged.
func TestBrowserDealsMoveAndDetach(t *testing.T) {
	requireBrowser(t)
	start := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 5, Users: 4, Plan: "business", Start: start, Days: 1}, "127.0.0.1:0")
	must(t, err)
	t.Cleanup(func() { sim.Close() })
	srv := startServerAt(t, sim.Now, "ZOOMBRIDGE_ZOOM_OAUTH_URL="+sim.URL(), "ZOOMBRIDGE_ZOOM_API_URL="+sim.URL()+"/v2")
	ctx := context.Background()
	users := sim.Users()
	org, _, err := web.Bootstrap(ctx, srv.Store, "Fabrikam Sales", users[0].Email, testPassword)
	must(t, err)
	var rep zoomsim.User
	var repP store.Person
	for _, u := range users[1:] {
		p, err := web.AddMember(ctx, srv.Store, org.ID, people.Input{Email: u.Email, Name: u.FirstName + " " + u.LastName, Team: "Sales"}, "")
		must(t, err)
		if u.Type == 2 && rep.ID == "" {
			rep, repP = u, p
		}
	}
	if rep.ID == "" {
		t.Fatal("no licensed user to be the rep")
	}
	so := sim.Options()
	conn, err := srv.Connect.ConnectS2S(ctx, org.ID, 0, connect.S2SCredentials{AccountID: so.AccountID, ClientID: so.S2SClientID,
		ClientSecret: so.S2SClientSecret, WebhookSecret: so.WebhookSecret})
	must(t, err)
	waitFor(t, "the backfill", func() bool {
		ss, err := srv.Store.SyncStateOf(ctx, conn.ID)
		return err == nil && !ss.LastSuccessAt.IsZero()
	})
	must(t, sim.SetWebhookURL(srv.URL()+webhook.OrgPath(org.Slug)))

	// The CRM registers its deals and the planned call through the API.
	key, err := api.NewKeys(srv.Store, nil).Create(ctx, people.Actor{OrgID: org.ID, Name: "test", Role: store.RoleOwner}, "crm", api.ScopeWrite)
	must(t, err)
	call := func(method, path string, body any, out any) int {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, srv.URL()+path, rd)
		req.Header.Set("Authorization", "Bearer "+key.Plaintext)
		resp, err := contracttest.Client(t).Do(req)
		must(t, err)
		defer resp.Body.Close()
		if out != nil {
			must(t, json.NewDecoder(resp.Body).Decode(out))
		}
		return resp.StatusCode
	}
	m := must2(sim.RecordMeeting(zoomsim.NewRecordedMeeting{HostID: rep.ID, Topic: "Fabrikam demo", Start: start.Add(10 * time.Minute), Minutes: 30, Transcript: true}))
	for _, d := range []map[string]any{{"ext": "D-100", "name": "Fabrikam renewal"}, {"ext": "D-200", "name": "Fabrikam expansion"}} {
		if st := call("PUT", "/api/v1/deals/"+d["ext"].(string), map[string]any{"name": d["name"], "stage": "proposal", "owner_person_id": repP.ID}, nil); st != 200 {
			t.Fatalf("PUT deal answered %d", st)
		}
	}
	if st := call("PUT", "/api/v1/crm-activities/A-1", map[string]any{"deal_external_id": "D-100", "rep_person_id": repP.ID, "title": "Demo",
		"start": start.Add(10 * time.Minute), "end": start.Add(40 * time.Minute), "zoom_meeting_id": strconv.FormatInt(m.ID, 10)}, nil); st != 200 {
		t.Fatalf("PUT crm activity answered %d", st)
	}

	sim.Advance(time.Hour)
	d100 := must2(srv.Store.DealByExternalID(ctx, org.ID, "D-100"))
	d200 := must2(srv.Store.DealByExternalID(ctx, org.ID, "D-200"))
	var arts []store.Artifact
	waitFor(t, "the recording on the deal", func() bool {
		arts, err = srv.Store.Artifacts(ctx, store.ArtifactFilter{OrgID: org.ID, DealID: d100.ID})
		return err == nil && len(arts) == 3
	})
	byType := map[string]store.Artifact{}
	for _, a := range arts {
		byType[a.FileType] = a
	}
	video, audio := byType["MP4"], byType["M4A"]

	b := newTab(t, srv.URL())
	b.signIn(users[0].Email, testPassword)
	b.open(fmt.Sprintf("/deals/%d", d100.ID))
	if n := b.count("tr[data-artifact]"); n != 3 {
		t.Fatalf("the deal page shows %d artifacts, want 3", n)
	}
	b.screenshot("deal-page")
	eval[string](b, fmt.Sprintf("document.querySelector('#move-%d').value = 'D-200'", video.ID))
	b.follow(fmt.Sprintf(`tr[data-artifact="%d"] button[data-action="move"]`, video.ID))
	if got := b.text(".flash"); got != "Moved to Fabrikam expansion." {
		t.Fatalf("after Move to deal: %q at %s", got, b.path())
	}
	b.follow(fmt.Sprintf(`tr[data-artifact="%d"] button[data-action="detach"]`, audio.ID))
	if n := b.count("tr[data-artifact]"); n != 1 {
		t.Fatalf("the deal page shows %d artifacts after moving one and detaching one, want 1", n)
	}
	b.open(fmt.Sprintf("/deals/%d", d200.ID))
	if b.count(fmt.Sprintf(`tr[data-artifact="%d"]`, video.ID)) != 1 {
		t.Fatal("the moved video is not on the other deal's page")
	}

	// The API and the outbound events agree.
	apiOf := func(id int64) (int, recordings.Resource) {
		var res recordings.Resource
		return call("GET", fmt.Sprintf("/api/v1/artifacts/%d", id), nil, &res), res
	}
	_, v := apiOf(video.ID)
	_, a := apiOf(audio.ID)
	if v.Deal == nil || v.Deal.ExternalID != "D-200" || v.LinkRule != store.LinkManual || a.Deal != nil || !a.Detached {
		t.Fatalf("API after the browser's changes: video %+v, audio %+v", v, a)
	}
	last := map[int64]string{}
	lastData := map[int64]recordings.Resource{}
	evs := must2(srv.Store.OutboundEvents(ctx, org.ID, 0, 10000))
	for _, e := range evs {
		var body struct {
			Data recordings.Resource `json:"data"`
		}
		if json.Unmarshal([]byte(e.Payload), &body) == nil && body.Data.ID != 0 {
			last[body.Data.ID], lastData[body.Data.ID] = e.Type, body.Data
		}
	}
	if last[video.ID] != recordings.EventMoved || last[audio.ID] != recordings.EventDetached {
		t.Fatalf("last events: video %q, audio %q; want artifact.moved and artifact.detached", last[video.ID], last[audio.ID])
	}
	for id, fromAPI := range map[int64]recordings.Resource{video.ID: v, audio.ID: a} {
		want, _ := json.Marshal(fromAPI)
		got, _ := json.Marshal(lastData[id])
		if !bytes.Equal(want, got) {
			t.Errorf("artifact %d: the API shows %s, the last event carried %s", id, want, got)
		}
	}

	// Disconnect: the detached audio stays; what came through the connection goes.
	must(t, srv.Connect.Disconnect(ctx, org.ID, conn.ID, 0))
	if st, res := apiOf(audio.ID); st != 200 || !res.Detached {
		t.Fatalf("the detached record after a disconnect: %d %+v", st, res)
	}
	if st, _ := apiOf(video.ID); st != 404 {
		t.Fatalf("the moved video after a disconnect answered %d, want 404 (purged)", st)
	}
	b.open("/deals/unlinked")
	b.open(fmt.Sprintf("/people/%d/services", repP.ID))
	if b.count(fmt.Sprintf(`tr[data-artifact="%d"]`, audio.ID)) != 1 {
		t.Fatal("the rep's recordings list does not show the detached record after the disconnect")
	}
	b.screenshot("rep-panel-after-disconnect")
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func must2[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
