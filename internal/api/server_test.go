package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/server"
)

// The API is mounted in the real process: the document is served, and a
// request without a key gets the API's JSON 401, not the web app's sign-in.
func TestServedByTheServer(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir(),
		"ZOOMBRIDGE_ENCRYPTION_KEY=" + strings.Repeat("ab", 32)})
	must(t, err)
	srv, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	must(t, err)
	must(t, srv.Start(context.Background()))
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	for path, want := range map[string]int{"/api/v1/openapi.json": 200, "/api/v1/people": 401, "/api/v1/activities": 401, "/api/v1/nope": 404} {
		res, err := client(t).Get(srv.URL() + path)
		must(t, err)
		var body map[string]any
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != want || err != nil {
			t.Errorf("GET %s: %d (JSON: %v), want %d", path, res.StatusCode, err, want)
		}
	}
	// Every feature's routes are the API's: the scheduling ones too.
	for path, allow := range map[string]string{"/api/v1/people/12": "GET, PATCH", "/api/v1/bookings/12": "GET", "/api/v1/people/12/meetings": "GET, POST"} {
		req, _ := http.NewRequest("DELETE", srv.URL()+path, nil)
		res, err := client(t).Do(req)
		must(t, err)
		res.Body.Close()
		if res.StatusCode != 405 || res.Header.Get("Allow") != allow {
			t.Errorf("DELETE %s: %d Allow %q, want 405 Allow %q", path, res.StatusCode, res.Header.Get("Allow"), allow)
		}
	}
}
