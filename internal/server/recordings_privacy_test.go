package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// Zoom's recording events carry download tokens; zoombridge keeps none of
// them, nor the fresh link's: not in the SQLite files, not in a PostgreSQL
// dump, not in the logs (at debug level). The fresh link opens the emulator's
// file, and once its token's TTL has passed the emulator refuses it.
func TestRecordingDownloadTokensAreNeverKeptAndFreshLinksExpire(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		r := startRecRun(t, d, recOptions{})
		ctx := context.Background()
		m := r.record(r.host(0, true), "Renewal call", 10*time.Minute)
		r.sim.Advance(time.Hour)
		r.settle()

		var secrets []string
		for _, del := range r.sim.WebhookLog() {
			var body struct {
				DownloadToken string `json:"download_token"`
			}
			if json.Unmarshal([]byte(del.Body), &body) == nil && body.DownloadToken != "" {
				secrets = append(secrets, body.DownloadToken)
			}
		}
		if len(secrets) < 2 {
			t.Fatalf("the emulator sent %d download tokens, want those of recording.completed and transcript_completed", len(secrets))
		}

		arts := r.ofMeeting(m.UUID)
		key := r.apiKey(r.org.ID)
		noFollow := &http.Client{Transport: contracttest.Transport(t, http.DefaultTransport),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		// freshLink asks the API's download endpoint, as a host product does.
		freshLink := func(id int64) string {
			req, _ := http.NewRequest("GET", r.srv.URL()+"/api/v1/artifacts/"+strconv.FormatInt(id, 10)+"/download", nil)
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := noFollow.Do(req)
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("the download endpoint answered %d, want a redirect", resp.StatusCode)
			}
			return resp.Header.Get("Location")
		}
		open := func(kind string) (*http.Response, string) {
			link := freshLink(arts[kind].ID)
			u, err := url.Parse(link)
			must(t, err)
			secrets = append(secrets, u.Query().Get("access_token"))
			resp, err := http.Get(link)
			must(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp, string(b)
		}
		resp, body := open("zoom_recording/MP4")
		if resp.StatusCode != 200 || !strings.Contains(body, "zoomsim MP4 recording of meeting") || resp.Header.Get("Content-Type") != "video/mp4" {
			t.Fatalf("fresh link answered %d %q %q, want the emulator's MP4", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		resp, body = open("zoom_transcript/TRANSCRIPT")
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "WEBVTT") {
			t.Fatalf("fresh transcript link answered %d %q", resp.StatusCode, body)
		}
		link := freshLink(arts["zoom_recording/M4A"].ID)
		u, _ := url.Parse(link)
		secrets = append(secrets, u.Query().Get("access_token"))
		r.sim.Advance(recordings.FreshLinkTTL + time.Second)
		late, err := http.Get(link)
		must(t, err)
		late.Body.Close()
		if late.StatusCode != http.StatusUnauthorized {
			t.Fatalf("an expired fresh link answered %d, want 401", late.StatusCode)
		}
		if _, err := r.srv.recordingsService().FreshLink(ctx, r.org.ID, arts["zoom_summary/SUMMARY"].ID); err != recordings.ErrNoFile {
			t.Fatalf("a summary's fresh link: %v, want ErrNoFile", err)
		}

		for _, s := range secrets {
			if len(s) < 20 {
				t.Fatalf("token %q too short to search for", s)
			}
		}
		places := map[string]string{"logs": r.logs.String()}
		if d == store.SQLite {
			r.srv.Shutdown(ctx) // checkpoint nothing away: read the WAL too
			files, _ := filepath.Glob(filepath.Join(r.dbPath, "*"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err == nil {
					places[filepath.Base(f)] = string(b)
				}
			}
		} else {
			out, err := exec.Command("pg_dump", "--no-owner", r.dbURL).Output()
			must(t, err)
			places["pg_dump"] = string(out)
		}
		if len(places) < 2 || !strings.Contains(places["logs"], "component") {
			t.Fatalf("nothing to search: %d places", len(places))
		}
		for where, text := range places {
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("a download token is in %s", where)
				}
			}
		}
		held := false
		for where, text := range places {
			held = held || (where != "logs" && strings.Contains(text, arts["zoom_recording/MP4"].ZoomKey))
		}
		if !held {
			t.Fatal("the database files do not hold the artifacts at all; the search means nothing")
		}
	})
}
