package server

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
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// The CRM and artifact endpoints as a host product uses them: bad input is a
// 400 naming the field and changes nothing, another organization's records
// are not found, and Move and Detach answer with the artifact as the
// outbound event carries it.
func TestRecordingsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		r := startRecRun(t, d, recOptions{})
		ctx := context.Background()
		key := r.apiKey(r.org.ID, api.ScopeWrite)
		call := func(method, path, body string, out any) (int, string) {
			req, _ := http.NewRequest(method, r.srv.URL()+path, bytes.NewBufferString(body))
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := contracttest.Client(t).Do(req)
			must(t, err)
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if out != nil {
				json.Unmarshal(b, out)
			}
			return resp.StatusCode, string(b)
		}
		rep := r.host(0, true)
		repID := r.people[rep.ID].ID
		m := r.record(rep, "API call", 10*time.Minute)
		for _, c := range []struct{ method, path, body, field string }{
			{"PUT", "/api/v1/deals/D-1", `{"stage":"won"}`, "name"},
			{"PUT", "/api/v1/deals/D-1", `{"name":"x","owner_person_id":999999}`, "owner_person_id"},
			{"PUT", "/api/v1/crm-activities/A-1", `{"deal_external_id":"nope","start":"2026-11-02T09:00:00Z","end":"2026-11-02T09:30:00Z"}`, "deal_external_id"},
			{"PUT", "/api/v1/crm-activities/A-1", `{"start":"2026-11-02T09:00:00Z","end":"2026-11-02T08:00:00Z"}`, "end"},
		} {
			var e struct{ Error api.Error }
			if st, body := call(c.method, c.path, c.body, &e); st != 400 || e.Error.Parameter != c.field {
				t.Fatalf("%s %s %s: %d %s, want 400 naming %s", c.method, c.path, c.body, st, body, c.field)
			}
		}
		if st, _ := call("PUT", "/api/v1/deals/D-1", `{"name":"x","surprise":1}`, nil); st != 400 {
			t.Fatalf("an unknown field answered %d, want 400", st)
		}
		if ds, _ := r.srv.Store.Deals(ctx, r.org.ID, "", 10); len(ds) != 0 {
			t.Fatalf("refused requests stored %d deals", len(ds))
		}
		for _, ext := range []string{"D-1", "D-2"} {
			if st, body := call("PUT", "/api/v1/deals/"+ext, `{"name":"Deal `+ext+`","owner_person_id":`+strconv.FormatInt(repID, 10)+`}`, nil); st != 200 {
				t.Fatalf("PUT deal: %d %s", st, body)
			}
		}
		body := fmt.Sprintf(`{"deal_external_id":"D-1","rep_person_id":%d,"title":"Demo","start":%q,"end":%q,"zoom_meeting_id":"%d"}`,
			repID, r.sim.Now().Add(10*time.Minute).Format(time.RFC3339), r.sim.Now().Add(40*time.Minute).Format(time.RFC3339), m.ID)
		if st, b := call("PUT", "/api/v1/crm-activities/A-1", body, nil); st != 200 {
			t.Fatalf("PUT crm activity: %d %s", st, b)
		}
		r.sim.Advance(time.Hour)
		r.settle()

		var page struct{ Data []recordings.Resource }
		call("GET", "/api/v1/artifacts?deal=D-1", "", &page)
		if len(page.Data) != 4 {
			t.Fatalf("%d artifacts on D-1, want 4", len(page.Data))
		}
		var deal api.Deal
		if st, _ := call("GET", "/api/v1/deals/D-1", "", &deal); st != 200 || len(deal.Activities) != 1 || deal.Activities[0].ZoomMeetingID != strconv.FormatInt(m.ID, 10) {
			t.Fatalf("GET deal: %d %+v", st, deal)
		}
		var summary, video recordings.Resource
		for _, a := range page.Data {
			switch a.FileType {
			case "SUMMARY":
				summary = a
			case "MP4":
				video = a
			}
		}
		if st, _ := call("GET", fmt.Sprintf("/api/v1/artifacts/%d/download", summary.ID), "", nil); st != 409 {
			t.Fatalf("a summary's download answered %d, want 409", st)
		}
		var moved recordings.Resource
		if st, b := call("POST", fmt.Sprintf("/api/v1/artifacts/%d/move", video.ID), `{"deal_external_id":"D-2"}`, &moved); st != 200 || moved.Deal == nil || moved.Deal.ExternalID != "D-2" {
			t.Fatalf("move: %d %s", st, b)
		}
		var detached recordings.Resource
		if st, b := call("POST", fmt.Sprintf("/api/v1/artifacts/%d/detach", summary.ID), "", &detached); st != 200 || !detached.Detached || detached.Deal != nil {
			t.Fatalf("detach: %d %s", st, b)
		}
		evs, err := r.srv.Store.OutboundEvents(ctx, r.org.ID, 0, 10000)
		must(t, err)
		got := map[string]string{}
		for _, e := range evs {
			contracttest.Event(t, []byte(e.Payload))
			var env struct {
				Data json.RawMessage `json:"data"`
			}
			json.Unmarshal([]byte(e.Payload), &env)
			var res recordings.Resource
			json.Unmarshal(env.Data, &res)
			got[e.Type+strconv.FormatInt(res.ID, 10)] = string(env.Data)
		}
		for ev, res := range map[string]recordings.Resource{recordings.EventMoved: moved, recordings.EventDetached: detached} {
			want, _ := json.Marshal(res)
			if got[ev+strconv.FormatInt(res.ID, 10)] != string(want) {
				t.Errorf("%s carried %s; the API answered %s", ev, got[ev+strconv.FormatInt(res.ID, 10)], want)
			}
		}

		// Another organization's key sees none of it.
		other, err := r.srv.Store.CreateOrganization(ctx, "Other", "other", r.sim.Now())
		must(t, err)
		key = r.apiKey(other.ID, api.ScopeWrite)
		for _, p := range []string{fmt.Sprintf("/api/v1/artifacts/%d", video.ID), "/api/v1/deals/D-1"} {
			if st, _ := call("GET", p, "", nil); st != 404 {
				t.Fatalf("another organization's key read %s: %d", p, st)
			}
		}
		if st, _ := call("POST", fmt.Sprintf("/api/v1/artifacts/%d/detach", video.ID), "", nil); st != 404 {
			t.Fatalf("another organization's key detached an artifact: %d", st)
		}
	})
}
