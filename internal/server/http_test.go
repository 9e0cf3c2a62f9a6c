package server

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	cfg := testConfig(t, "")
	srv := startQuiet(t, cfg)
	get(t, srv.URL()+"/healthz")
	get(t, srv.URL()+"/nope/123")
	resp, err := http.Get(srv.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`zoombridge_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
		// Unknown paths reach the web app's own 404 page, mounted at "/", counted as unmatched.
		`zoombridge_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`zoombridge_jobs_total{kind="housekeeping",outcome="completed"}`,
	} {
		if !strings.Contains(string(body), want) {
			waitFor(t, func() bool { return strings.Contains(fetch(t, srv.URL()+"/metrics"), want) })
		}
	}
}

func fetch(t *testing.T, url string) string {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
